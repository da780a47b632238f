import { z } from 'zod';

/**
 * The JSON shape of events, to-dos and journals as clients send them. Objects are strict,
 * so a misspelt field is an error instead of being silently dropped. `null` means "absent"
 * (JSON Merge Patch, RFC 7396, uses it to remove a field).
 */

const text = (max: number) => z.string().max(max).nullish();
const dateText = z.string().min(1).max(64);

/** Client ids double as idempotency keys and CalDAV member names, so they stay URL-safe. */
export const entryId = z.string().regex(/^[A-Za-z0-9_.-]{1,128}$/, 'use 1-128 letters, digits, _ . or -');

export const customData = z
  .record(z.string(), z.unknown())
  .refine((v) => JSON.stringify(v).length <= 4096, 'custom_data must be at most 4 KiB of JSON')
  .nullish();

/**
 * custom_data written as JSON text, as form-based clients send it (AddEvent: "Requires valid
 * JSON. Max length of JSON string is 500 characters"): at most `max` characters, an object or
 * `null` (which clears it), then the same rules as custom_data itself.
 */
export const customDataText = (max: number) => z
  .string()
  .max(max, `custom_data must be at most ${max} characters of JSON`)
  .transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'custom_data must be valid JSON' });
      return z.NEVER;
    }
  })
  .pipe(customData);

/** RFC 5545 §3.3.10 parts; a typo such as FREQ=WEEKY is caught again when ical.js reads it. */
export const rrule = z
  .string()
  .max(1000)
  .transform((s) => s.replace(/^RRULE:/i, '').trim())
  .refine((s) => /^FREQ=(SECONDLY|MINUTELY|HOURLY|DAILY|WEEKLY|MONTHLY|YEARLY)(;|$)/i.test(s)
    || /;FREQ=(SECONDLY|MINUTELY|HOURLY|DAILY|WEEKLY|MONTHLY|YEARLY)(;|$)/i.test(s), 'rrule needs a valid FREQ')
  .nullish();

const reminders = z.array(z.number().int().min(0).max(60 * 24 * 28)).max(20).nullish();

const person = z.strictObject({
  name: z.string().min(1).max(200),
  email: z.email().max(320),
});

const attendee = z.strictObject({
  email: z.email().max(320),
  name: z.string().max(200).nullish(),
  rsvp_status: z.enum(['ACCEPTED', 'DECLINED', 'TENTATIVE', 'NEEDS_ACTION']).nullish(),
  role: z.enum(['CHAIR', 'REQ-PARTICIPANT', 'OPT-PARTICIPANT', 'NON-PARTICIPANT']).nullish(),
});

/** A CSS3 colour name (RFC 7986 §5.9 COLOR) or #rrggbb, which calendar apps also accept. */
export const color = z
  .string()
  .regex(/^(#[0-9a-fA-F]{6}|[a-zA-Z]{3,30})$/, 'use #rrggbb or a CSS colour name')
  .nullish();

export const timezoneName = z.string().min(1).max(64).nullish();

const common = {
  id: entryId.optional(),
  title: z.string().trim().min(1).max(1000),
  description: text(65536),
  timezone: timezoneName,
  rrule,
  reminders,
  custom_data: customData,
};

export const eventInput = z.strictObject({
  ...common,
  location: text(1000),
  url: z.url({ protocol: /^https?$/ }).max(2000).nullish(),
  start: dateText,
  end: dateText.nullish(),
  all_day: z.boolean().nullish(),
  exdates: z.array(dateText).max(1000).nullish(),
  organizer: person.nullish(),
  attendees: z.array(attendee).max(500).nullish(),
  status: z.enum(['CONFIRMED', 'TENTATIVE', 'CANCELLED']).nullish(),
  transparency: z.enum(['busy', 'free']).nullish(),
  color,
  categories: z.array(z.string().min(1).max(200)).max(50).nullish(),
});

/** Seed 002's participants_notification: how attendees hear about a change. */
export const NOTIFICATION_MODES = ['NO_NOTIFICATION', 'UPDATE_NOTIFICATION', 'RESET_NOTIFICATION'] as const;
export type NotificationMode = (typeof NOTIFICATION_MODES)[number];

/** participants_notification rides beside an event's fields. */
export const notificationInput = z.object({
  participants_notification: z.enum(NOTIFICATION_MODES).default('UPDATE_NOTIFICATION'),
});

export const todoInput = z.strictObject({
  ...common,
  start: dateText.nullish(),
  due: dateText.nullish(),
  completed_at: dateText.nullish(),
  percent_complete: z.number().int().min(0).max(100).nullish(),
  priority: z.number().int().min(0).max(9).nullish(),
  status: z.enum(['NEEDS-ACTION', 'IN-PROCESS', 'COMPLETED', 'CANCELLED']).nullish(),
});

export const journalInput = z.strictObject({
  id: common.id,
  title: common.title,
  description: common.description,
  timezone: common.timezone,
  custom_data: common.custom_data,
  date: dateText,
  status: z.enum(['DRAFT', 'FINAL', 'CANCELLED']).nullish(),
});

export type EventInput = z.infer<typeof eventInput>;
export type TodoInput = z.infer<typeof todoInput>;
export type JournalInput = z.infer<typeof journalInput>;
export type EntryInput = EventInput | TodoInput | JournalInput;
