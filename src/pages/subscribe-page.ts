import type ICAL from 'ical.js';
import { matchingInstances } from '../entries/instances.js';
import { parseCalendar } from '../ical/parse.js';
import { FOREVER } from '../ical/recurrence.js';
import type { Calendar, CalendarObject, Keyset, Store } from '../store/types.js';
import { html, page, type Html } from './layout.js';
import { when, type Span } from './event-time.js';
import { GOOGLE_ADD_BY_URL, PROVIDERS } from './providers.js';

export interface UpcomingEvent extends Span {
  /** The calendar object the occurrence belongs to (its event page is /e/<calendar>.<object>). */
  objectId: string;
  title: string;
  location: string | null;
}

const DAY = 86_400;
// Growing look-ahead windows: most calendars fill ten slots within a month, and the store's
// startBefore prefilter is exact on the first_start envelope, so a window never misses an instance.
const WINDOWS = [30 * DAY, 240 * DAY, 5 * 365 * DAY];
const PAGE = 200;
// A page shows ten events; a calendar with more objects than this in one window is far past
// what feed clients accept anyway (DESIGN.md §5.6), so the earliest-starting ones are enough.
const MAX_SCAN = 2000;

function text(c: ICAL.Component, name: string): string | null {
  const v = c.getFirstPropertyValue(name);
  return typeof v === 'string' && v.trim() !== '' ? v : null;
}

const cancelled = (c: ICAL.Component) => text(c, 'status')?.toUpperCase() === 'CANCELLED';

/** One object's live instances in [now, until]; expands further while cancelled ones crowd the cap. */
function liveInstances(o: CalendarObject, zone: string, now: number, until: number, count: number): UpcomingEvent[] {
  let root: ICAL.Component;
  try {
    root = parseCalendar(o.data);
  } catch {
    return []; // a broken object must not take the whole page down
  }
  for (let max = count; ; max *= 4) {
    const found = matchingInstances(root, zone, { endAfter: now, startBefore: until }, max);
    const live = found.filter((i) => !cancelled(i.component));
    if (live.length >= count || found.length < max || max >= 10_000) {
      return live.slice(0, count).map((i) => ({
        objectId: o.id, start: i.start, end: i.end, allDay: i.allDay,
        title: text(i.component, 'summary') ?? 'Untitled event',
        location: text(i.component, 'location'),
      }));
    }
  }
}

/**
 * The next `count` event occurrences that have not ended, recurring events contributing their
 * next instances, cancelled ones (whole events or single instances) left out.
 */
export async function nextEvents(store: Store, calendar: Calendar, now: number, count = 10): Promise<UpcomingEvent[]> {
  for (const span of [...WINDOWS, null]) {
    const until = span === null ? FOREVER : now + span;
    const found: UpcomingEvent[] = [];
    let after: Keyset | undefined;
    for (let scanned = 0; scanned < MAX_SCAN; scanned += PAGE) {
      const res = await store.listObjects({
        calendarIds: [calendar.id], componentType: 'VEVENT', endAfter: now, startBefore: until,
        order: 'START_DATE_ASC', limit: PAGE, ...(after ? { after } : {}),
      });
      for (const o of res.objects) found.push(...liveInstances(o, calendar.timezone, now, until, count));
      if (!res.next) break;
      after = res.next;
    }
    if (found.length >= count || span === null) {
      return found.sort((a, b) => a.start - b.start || a.end - b.end).slice(0, count);
    }
  }
  return [];
}

function eventList(events: UpcomingEvent[], zone: string): Html {
  if (events.length === 0) return html`<p>No upcoming events yet. Subscribe and new events will appear in your calendar.</p>`;
  return html`<ol class="events">${events.map((e) => {
    const w = when(e, zone);
    return html`
<li class="event"><div class="date" aria-hidden="true"><span class="mon">${w.mon}</span><span class="day">${w.day}</span></div>
<div><h3 class="event-title"><bdi>${e.title}</bdi></h3><p><time datetime="${w.iso}">${w.label}</time></p>${e.location ? html`<p dir="auto">${e.location}</p>` : ''}</div></li>`;
  })}</ol>`;
}

