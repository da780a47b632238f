import { html } from '../pages/layout.js';
import type { Calendar } from '../store/types.js';
import type { CalendarStats } from '../subscribers/stats.js';
import { sparkline } from './charts.js';
import { csrfField, dashboardPage } from './shell.js';

export interface CalendarRow {
  calendar: Calendar;
  events: number;
  stats: CalendarStats;
}

export interface CalendarsPageInput {
  basePath: string;
  username: string;
  csrf: string;
  rows: CalendarRow[];
}

/** The signed-in user's calendars, one row each, and the form that creates one. */
export function calendarsPage(p: CalendarsPageInput): string {
  const home = `${p.basePath}/dashboard`;
  const rows = p.rows.map(({ calendar: c, events, stats }) => {
    const subs = stats.totals.subscribers;
    return html`<tr data-calendar="${c.id}">
<th scope="row" data-label="Calendar"><a href="${home}/calendars/${c.id}"><bdi>${c.title}</bdi></a>${c.published ? '' : html` <span class="status">unpublished</span>`}</th>
<td class="num" data-label="Events">${events}</td>
<td class="num" data-label="Active subscribers">${subs.active}</td>
<td class="num" data-label="Subscribers">${subs.total}</td>
<td class="num" data-label="Syncs today">${stats.daily.at(-1)?.syncs ?? 0}</td>
<td data-label="Last 30 days">${sparkline(stats.daily, `Syncs of ${c.title}`)}</td></tr>`;
  });
  return dashboardPage({
    basePath: p.basePath, title: 'Your calendars', csrf: p.csrf,
    body: html`<section class="card hero" aria-labelledby="list-heading">
<h1 id="list-heading">Your calendars</h1>
<p class="muted">Signed in as <bdi>${p.username}</bdi>. Figures are UTC days; a subscriber is active when it synced recently.</p>
${p.rows.length === 0 ? html`<p>No calendars yet: create one below.</p>` : html`<div class="table-wrap"><table class="stack">
<thead><tr><th scope="col">Calendar</th><th scope="col" class="num">Events</th><th scope="col" class="num">Active subscribers</th><th scope="col" class="num">Subscribers</th><th scope="col" class="num">Syncs today</th><th scope="col">Last 30 days</th></tr></thead>
<tbody>${rows}</tbody></table></div>`}
</section>
<section class="card" aria-labelledby="create-heading">
<h2 id="create-heading">Create a calendar</h2>
<form method="post" action="${home}/calendars">${csrfField(p.csrf)}
<div class="field"><label for="title">Title</label><input id="title" name="title" type="text" required maxlength="255"></div>
<div class="field"><label for="timezone">Time zone</label><input id="timezone" name="timezone" type="text" value="UTC" aria-describedby="timezone-help" spellcheck="false">
<p id="timezone-help" class="muted">An IANA name such as Europe/Paris or America/New_York.</p></div>
<button class="btn" type="submit">Create calendar</button>
</form>
</section>`,
  });
}
