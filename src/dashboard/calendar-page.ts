import { eventPublicId } from '../entries/links.js';
import { when } from '../pages/event-time.js';
import { escapeHtml, html, type Html } from '../pages/layout.js';
import { copyField, type UpcomingEvent } from '../pages/subscribe-page.js';
import type { Calendar } from '../store/types.js';
import type { CalendarStats } from '../subscribers/stats.js';
import { appBreakdown, dailyChart } from './charts.js';
import { settingsSection } from './settings-section.js';
import { dashboardPage } from './shell.js';
import { subscriberTable, type SubscriberTableInput } from './subscriber-table.js';

export interface CalendarPageInput {
  basePath: string;
  csrf: string;
  calendar: Calendar;
  links: { feed_url: string; webcal_url: string; subscribe_url: string };
  qr: Html;
  events: number;
  upcoming: UpcomingEvent[];
  stats: CalendarStats;
  subscribers: Omit<SubscriberTableInput, 'calendarHref' | 'csrf'>;
  /** A one-line confirmation of the last action (after a redirect), if any. */
  notice?: string;
}

/** The snippet an owner pastes into their own site: a plain link styled inline, no script. */
export const embedSnippet = (title: string, subscribeUrl: string) =>
  `<a href="${escapeHtml(subscribeUrl)}" style="display:inline-block;padding:.6em 1.2em;background:#2563eb;color:#fff;border-radius:6px;font-weight:600;text-decoration:none">Subscribe to ${escapeHtml(title)}</a>`;

function upcomingList(p: CalendarPageInput): Html {
  if (p.upcoming.length === 0) return html`<p>No upcoming events. Events are added through the API or a CalDAV app.</p>`;
  return html`<ol class="events">${p.upcoming.map((e) => {
    const w = when(e, p.calendar.timezone);
    return html`<li class="event"><div class="date" aria-hidden="true"><span class="mon">${w.mon}</span><span class="day">${w.day}</span></div>
<div><h3><a href="${p.basePath}/e/${eventPublicId(p.calendar.id, e.objectId)}"><bdi>${e.title}</bdi></a></h3><p><time datetime="${w.iso}">${w.label}</time></p></div></li>`;
  })}</ol>`;
}

/** One calendar: its links, charts, subscribers, upcoming events and settings. */
export function calendarPage(p: CalendarPageInput): string {
  const c = p.calendar;
  const href = `${p.basePath}/dashboard/calendars/${c.id}`;
  const subs = p.stats.totals.subscribers;
  return dashboardPage({
    basePath: p.basePath, title: c.title, csrf: p.csrf,
    body: html`<section class="card hero" aria-labelledby="cal-heading">
<p><a href="${p.basePath}/dashboard">← All calendars</a></p>
<h1 id="cal-heading"><span class="dot" aria-hidden="true"></span><bdi>${c.title}</bdi></h1>
<p class="muted">${p.events} events · ${subs.active} active of ${subs.total} subscribers · ${c.published ? 'published' : 'not published'} · ${c.timezone}</p>
${p.notice ? html`<p class="ok" role="status">${p.notice}</p>` : ''}
<div class="share"><div class="link">
${copyField('feed-url', 'Feed URL', p.links.feed_url, html`For apps that ask for an ICS or iCal address.`)}
${copyField('webcal-url', 'Webcal URL', p.links.webcal_url, html`Opens Apple Calendar or Outlook directly.`)}
${copyField('subscribe-url', 'Subscribe page', p.links.subscribe_url, html`A page with one button per calendar app: <a href="${p.links.subscribe_url}">open it</a>.`)}
</div><figure class="qr">${p.qr}<figcaption>Scan to subscribe</figcaption></figure></div>
<label for="embed">Embed a “Subscribe” button on your site</label>
<textarea id="embed" rows="3" readonly spellcheck="false">${embedSnippet(c.title, p.links.subscribe_url)}</textarea>
</section>
<section class="card" aria-labelledby="chart-heading">
<h2 id="chart-heading">Last 30 days</h2>
<p class="muted" data-total-syncs="${p.stats.totals.syncs}">${p.stats.totals.syncs} syncs and ${p.stats.totals.newSubscribers} new subscribers from ${p.stats.from} to ${p.stats.to} (UTC).</p>
${dailyChart(p.stats.daily)}
<h3>Syncs by app</h3>
${appBreakdown(p.stats.byClient)}
</section>
<section class="card" id="subscribers" aria-labelledby="subs-heading">
<h2 id="subs-heading">Subscribers</h2>
${subscriberTable({ ...p.subscribers, calendarHref: href, csrf: p.csrf })}
</section>
<section class="card" aria-labelledby="events-heading">
<h2 id="events-heading">Upcoming events</h2>
<p class="muted">Times in ${c.timezone.replace(/_/g, ' ')}</p>
${upcomingList(p)}
</section>
<section class="card" aria-labelledby="settings-heading">
<h2 id="settings-heading">Settings</h2>
${settingsSection(c, href, p.csrf)}
</section>`,
  });
}
