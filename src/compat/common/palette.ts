import { invalid } from '../../errors.js';

/**
 * The numbered colours of both products (AddEvent's `color` and `calendar_color`, CalendarX's
 * `color_id`: "1 to 20"). A number is stored as the native colour it names, so feeds carry a
 * real RFC 7986 COLOR and the native API shows it; a colour set natively that is not in the
 * palette reads back as "".
 */
export const PALETTE = [
  '#D50000', '#E67C73', '#F4511E', '#F6BF26', '#33B679', '#0B8043', '#039BE5', '#3F51B5', '#7986CB', '#8E24AA',
  '#616161', '#795548', '#EF6C00', '#C0CA33', '#009688', '#AD1457', '#4285F4', '#B39DDB', '#9E69AF', '#A79B8E',
] as const;

/** The native colour of palette number `raw` ("" clears it); a number outside 1-20 is refused, naming `field`. */
export function paletteColor(field: string, raw: string): string | null {
  if (raw.trim() === '') return null;
  const n = Number(raw);
  if (!/^\s*\d+\s*$/.test(raw) || n < 1 || n > PALETTE.length) throw invalid(field, `${field} must be a colour number from 1 to ${PALETTE.length}`);
  return PALETTE[n - 1]!;
}

/** The palette number of a native colour, as text; "" for none or one outside the palette. */
export function paletteNumber(color: string | null | undefined): string {
  if (!color) return '';
  const i = PALETTE.findIndex((c) => c.toLowerCase() === color.toLowerCase());
  return i < 0 ? '' : String(i + 1);
}