/** A read-only field with a copy button that only JavaScript reveals. */
export function copyField(id: string, label: string, value: string, help: Html): Html {
  return html`<label for="${id}">${label}</label>
<div class="copy"><input id="${id}" type="text" readonly value="${value}" aria-describedby="${id}-help" spellcheck="false"><button type="button" data-copy="${id}" hidden>Copy</button></div>
<p id="${id}-help" class="muted">${help}</p>`;
}

function hero(calendar: Calendar, heading: Html | string): Html {
  return html`<section class="card hero">
<h1><span class="dot" aria-hidden="true"></span><span>${heading}</span></h1>
${calendar.description ? html`<p class="desc" dir="auto">${calendar.description}</p>` : ''}
</section>`;
}

export interface SubscribePageInput {
  calendar: Calendar;
  /** webcal:// URL of the shared feed, for the copy field and the QR code. */
  sharedUrl: string;
  /** Where the forms post, with the base URL's path prefix. */
  subscribeAction: string;
  qr: Html;
  events: UpcomingEvent[];
}

export function subscribePage(p: SubscribePageInput): string {
  const buttons = PROVIDERS.map((a) => html`
<li><form method="post" action="${p.subscribeAction}"><input type="hidden" name="app" value="${a.id}"><button type="submit" class="app"><span class="name">${a.label}</span><span class="hint">${a.hint}</span></button></form></li>`);
  return page({
    title: `Subscribe to ${p.calendar.title}`,
    accent: p.calendar.color,
    body: html`${hero(p.calendar, html`<bdi>${p.calendar.title}</bdi>`)}
<section class="card" aria-labelledby="add-heading">
<h2 id="add-heading">Add to your calendar</h2>
<p class="muted">Choose your calendar app. New and changed events will show up there automatically.</p>
<ul class="apps">${buttons}</ul>
</section>
<section class="card" aria-labelledby="link-heading">
<h2 id="link-heading">Another app?</h2>
<div class="share"><div class="link">
${copyField('calendar-link', 'Calendar link', p.sharedUrl, html`Paste it where your app offers to subscribe or add a calendar from a URL.
If the Google Calendar button didn’t work, paste it at <a href="${GOOGLE_ADD_BY_URL}">Google Calendar → Add calendar → From URL</a>.`)}
</div>
<figure class="qr">${p.qr}<figcaption>Scan to add on your phone</figcaption></figure></div>
</section>
<section class="card" aria-labelledby="events-heading">
<h2 id="events-heading">Upcoming events</h2>
<p class="muted">Times in ${p.calendar.timezone.replace(/_/g, ' ')}</p>
${eventList(p.events, p.calendar.timezone)}
</section>`,
  });
}

/** Yahoo has no subscribe link: the personal URL to copy and the steps to follow. */
export function yahooPage(calendar: Calendar, personalUrl: string, backHref: string): string {
  return page({
    title: `Add ${calendar.title} to Yahoo Calendar`,
    accent: calendar.color,
    robots: 'noindex',
    body: html`${hero(calendar, html`Add “<bdi>${calendar.title}</bdi>” to Yahoo Calendar`)}
<section class="card" aria-labelledby="steps-heading">
${copyField('personal-link', 'Your personal calendar link', personalUrl, html`This link is yours: please don’t share it.`)}
<h2 id="steps-heading">Then, in Yahoo Calendar</h2>
<ol class="steps">
<li>Copy the link above.</li>
<li>Open <a href="https://calendar.yahoo.com/">Yahoo Calendar</a>.</li>
<li>Next to <strong>Calendars</strong>, choose <strong>Actions</strong> (⋯), then <strong>Follow Other Calendars</strong>.</li>
<li>Paste the link into the <strong>iCal address</strong> field.</li>
<li>Give the calendar a name, then choose <strong>Save</strong>.</li>
</ol>
<p><a href="${backHref}">Back to the calendar</a></p>
</section>`,
  });
}
