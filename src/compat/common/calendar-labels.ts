import type { Calendar, CalendarSettings } from '../../store/types.js';

/**
 * What the products keep on a calendar that Calcast has no behaviour for: CalendarX's internal
 * name (shown to the owner, while the title faces subscribers) and the colour palette's id
 * both products take. They live in the calendar's settings, beside the feed settings and
 * CalDAV's dead properties, so every store keeps them without a column of their own.
 */
export interface CalendarLabels {
  internalName: string | null;
  paletteId: string | null;
}

const text = (v: unknown) => (typeof v === 'string' ? v : null);

export function labelsOf(calendar: Pick<Calendar, 'settings'>): CalendarLabels {
  const labels = calendar.settings.labels as Record<string, unknown> | undefined;
  return { internalName: text(labels?.internalName), paletteId: text(labels?.paletteId) };
}

/** The settings with these labels changed (an undefined label stays as it was). */
export function withLabels(settings: CalendarSettings, change: Partial<CalendarLabels>): CalendarSettings {
  const current = labelsOf({ settings });
  const next = { ...current, ...Object.fromEntries(Object.entries(change).filter(([, v]) => v !== undefined)) };
  return { ...settings, labels: next };
}
