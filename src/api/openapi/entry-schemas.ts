import { z } from 'zod';
import type { MAPPINGS } from '../../entries/mappings.js';

/** Events, to-dos and journals as the API answers with them (entries/present.ts and the mappings). */

const instant = z.iso.datetime();
const when = z.union([z.iso.date(), z.iso.datetime({ offset: true })])
  .meta({ description: 'YYYY-MM-DD for all-day values, else ISO 8601 with the offset of `timezone`.' });

/** The fields every entry shares, around the ones of its kind. */
const shared = {
  id: z.string().meta({ description: 'The client id or a generated one; also the CalDAV member name.' }),
  calendar_id: z.string(),
  uid: z.string().meta({ description: 'The iCalendar UID.' }),
  recurrence_id: z.string().nullable().optional().meta({
    description: 'With expand=true: the occurrence\'s RECURRENCE-ID, null for a single event.',
  }),
  sequence: z.number().int().min(0),
  etag: z.string().meta({ description: 'As the ETag header carries it; send it back in If-Match.' }),
  custom_data: z.record(z.string(), z.unknown()).nullable(),
  created_at: instant,
  updated_at: instant,
  notifications: z.enum(['disabled', 'none', 'suppressed', 'queued']).optional().meta({
    description: 'After a write of an event with attendees: what was done about their invitations.',
  }),
};

const text = z.string().nullable();
const reminders = z.array(z.number().int().min(0)).meta({ description: 'Minutes before the start.' });

const eventSchema = z.strictObject({
  ...shared,
  title: z.string(),
  description: text,
  location: text,
  url: text,
  start: when.nullable(),
  end: when.nullable(),
  timezone: z.string(),
  all_day: z.boolean(),
  rrule: text.meta({ description: 'RFC 5545 §3.3.10, without the RRULE: prefix.' }),
  exdates: z.array(when),
  reminders,
  organizer: z.strictObject({ name: z.string(), email: z.string() }).nullable(),
  attendees: z.array(z.strictObject({
    email: z.string(),
    name: z.string().nullable(),
    rsvp_status: z.string().meta({ description: 'ACCEPTED, DECLINED, TENTATIVE or NEEDS_ACTION (or another PARTSTAT a client wrote).' }),
    role: z.string(),
  })),
  status: text,
  transparency: z.enum(['busy', 'free']),
  color: text,
  categories: z.array(z.string()),
  event_url: z.url().meta({ description: 'The public event page.' }),
  links: z.strictObject({
    ics: z.url(), google: z.url(), outlook: z.url(), office365: z.url(), yahoo: z.url(),
  }).nullable().meta({ description: 'One-event .ics and "add to calendar" links; null without a start.' }),
}).meta({ id: 'Event' });

const todoSchema = z.strictObject({
  ...shared,
  title: z.string(),
  description: text,
  start: when.nullable(),
  due: when.nullable(),
  timezone: z.string(),
  completed_at: when.nullable(),
  percent_complete: z.number().int().nullable(),
  priority: z.number().int().nullable(),
  status: text,
  rrule: text,
  reminders,
}).meta({ id: 'Todo' });

const journalSchema = z.strictObject({
  ...shared,
  title: z.string(),
  description: text,
  date: when.nullable(),
  timezone: z.string(),
  status: text,
}).meta({ id: 'Journal' });

export const ENTRY_SCHEMAS: Record<keyof typeof MAPPINGS, z.ZodObject> = { events: eventSchema, todos: todoSchema, journals: journalSchema };

/** The singular noun of each collection, for summaries. */
export const ENTRY_NOUNS: Record<keyof typeof MAPPINGS, string> = { events: 'event', todos: 'to-do', journals: 'journal' };
