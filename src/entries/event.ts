import ICAL from 'ical.js';
import type { DateTime } from 'luxon';
import { HttpError } from '../errors.js';
import type { EventInput } from './schemas.js';
import type { EntryMapping, FieldFilter } from './mapping.js';
import { emailOf, getRrule, getReminders, getText, mailto, setReminders, setRrule, setValue } from './ical-fields.js';
import { formatTime, readDateField, readTime, readTimes, setTime, setTimes, type EntryTime } from './times.js';
import { entryZone, formatExdates, readExdates } from './zones.js';
import { parseDateInput, toZonedDateTime } from '../ical/date-input.js';

const TRANSPARENCY = { busy: 'OPAQUE', free: 'TRANSPARENT' } as const;
const PARTSTAT = { ACCEPTED: 'ACCEPTED', DECLINED: 'DECLINED', TENTATIVE: 'TENTATIVE', NEEDS_ACTION: 'NEEDS-ACTION' } as const;

function endOf(input: EventInput, start: EntryTime, zone: string): EntryTime {
  if (!input.end) {
    // Defaults: one hour for timed events; one day for all-day ones (DTEND is exclusive, RFC 5545 §3.6.1).
    return { dt: start.dt.plus(start.allDay ? { days: 1 } : { hours: 1 }), allDay: start.allDay };
  }
  const end = readDateField('end', input.end, zone, start.allDay);
  const ok = start.allDay ? end.dt > start.dt : end.dt >= start.dt;
  if (!ok) throw new HttpError(400, 'INVALID_TIME_RANGE', 'end must be after start', { field: 'end' });
  return end;
}

function applyTimes(c: ICAL.Component, input: EventInput, defaultZone: string): void {
  const zone = entryZone(input.timezone, defaultZone);
  const start = readDateField('start', input.start, zone, input.all_day ?? undefined);
  setTime(c, 'dtstart', start);
  c.removeAllProperties('duration');
  setTime(c, 'dtend', endOf(input, start, zone));
  setRrule(c, input.rrule);
  setTimes(c, 'exdate', readExdates(input.exdates, start, zone));
}

function applyPeople(c: ICAL.Component, input: EventInput, keys: FieldFilter): void {
  if (keys.has('organizer')) {
    c.removeAllProperties('organizer');
    if (input.organizer) {
      c.addPropertyWithValue('organizer', mailto(input.organizer.email)).setParameter('cn', input.organizer.name);
    }
  }
  if (keys.has('attendees')) {
    c.removeAllProperties('attendee');
    for (const a of input.attendees ?? []) {
      const p = c.addPropertyWithValue('attendee', mailto(a.email));
      if (a.name) p.setParameter('cn', a.name);
      p.setParameter('partstat', PARTSTAT[a.rsvp_status ?? 'NEEDS_ACTION']);
      p.setParameter('role', a.role ?? 'REQ-PARTICIPANT');
    }
  }
}

export const eventMapping: EntryMapping<EventInput> = {
  type: 'VEVENT',
  path: 'events',
  timeKeys: ['start', 'end', 'timezone', 'all_day', 'rrule', 'exdates'],
  apply(c, input, keys, zone) {
    if (keys.has('title')) setValue(c, 'summary', input.title);
    if (keys.has('description')) setValue(c, 'description', input.description);
    if (keys.has('location')) setValue(c, 'location', input.location);
    if (keys.has('url')) setValue(c, 'url', input.url);
    if (keys.has('status')) setValue(c, 'status', input.status);
    if (keys.has('transparency')) setValue(c, 'transp', input.transparency ? TRANSPARENCY[input.transparency] : null);
    if (keys.has('color')) setValue(c, 'color', input.color);
    if (keys.has('categories')) {
      c.removeAllProperties('categories');
      if (input.categories?.length) {
        const p = new ICAL.Property('categories');
        p.setValues(input.categories);
        c.addProperty(p);
      }
    }
    if (keys.has('start')) applyTimes(c, input, zone);
    if (keys.has('reminders')) setReminders(c, input.reminders, input.title);
    applyPeople(c, input, keys);
  },
  /**
   * Moving the start without naming an end keeps the duration, as calendar apps do when an
   * event is dragged; changing all_day drops the end so it takes its default.
   */
  prepareMerge(view, patch) {
    if (typeof patch.start !== 'string' || 'end' in patch) return view;
    const { end, ...rest } = view;
    if ('all_day' in patch && patch.all_day !== view.all_day) return rest;
    const zone = String(patch.timezone ?? view.timezone);
    const [from, to, moved] = [view.start, end, patch.start].map((v) => parseDateInput(String(v)));
    if (!from || !to || !moved) return rest;
    const [a, b, n] = [from, to, moved].map((v) => toZonedDateTime(v, zone)) as [DateTime, DateTime, DateTime];
    const allDay = view.all_day === true;
    const newEnd = allDay ? n.plus({ days: Math.round(b.diff(a, 'days').days) }) : n.plus(b.diff(a));
    return { ...rest, end: formatTime({ dt: newEnd, allDay }) };
  },
  present(c, ctx) {
    const start = readTime(c, 'dtstart', ctx);
    const end = readTime(c, 'dtend', ctx);
    const duration = c.getFirstPropertyValue('duration');
    const endTime = end ?? (start && {
      dt: start.dt.plus({ seconds: duration instanceof ICAL.Duration ? duration.toSeconds() : start.allDay ? 86400 : 0 }),
      allDay: start.allDay,
    });
    const organizer = c.getFirstProperty('organizer');
    const transp = getText(c, 'transp');
    return {
      title: getText(c, 'summary') ?? '',
      description: getText(c, 'description'),
      location: getText(c, 'location'),
      url: getText(c, 'url'),
      start: start ? formatTime(start) : null,
      end: endTime ? formatTime(endTime) : null,
      timezone: start?.dt.zoneName ?? ctx.zone,
      all_day: start?.allDay ?? false,
      rrule: getRrule(c),
      exdates: start ? formatExdates(readTimes(c, 'exdate', ctx), start) : [],
      reminders: getReminders(c),
      organizer: organizer
        ? { name: String(organizer.getParameter('cn') ?? emailOf(organizer.getFirstValue())), email: emailOf(organizer.getFirstValue()) }
        : null,
      attendees: c.getAllProperties('attendee').map((p) => ({
        email: emailOf(p.getFirstValue()),
        name: (p.getParameter('cn') as string | undefined) ?? null,
        rsvp_status: String(p.getParameter('partstat') ?? 'NEEDS-ACTION').replace('-', '_'),
        role: (p.getParameter('role') as string | undefined) ?? 'REQ-PARTICIPANT',
      })),
      status: getText(c, 'status'),
      transparency: transp === 'TRANSPARENT' ? 'free' : 'busy',
      color: getText(c, 'color'),
      categories: c.getAllProperties('categories').flatMap((p) => p.getValues().map(String)),
    };
  },
};
