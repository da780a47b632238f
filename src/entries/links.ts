/** What single-event "add to calendar" links need: instants, and the dates of all-day events. */
export interface LinkEvent {
  title: string;
  description: string | null;
  location: string | null;
  /** Unix milliseconds. */
  start: number;
  end: number;
  allDay: boolean;
  /** YYYY-MM-DD, for all-day events. */
  startDate: string;
  endDate: string;
  timezone: string;
}

// Plain Date formatting: this runs for every event of every API answer.
const utcIso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const utcBasic = (ms: number) => utcIso(ms).replace(/[-:]/g, '');
const basicDate = (date: string) => date.replace(/-/g, '');

function query(params: Record<string, string | null | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) q.set(k, v);
  return q.toString();
}

/**
 * Outlook.com and Microsoft 365 share the compose deep link; only the host differs. The
 * `deeplink/compose` form with `path` is the one both open in the web app and in the mobile
 * apps' browser hand-off.
 */
function outlook(host: string, e: LinkEvent): string {
  return `https://${host}/calendar/0/deeplink/compose?${query({
    path: '/calendar/action/compose', rru: 'addevent', subject: e.title,
    startdt: e.allDay ? e.startDate : utcIso(e.start), enddt: e.allDay ? e.endDate : utcIso(e.end),
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
      action: 'TEMPLATE', text: e.title,
      dates: e.allDay ? `${basicDate(e.startDate)}/${basicDate(e.endDate)}` : `${utcBasic(e.start)}/${utcBasic(e.end)}`,
      details: e.description, location: e.location, ctz: e.timezone,
    })}`,
    outlook: outlook('outlook.live.com', e),
    office365: outlook('outlook.office.com', e),
    // Yahoo takes a start plus either an end or dur=allday for all-day events.
    yahoo: `https://calendar.yahoo.com/?${query({
      v: '60', title: e.title, st: e.allDay ? basicDate(e.startDate) : utcBasic(e.start),
      ...(e.allDay ? { dur: 'allday' } : { et: utcBasic(e.end) }),
      desc: e.description, in_loc: e.location,
    })}`,
  };
}

/**
 * The apps an event page offers, named as AddEvent names them: Apple and Outlook desktop take
 * the `.ics` download, the others their web template link.
 */
export const ADD_APPS = ['apple', 'google', 'office365', 'outlook', 'outlookcom', 'yahoo'] as const;
export type AddApp = (typeof ADD_APPS)[number];
export const isAddApp = (app: string): app is AddApp => (ADD_APPS as readonly string[]).includes(app);

/**
 * An event's public id: its calendar's id and its own, which is unique only within the
 * calendar. Calendar ids are base64url, so the first dot always separates the two.
 */
export const eventPublicId = (calendarId: string, objectId: string) => `${calendarId}.${objectId}`;

export function parseEventPublicId(id: string): { calendarId: string; objectId: string } | null {
  const m = /^([A-Za-z0-9_-]{1,64})\.([A-Za-z0-9_.-]{1,128})$/.exec(id);
  return m ? { calendarId: m[1]!, objectId: m[2]! } : null;
}
