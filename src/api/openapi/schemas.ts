import { z } from 'zod';
import { CLIENT_CLASSES, type ClientClass } from '../../subscribers/classify.js';
import { ADD_APPS } from '../../entries/links.js';

/**
 * The JSON the API answers with. Requests are described by the schemas the handlers validate
 * with; answers by these, which the API test suites check every response against.
 */

const instant = z.iso.datetime().meta({ description: 'UTC, ISO 8601.' });
const day = z.iso.date();
const count = z.number().int().min(0);
const link = z.url();

export const feedSettingsSchema = z.strictObject({
  past_days: count.meta({ description: 'Events that ended longer ago are left out of the feed.' }),
  refresh_interval_minutes: count.meta({ description: 'REFRESH-INTERVAL and X-PUBLISHED-TTL.' }),
  include_reminders: z.boolean(),
  include_attendees: z.boolean(),
}).meta({ id: 'FeedSettings' });

export const calendarSchema = z.strictObject({
  id: z.string(),
  title: z.string(),
  description: z.string().nullable(),
  timezone: z.string().meta({ description: 'IANA name; floating times are read in it.' }),
  color: z.string().nullable(),
  weekday_begin: z.enum(['sunday', 'monday', 'saturday']).nullable(),
  custom_data: z.record(z.string(), z.unknown()).nullable(),
  published: z.boolean(),
  events_total: count,
  followers_active: count,
  followers_total: count,
  feed: feedSettingsSchema,
  feed_status: z.strictObject({
    bytes: count,
    events: count,
    exceeds_google_limits: z.boolean().meta({ description: 'Google drops feeds over about 1 MB or 1,000 events.' }),
  }),
  created_at: instant,
  updated_at: instant,
  feed_url: link,
  webcal_url: link,
  subscribe_url: link,
  caldav_url: link,
  caldav_public_url: link.meta({ description: 'Read-only CalDAV, no login.' }),
}).meta({ id: 'Calendar' });

const subscriberStatus = z.enum(['active', 'inactive', 'blocked']);
const subscriberSummary = z.strictObject({ total: count, active: count, inactive: count, blocked: count })
  .meta({ id: 'SubscriberSummary' });

export const subscriberSchema = z.strictObject({
  id: z.string(),
  kind: z.enum(['personal', 'anonymous']),
  client: z.string().meta({ description: `A client class: ${CLIENT_CLASSES.join(', ')}.` }),
  status: subscriberStatus,
  sync_count: count,
  first_sync_at: instant.nullable(),
  last_sync_at: instant.nullable(),
  created_at: instant.nullable(),
  name: z.string().nullable(),
  email: z.string().nullable(),
  country: z.string().nullable(),
  city: z.string().nullable(),
}).meta({ id: 'Subscriber' });

export const mintedSubscriberSchema = subscriberSchema.extend({
  feed_url: link.meta({ description: 'The personal feed URL; it is shown once.' }),
  webcal_url: link,
}).meta({ id: 'MintedSubscriber' });

export const subscriberPageSchema = z.strictObject({
  data: z.array(subscriberSchema),
  summary: subscriberSummary,
  next_cursor: z.string().nullable(),
});

const clientCounts = z.partialRecord(z.enum(CLIENT_CLASSES as [ClientClass, ...ClientClass[]]), count);

export const statsSchema = z.strictObject({
  days: z.number().int().min(1).max(365),
  from: day,
  to: day,
  data: z.array(z.strictObject({ day, syncs: count, active_subscribers: count, new_subscribers: count })),
  by_client: clientCounts.meta({ description: 'Syncs per client class over the range; classes without syncs are left out.' }),
  totals: z.strictObject({ syncs: count, new_subscribers: count, subscribers: subscriberSummary }),
}).meta({ id: 'CalendarStats' });

export const tokenSchema = z.strictObject({
  id: z.string(),
  name: z.string(),
  created_at: instant,
  last_used_at: instant.nullable(),
}).meta({ id: 'ApiToken' });

export const newTokenSchema = tokenSchema.extend({
  token: z.string().meta({ description: 'The secret, shown once; only its hash is kept.' }),
}).meta({ id: 'NewApiToken' });

export const mailSchema = z.strictObject({
  id: z.string(),
  method: z.enum(['REQUEST', 'CANCEL']),
  recipient: z.string(),
  subject: z.string(),
  message_id: z.string(),
  status: z.enum(['pending', 'sending', 'sent', 'dead']),
  attempts: count,
  last_error: z.string().nullable(),
  next_attempt_at: instant.nullable(),
  created_at: instant,
  sent_at: instant.nullable(),
}).meta({ id: 'Invitation' });

export const eventAddsSchema = z.strictObject({
  event_id: z.string(),
  total: count,
  by_app: z.strictObject(Object.fromEntries(ADD_APPS.map((app) => [app, count]))),
});

export const overviewSchema = z.strictObject({
  data: z.strictObject({ time_zone: z.string(), today: count, tomorrow: count, next_7_days: count }),
});

export const timezonesSchema = z.strictObject({
  data: z.array(z.strictObject({ label: z.string(), offset: z.string().regex(/^[+-]\d{2}:\d{2}$/) })),
});

export const importSchema = z.strictObject({ created: count, updated: count });

export const locationHeader = z.object({ Location: z.url().meta({ description: 'The new resource.' }) });
