/**
 * The tables `calcast migrate-store` copies, parents before children, so every foreign key
 * finds its row (PostgreSQL checks each insert). A fixed list rather than whatever the file
 * holds: a table added by a later migration is a decision to make here (copy or skip, and
 * why), not something a copy picks up or drops silently; test/cli/migrate-store.test.ts
 * fails until every table of the migrations is in one list or the other.
 */
export const COPIED_TABLES = [
  'users',
  'api_tokens',
  'dashboard_sessions', // signed-in dashboard users stay signed in
  'schedule_inbox',
  'calendars', // feed keys and sync tokens: the feed URLs and CalDAV tokens subscribers hold
  'retired_feed_keys', // rotated-away URLs keep answering 410, so apps stop polling them
  'calendar_objects',
  'calendar_changes', // the history a sync-collection with an old token is answered from
  'subscribers',
  'sync_log',
  'sync_daily',
  'event_adds',
  'mail_outbox', // invitations not yet sent go out from the new store
  'outbox', // no foreign key; copied so its sequence continues where it was
] as const;

/** Tables deliberately left behind, with the reason the summary prints. */
export const SKIPPED_TABLES: Readonly<Record<string, string>> = {
  login_failures: 'failed sign-ins of the last 15 minutes: transient; leaving them only ends a lockout early',
  rate_limits: 'rate-limit buckets: transient, a bucket idle for a minute is full again anyway',
};
