import { html, type Html } from '../pages/layout.js';
import type { Calendar } from '../store/types.js';
import { feedSettingsOf } from '../feeds/settings.js';
import { csrfField } from './shell.js';

const checkbox = (name: string, label: string, on: boolean, help: string) => html`<div class="field check">
<input id="${name}" name="${name}" type="checkbox" value="on" aria-describedby="${name}-help"${on ? html` checked` : ''}> <label for="${name}">${label}</label>
<p id="${name}-help" class="muted">${help}</p></div>`;

/** Feed settings, publish/unpublish and the way to rotate the shared URL. */
export function settingsSection(calendar: Calendar, calendarHref: string, csrf: string): Html {
  const s = feedSettingsOf(calendar.settings);
  return html`<form method="post" action="${calendarHref}/settings">${csrfField(csrf)}
<div class="grid2"><div class="field"><label for="past_days">Past days in the feed</label><input id="past_days" name="past_days" type="number" min="0" max="3650" required value="${s.pastDays}" aria-describedby="past_days-help">
<p id="past_days-help" class="muted">Events that ended longer ago are left out; Google keeps only about 1,000 events.</p></div>
<div class="field"><label for="refresh_interval_minutes">Refresh interval (minutes)</label><input id="refresh_interval_minutes" name="refresh_interval_minutes" type="number" min="15" max="10080" required value="${s.refreshMinutes}" aria-describedby="refresh-help">
<p id="refresh-help" class="muted">A hint to apps; Google and Outlook.com poll on their own schedule.</p></div></div>
${checkbox('include_reminders', 'Include reminders', s.includeReminders, 'Many apps strip them, and alarms set by others annoy subscribers.')}
${checkbox('include_attendees', 'Include attendees', s.includeAttendees, 'Off keeps attendees’ e-mail addresses out of a public feed.')}
<button class="btn" type="submit">Save settings</button></form>
<h3>Publishing</h3>
<p>This calendar is <strong>${calendar.published ? 'published' : 'not published'}</strong>.${calendar.published ? '' : ' Its feed, subscribe page and event pages answer “not found”.'}</p>
<form method="post" action="${calendarHref}/publish">${csrfField(csrf)}<input type="hidden" name="published" value="${calendar.published ? 'false' : 'true'}">
<button class="btn light" type="submit">${calendar.published ? 'Unpublish' : 'Publish'}</button></form>
<h3>Shared URL</h3>
<p>Rotating the key gives the calendar a new shared URL; the old one stops working (410 Gone). Personal URLs keep working.</p>
<p><a class="btn danger" href="${calendarHref}/rotate">Rotate key…</a></p>`;
}

/** The confirmation step before the shared URL is replaced. */
export function rotateConfirmation(calendar: Calendar, calendarHref: string, csrf: string, feedUrl: string): Html {
  return html`<section class="card hero" aria-labelledby="rotate-heading">
<h1 id="rotate-heading">Rotate the key of “<bdi>${calendar.title}</bdi>”?</h1>
<p>Everyone subscribed through <code>${feedUrl}</code> stops receiving updates: that URL will answer 410 Gone. They will need the new URL. Personal URLs keep working.</p>
<form method="post" action="${calendarHref}/rotate">${csrfField(csrf)}
<div class="actions"><button class="btn danger" type="submit">Yes, rotate the key</button><a class="btn light" href="${calendarHref}">Cancel</a></div></form>
</section>`;
}
