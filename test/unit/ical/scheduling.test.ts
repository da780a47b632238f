import { describe, expect, it } from 'vitest';
import {
  forcedAttendees, isCancelled, organizerOf, scheduleStatuses, scheduledAttendees, schedulingDigest, withoutScheduleParams,
  writeScheduleStatus,
} from '../../../src/ical/scheduling.js';
import { serializeComponent } from '../../../src/ical/serialize.js';
import { cal, vevent } from '../../helpers/ical.js';

const ORGANIZER = 'ORGANIZER:mailto:Olga@Example.org';
const people = [
  'ATTENDEE;PARTSTAT=ACCEPTED:mailto:olga@example.org',
  'ATTENDEE;SCHEDULE-STATUS=1.2:mailto:Ann@Example.org',
  'ATTENDEE;SCHEDULE-AGENT=CLIENT:mailto:cli@example.org',
  'ATTENDEE;SCHEDULE-AGENT=NONE:mailto:none@example.org',
  'ATTENDEE;SCHEDULE-FORCE-SEND=REQUEST:mailto:force@example.org',
];

describe('scheduling helpers (RFC 6638)', () => {
  it('finds the organizer and the attendees the server schedules, overrides included', () => {
    const root = cal(vevent('DTSTART:20310101T100000Z', ORGANIZER, ...people),
      vevent('RECURRENCE-ID:20310108T100000Z', 'DTSTART:20310108T110000Z', ORGANIZER, 'ATTENDEE:mailto:extra@example.org'));
    expect(organizerOf(root)).toBe('olga@example.org');
    // Not the organizer, not those SCHEDULE-AGENT hands to the client or to nobody; addresses compared without case.
    expect(scheduledAttendees(root)).toEqual(['ann@example.org', 'force@example.org', 'extra@example.org']);
    expect(forcedAttendees(root)).toEqual(['force@example.org']);
    expect(isCancelled(root)).toBe(false);
    expect(isCancelled(cal(vevent(ORGANIZER, 'STATUS:CANCELLED')))).toBe(true);
  });

  it('sends no scheduling parameter out, and ignores stamps, alarms, X- properties and statuses when comparing', () => {
    const root = cal(vevent('DTSTART:20310101T100000Z', ORGANIZER, ...people));
    const out = serializeComponent(withoutScheduleParams(root));
    expect(out).not.toMatch(/SCHEDULE-/);
    expect(serializeComponent(root)).toContain('SCHEDULE-AGENT=CLIENT'); // the original is untouched
    const resaved = cal(vevent('DTSTART:20310101T100000Z', ORGANIZER, ...people.map((p) => p.replace('SCHEDULE-STATUS=1.2', 'SCHEDULE-STATUS=1.0')),
      'X-MOZ-GENERATION:3', 'LAST-MODIFIED:20300101T000000Z', 'BEGIN:VALARM', 'ACTION:DISPLAY', 'TRIGGER:-PT5M', 'DESCRIPTION:x', 'END:VALARM'));
    expect(schedulingDigest(resaved)).toBe(schedulingDigest(root));
    const moved = cal(vevent('DTSTART:20310101T110000Z', ORGANIZER, ...people));
    expect(schedulingDigest(moved)).not.toBe(schedulingDigest(root));
  });

  it('writes SCHEDULE-STATUS where given, removes it elsewhere, and says whether anything changed', () => {
    const root = cal(vevent(ORGANIZER, ...people));
    expect(writeScheduleStatus(root, new Map([['ann@example.org', '1.2']]))).toBe(false);
    expect(writeScheduleStatus(root, new Map([['force@example.org', '1.0']]))).toBe(true);
    expect([...scheduleStatuses(root)]).toEqual([['force@example.org', '1.0']]);
  });
});
