import { DateTime } from 'luxon';
import { zoneOf } from '../../ical/zone-cache.js';

/**
 * An event's times as both products show them: the date as MM/DD/YYYY, the 24-hour clock, AM
 * or PM, all in the event's zone. An all-day event's end is its last day (the native end is
 * the day after, RFC 5545 §3.6.1), at 00:00 as its start is.
 * The `_unix` values are that wall time read as if it were UTC, not the instant: both products'
 * replies have it so (09:00 in Los Angeles on 02/21/2024 is 1708506000, which is 09:00 UTC), and
 * scripts that format them with a UTC clock show the event's own time.
 */
export function eventTimes(view: Record<string, unknown>) {
  const zone = String(view.timezone);
  const allDay = view.all_day === true;
  const at = (iso: unknown) => DateTime.fromISO(String(iso), allDay ? { zone: zoneOf(zone) } : { setZone: true }).setLocale('en-US');
  const start = at(view.start);
  const end = view.end ? at(view.end).minus(allDay ? { days: 1 } : {}) : start;
  const parts = (dt: DateTime) => [dt.toFormat('MM/dd/yyyy'), dt.toFormat('HH:mm:ss'), dt.toFormat('a'), Math.floor(dt.setZone('UTC', { keepLocalTime: true }).toSeconds())] as const;
  const [ds, dst, dsa, dsu] = parts(start);
  const [de, det, dea, deu] = parts(end);
  return {
    date_start: ds, date_start_time: dst, date_start_ampm: dsa, date_start_unix: dsu,
    date_end: de, date_end_time: det, date_end_ampm: dea, date_end_unix: deu,
    all_day_event: String(allDay),
    date_format: 'MM/DD/YYYY',
    timezone: zone,
  };
}
