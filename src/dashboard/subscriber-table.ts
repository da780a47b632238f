import { html, type Html } from '../pages/layout.js';
import type { Subscriber, SubscriberStatus } from '../store/types.js';
import { subscriberStatus } from '../subscribers/stats.js';
import { clientLabel } from './charts.js';
import { csrfField } from './shell.js';

export const STATUSES: readonly SubscriberStatus[] = ['all', 'active', 'inactive', 'blocked'];
export const ORDERS = ['desc', 'asc'] as const;
export type Order = (typeof ORDERS)[number];

export interface SubscriberTableInput {
  /** /dashboard/calendars/:id, with the base path. */
  calendarHref: string;
  csrf: string;
  subscribers: Subscriber[];
  activeSince: number;
  status: SubscriberStatus;
  order: Order;
  /** The cursor of the next page, or null on the last. */
  next: string | null;
  /** Whether this is a later page (offer the way back to the first). */
  paged: boolean;
}

const at = (ms: number | null) => ms === null ? html`<span class="muted">never</span>`
  : html`<time datetime="${new Date(ms).toISOString()}">${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC</time>`;

/** Who a row is: the name or e-mail an owner gave, else the app of an anonymous follower. */
const who = (s: Subscriber): Html => s.name || s.email ? html`<bdi>${s.name ?? s.email}</bdi>`
  : html`<span class="muted">Anonymous ${clientLabel(s.client)}</span>`;

function row(s: Subscriber, p: SubscriberTableInput): Html {
  const status = subscriberStatus(s, p.activeSince);
  const action = (verb: string, label: string, cls = 'light') => html`<form class="inline" method="post" action="${p.calendarHref}/subscribers/${s.id}/${verb}">${csrfField(p.csrf)}<button class="btn small ${cls}" type="submit" aria-label="${label} ${s.name ?? s.email ?? `anonymous ${clientLabel(s.client)}`}">${label}</button></form>`;
  return html`<tr data-subscriber="${s.id}" data-status="${status}">
<td data-label="Subscriber"><span>${who(s)}${s.kind === 'personal' ? html` <span class="muted">(personal URL)</span>` : ''}</span></td>
<td data-label="App">${clientLabel(s.client)}</td>
<td data-label="First sync">${at(s.firstSyncAt)}</td>
<td data-label="Last sync">${at(s.lastSyncAt)}</td>
<td class="num" data-label="Syncs">${s.syncCount}</td>
<td data-label="Status"><span class="status status-${status}">${status}</span></td>
<td data-label="Actions"><div class="actions">${s.blocked ? action('unblock', 'Unblock') : action('block', 'Block')}${action('delete', 'Delete', 'danger')}</div></td></tr>`;
}

const option = (value: string, current: string, label: string) =>
  html`<option value="${value}"${value === current ? html` selected` : ''}>${label}</option>`;

/** The subscriber table as AddEvent shows it: filter by status, sort by last sync, page on. */
export function subscriberTable(p: SubscriberTableInput): Html {
  const query = (extra: Record<string, string>) => `${p.calendarHref}?${new URLSearchParams({ status: p.status, order: p.order, ...extra })}#subscribers`;
  return html`<form class="filters" method="get" action="${p.calendarHref}#subscribers">
<div class="field"><label for="status">Status</label><select id="status" name="status">${STATUSES.map((s) => option(s, p.status, s === 'all' ? 'All' : s[0]!.toUpperCase() + s.slice(1)))}</select></div>
<div class="field"><label for="order">Sort</label><select id="order" name="order">${option('desc', p.order, 'Last sync, newest first')}${option('asc', p.order, 'Last sync, oldest first')}</select></div>
<button class="btn light" type="submit">Show</button></form>
${p.subscribers.length === 0 ? html`<p>No subscribers with this status.</p>` : html`<div class="table-wrap"><table class="stack" id="subscriber-table">
<thead><tr><th scope="col">Subscriber</th><th scope="col">App</th><th scope="col">First sync</th><th scope="col">Last sync</th><th scope="col" class="num">Syncs</th><th scope="col">Status</th><th scope="col">Actions</th></tr></thead>
<tbody>${p.subscribers.map((s) => row(s, p))}</tbody></table></div>`}
<nav class="pager" aria-label="Subscriber pages">${p.paged ? html`<a href="${query({})}">First page</a>` : ''}${p.next ? html`<a href="${query({ after: p.next })}" rel="next">Next page</a>` : ''}</nav>
<h3>Personal URL for a named person</h3>
<p class="muted">Each person gets their own feed URL, so their syncs are counted exactly and you can block them alone.</p>
<form method="post" action="${p.calendarHref}/subscribers">${csrfField(p.csrf)}
<div class="field"><label for="sub-name">Name</label><input id="sub-name" name="name" type="text" required maxlength="200"></div>
<div class="field"><label for="sub-email">E-mail (optional)</label><input id="sub-email" name="email" type="email" maxlength="254"></div>
<button class="btn" type="submit">Create personal URL</button></form>`;
}
