import cssColors from 'color-name';

const NAMES = Object.entries(cssColors) as [string, [number, number, number]][];

function hex(rgb: readonly number[]): string {
  return `#${rgb.map((c) => c.toString(16).padStart(2, '0')).join('')}`.toUpperCase();
}

/**
 * RFC 7986 COLOR takes a CSS3 colour name, while Apple's X-APPLE-CALENDAR-COLOR takes
 * #RRGGBB: a calendar colour given either way is published both ways (nearest name for hex).
 */
export function calendarColors(color: string): { name: string; hex: string } | null {
  const lower = color.toLowerCase();
  const named = (cssColors as Record<string, [number, number, number] | undefined>)[lower];
  if (named) return { name: lower, hex: hex(named) };
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/.exec(lower);
  if (!m) return null;
  const rgb = [m[1], m[2], m[3]].map((h) => parseInt(h!, 16));
  let best = NAMES[0]!;
  let bestDistance = Infinity;
  for (const entry of NAMES) {
    const d = entry[1].reduce((sum, c, i) => sum + (c - rgb[i]!) ** 2, 0);
    if (d < bestDistance) [best, bestDistance] = [entry, d];
  }
  return { name: best[0], hex: hex(rgb) };
}
