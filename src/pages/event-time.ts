import { DateTime } from 'luxon';
import { html, type Html } from './layout.js';

/** An occurrence as pages show it: Unix seconds, all-day end exclusive. */
export interface Span {
  start: number;
  end: number;
  allDay: boolean;
}

const DAY = 86_400;

// A date or a time range never breaks inside itself, so a narrow screen wraps between them.
const nw = (t: string) => html`<span class="nw">${t}</span>`;

/** The occurrence's date and time in `zone`, and the parts of the date badge. */
export function when(e: Span, zone: string): { mon: string; day: string; iso: string; label: Html } {
  const at = (t: number) => DateTime.fromSeconds(t, { zone }).setLocale('en-US');
  const day = (d: DateTime) => d.toLocaleString({ weekday: 'short', month: 'short', day: 'numeric', year: 'numeric' });
  const time = (d: DateTime) => d.toLocaleString(DateTime.TIME_SIMPLE);
  const s = at(e.start);
  let label: Html;
  if (e.allDay) {
    // DTEND of an all-day event is exclusive: the last day is the one before it.
    const last = at(Math.max(e.start, e.end - DAY));
    label = last.hasSame(s, 'day') ? html`${nw(day(s))} · ${nw('All day')}` : html`${nw(day(s))} – ${nw(day(last))} · ${nw('All day')}`;
  } else {
    const f = at(e.end);
    label = e.end <= e.start ? html`${nw(day(s))} · ${nw(time(s))}`
      : f.hasSame(s, 'day') ? html`${nw(day(s))} · ${nw(`${time(s)} – ${time(f)}`)}`
        : html`${nw(`${day(s)}, ${time(s)}`)} – ${nw(`${day(f)}, ${time(f)}`)}`;
  }
  return {
    mon: s.toFormat('LLL'), day: s.toFormat('d'),
    iso: (e.allDay ? s.toISODate() : s.toISO({ suppressMilliseconds: true })) ?? '', label,
  };
}

