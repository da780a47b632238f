import { filterEvent, splitObject } from '../feeds/blocks.js';
import { feedSettingsOf } from '../feeds/settings.js';
import { PRODID } from '../ical/prodid.js';
import { foldLine } from '../ical/serialize.js';
import type { Calendar, ObjectHead } from '../store/types.js';

const CRLF = '\r\n';

/**
 * The public CalDAV view publishes what the feed publishes: reminders and attendees only
 * when the calendar opts in, so it cannot leak what the feed hides. ETags carry the
 * settings, so a settings change is a change to clients.
 */
function variant(calendar: Calendar): { reminders: boolean; attendees: boolean; tag: string } {
  const s = feedSettingsOf(calendar.settings);
  return { reminders: s.includeReminders, attendees: s.includeAttendees, tag: `${s.includeReminders ? 'r' : ''}${s.includeAttendees ? 'a' : ''}p` };
}

export function publicHead<H extends ObjectHead>(head: H, calendar: Calendar): H {
  const { tag } = variant(calendar);
  return { ...head, etag: `${head.etag}-${tag}` };
}

export function publicText(data: string, calendar: Calendar): string {
  const opts = variant(calendar);
  if (opts.reminders && opts.attendees) return data;
  const { timezones, entries } = splitObject(data);
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', `PRODID:${PRODID}`];
  for (const block of timezones.values()) lines.push(...block);
  for (const entry of entries) lines.push(...filterEvent(entry, opts));
  lines.push('END:VCALENDAR');
  return lines.map(foldLine).join(CRLF) + CRLF;
}

