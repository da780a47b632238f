import type { Calendar } from '../store/types.js';
import type { AddApp } from '../entries/links.js';
import { when, type Span } from './event-time.js';
import { html, page, type Html } from './layout.js';

export interface EventPageInput {
  calendar: Calendar;
  title: string;
  description: string | null;
  location: string | null;
  /** The occurrence shown: the next one of a series, or the event itself. */
  shown: Span;
  /** Whether `shown` is a later occurrence of a series rather than its first. */
  next: boolean;
  zone: string;
  /** The rule in words ("every Tuesday until 30 June 2027"), or "" for a one-off. */
  repeats: string | null;
  cancelled: boolean;
  /** Each app's button target: the counting redirect. */
  addHref: (app: AddApp) => string;
  subscribeHref: string;
}

const BUTTONS: { app: AddApp; label: string; hint: string }[] = [
  { app: 'apple', label: 'Apple Calendar', hint: 'iPhone, iPad, Mac (.ics)' },
  { app: 'google', label: 'Google Calendar', hint: 'Opens Google Calendar' },
  { app: 'outlook', label: 'Outlook', hint: 'Windows, Mac desktop (.ics)' },
  { app: 'outlookcom', label: 'Outlook.com', hint: 'Personal Microsoft account' },
  { app: 'office365', label: 'Microsoft 365', hint: 'Work or school account' },
  { app: 'yahoo', label: 'Yahoo Calendar', hint: 'Opens Yahoo Calendar' },
];

function repeatLine(repeats: string | null): Html | string {
  if (repeats === '') return '';
  return html`<p class="repeats">${repeats ? `Repeats ${repeats}` : 'Repeats on a custom schedule'}</p>`;
}

/**
 * One event's public page. The time is shown in the event's own zone; the page script adds the
 * viewer's local time when it differs (`data-zone`), so without JavaScript nothing is wrong.
 */
export function eventPage(p: EventPageInput): string {
  const w = when(p.shown, p.zone);
  const buttons = BUTTONS.map((b) => html`
<li><a class="app" rel="nofollow" href="${p.addHref(b.app)}"><span class="name">${b.label}</span><span class="hint">${b.hint}</span></a></li>`);
  return page({
    title: p.cancelled ? `Cancelled: ${p.title}` : p.title,
    accent: p.calendar.color,
    body: html`<section class="card hero">
<h1><span class="dot" aria-hidden="true"></span><span><bdi>${p.title}</bdi></span></h1>
${p.cancelled ? html`<p class="notice" role="status"><strong>This event has been cancelled.</strong></p>` : ''}
<p class="when">${p.next ? 'Next: ' : ''}<time datetime="${w.iso}" data-zone="${p.zone}" data-all-day="${String(p.shown.allDay)}">${w.label}</time></p>
<p class="muted zone">Times in ${p.zone.replace(/_/g, ' ')}</p>
${repeatLine(p.repeats)}
${p.location ? html`<p class="where" dir="auto">${p.location}</p>` : ''}
${p.description ? html`<p class="desc" dir="auto">${p.description}</p>` : ''}
</section>
${p.cancelled ? '' : html`<section class="card" aria-labelledby="add-heading">
<h2 id="add-heading">Add to your calendar</h2>
<ul class="apps">${buttons}</ul>
</section>`}
<section class="card">
<p>From the calendar <a href="${p.subscribeHref}"><bdi>${p.calendar.title}</bdi></a>: subscribe to it to get every event and every change.</p>
</section>`,
  });
}
