// The RFC 4791 query model as plain data: what a calendar-query filter (§9.7) and a
// calendar-data request (§9.6) ask of stored objects. dav/ parses XML into it; ical/ evaluates it.

/** Unix seconds; null start = -infinity, null end = +infinity (RFC 4791 §9.9). */
export interface TimeRange { start: number | null; end: number | null }
/** RFC 4791 §9.7.5; collations per RFC 4790 §9 and RFC 5051. */
export interface TextMatch { value: string; collation: 'i;ascii-casemap' | 'i;octet' | 'i;unicode-casemap'; negate: boolean }
export interface ParamFilter { name: string; isNotDefined: boolean; textMatch: TextMatch | null }
export interface PropFilter { name: string; isNotDefined: boolean; timeRange: TimeRange | null; textMatch: TextMatch | null; paramFilters: ParamFilter[] }
export interface CompFilter { name: string; isNotDefined: boolean; timeRange: TimeRange | null; propFilters: PropFilter[]; compFilters: CompFilter[] }

/** RFC 4791 §9.6: which parts of each object a REPORT returns, and how recurrences are shown. */
export interface CalendarDataSpec { comp: CompSelection | null; expand: TimeRange | null; limitRecurrenceSet: TimeRange | null }
export interface CompSelection { name: string; allProps: boolean; props: string[]; allComps: boolean; comps: CompSelection[] }

export const COLLATIONS: ReadonlySet<string> = new Set(['i;ascii-casemap', 'i;octet', 'i;unicode-casemap']);

/** "date with UTC time" (RFC 4791 §9.9, RFC 5545 §3.3.5 form 2). A missing 'Z' is read as UTC. */
const UTC_TIME = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z?$/;

/** Parses one UTC date-time value to unix seconds; null when it is not one. */
export function parseUtcTime(value: string): number | null {
  const m = UTC_TIME.exec(value.trim());
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const date = new Date(0);
  date.setUTCFullYear(y, mo - 1, d);
  date.setUTCHours(h, mi, s, 0);
  // Date silently rolls over (Feb 30 → Mar 2): refuse what does not round-trip.
  if (y < 1 || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d || h > 23 || mi > 59 || s > 60) return null;
  return date.getTime() / 1000;
}

const PREFILTER_TYPES: ReadonlySet<string> = new Set(['VEVENT', 'VTODO', 'VJOURNAL']);

/**
 * For the SQL prefilter: the component type asked for (VEVENT/VTODO/VJOURNAL) and the time range on
 * it, if the filter is of the common shape VCALENDAR > COMP[time-range]; null parts when absent.
 * Both are necessary conditions (child comp-filters are ANDed), so the prefilter never drops a match.
 */
export function prefilterOf(filter: CompFilter): { componentType: 'VEVENT' | 'VTODO' | 'VJOURNAL' | null; range: TimeRange | null } {
  if (filter.name !== 'VCALENDAR' || filter.isNotDefined) return { componentType: null, range: null };
  const comp = filter.compFilters.find((c) => !c.isNotDefined && PREFILTER_TYPES.has(c.name));
  if (!comp) return { componentType: null, range: null };
  return { componentType: comp.name as 'VEVENT' | 'VTODO' | 'VJOURNAL', range: comp.timeRange };
}
