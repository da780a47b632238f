import { DateTime } from 'luxon';

/** What single-event "add to calendar" links need. */
export interface LinkEvent {
  title: string;
  description: string | null;
  location: string | null;
  start: DateTime;
  end: DateTime;
  allDay: boolean;
  timezone: string;
}

const basic = (dt: DateTime, allDay: boolean) =>
  allDay ? dt.toISODate({ format: 'basic' })! : dt.toUTC().toISO({ format: 'basic', suppressMilliseconds: true })!;

function query(params: Record<string, string | null | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) q.set(k, v);
  return q.toString();
}

/** Outlook.com and Microsoft 365 share the deep-link format; only the host differs. */
function outlook(host: string, e: LinkEvent): string {
  const iso = (dt: DateTime) => (e.allDay ? dt.toISODate()! : dt.toUTC().toISO({ suppressMilliseconds: true })!);
  return `https://${host}/calendar/0/action/compose?${query({
    rru: 'addevent', subject: e.title, startdt: iso(e.start), enddt: iso(e.end),
    allday: String(e.allDay), body: e.description, location: e.location,
  })}`;
}

/**
 * Deep links that open each provider's "new event" form pre-filled. All-day end dates are
 * exclusive, as in iCalendar, which is what Google and Outlook expect too.
 */
export function addToCalendarLinks(e: LinkEvent): Record<'google' | 'outlook' | 'office365' | 'yahoo', string> {
  return {
    google: `https://calendar.google.com/calendar/render?${query({
      action: 'TEMPLATE', text: e.title, dates: `${basic(e.start, e.allDay)}/${basic(e.end, e.allDay)}`,
      details: e.description, location: e.location, ctz: e.timezone,
    })}`,
    outlook: outlook('outlook.live.com', e),
    office365: outlook('outlook.office.com', e),
    // Yahoo takes a start plus either an end or dur=allday for all-day events.
    yahoo: `https://calendar.yahoo.com/?${query({
      v: '60', title: e.title, st: basic(e.start, e.allDay),
      ...(e.allDay ? { dur: 'allday' } : { et: basic(e.end, false) }),
      desc: e.description, in_loc: e.location,
    })}`,
  };
}
