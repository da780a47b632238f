import type ICAL from 'ical.js';
import { HttpError } from '../errors.js';
import type { TodoInput } from './schemas.js';
import type { EntryMapping } from './mapping.js';
import { getNumber, getReminders, getRrule, getText, setReminders, setRrule, setValue } from './ical-fields.js';
import { formatTime, readDateField, readTime, setTime } from './times.js';
import { entryZone } from './zones.js';

function applyTimes(c: ICAL.Component, input: TodoInput, calendarZone: string): void {
  const zone = entryZone(input.timezone, calendarZone);
  const start = input.start ? readDateField('start', input.start, zone) : null;
  const due = input.due ? readDateField('due', input.due, zone, start?.allDay) : null;
  // RFC 5545 §3.6.2: DUE must be later than DTSTART, and of the same value type.
  if (start && due && due.dt <= start.dt) {
    throw new HttpError(400, 'INVALID_TIME_RANGE', 'due must be after start', { field: 'due' });
  }
  c.removeAllProperties('dtstart');
  c.removeAllProperties('due');
  c.removeAllProperties('duration');
  if (start) setTime(c, 'dtstart', start);
  if (due) setTime(c, 'due', due);
  setRrule(c, input.rrule);
  if (input.rrule && !start) throw new HttpError(400, 'VALIDATION_FAILED', 'a repeating to-do needs a start', { field: 'start' });
}

export const todoMapping: EntryMapping<TodoInput> = {
  type: 'VTODO',
  path: 'todos',
  timeKeys: ['start', 'due', 'timezone', 'rrule'],
  apply(c, input, keys, zone) {
    if (keys.has('title')) setValue(c, 'summary', input.title);
    if (keys.has('description')) setValue(c, 'description', input.description);
    if (keys.has('status')) setValue(c, 'status', input.status);
    if (keys.has('percent_complete')) setValue(c, 'percent-complete', input.percent_complete);
    if (keys.has('priority')) setValue(c, 'priority', input.priority);
    if (keys.has('completed_at')) {
      c.removeAllProperties('completed');
      // COMPLETED is always a UTC date-time (RFC 5545 §3.8.2.1).
      if (input.completed_at) {
        const completed = readDateField('completed_at', input.completed_at, zone, false);
        setTime(c, 'completed', { dt: completed.dt.toUTC(), allDay: false });
      }
    }
    if (keys.has('start')) applyTimes(c, input, zone);
    if (keys.has('reminders')) setReminders(c, input.reminders, input.title);
  },
  present(c, ctx) {
    const start = readTime(c, 'dtstart', ctx);
    const due = readTime(c, 'due', ctx);
    const completed = readTime(c, 'completed', ctx);
    return {
      title: getText(c, 'summary') ?? '',
      description: getText(c, 'description'),
      start: start ? formatTime(start) : null,
      due: due ? formatTime(due) : null,
      timezone: (start ?? due)?.dt.zoneName ?? ctx.zone,
      completed_at: completed ? formatTime(completed) : null,
      percent_complete: getNumber(c, 'percent-complete'),
      priority: getNumber(c, 'priority'),
      status: getText(c, 'status'),
      rrule: getRrule(c),
      reminders: getReminders(c),
    };
  },
};
