import { html, type Html } from '../pages/layout.js';
import { CLIENT_LABELS, type ClientClass } from '../subscribers/classify.js';
import type { DailyStats } from '../store/types.js';

// Charts as inline SVG rendered here: no script, no chart library, nothing from a CDN. Each
// day's figures sit in data-* attributes and a <title> (a tooltip, and what screen readers
// and tests read), so the drawing and the numbers can never disagree.

/** The smallest 1-2-5 step that covers `max` in at most four steps; 1 for an empty chart. */
function niceStep(max: number): number {
  if (max <= 4) return 1;
  const raw = max / 4;
  const pow = 10 ** Math.floor(Math.log10(raw));
  return ([1, 2, 5, 10].find((m) => m * pow >= raw) ?? 10) * pow;
}

const f = (n: number) => Number(n.toFixed(1));

/** A 30-day sparkline of daily syncs, for the calendar list. */
export function sparkline(daily: DailyStats[], label: string): Html {
  const w = 120;
  const h = 30;
  const max = Math.max(1, ...daily.map((d) => d.syncs));
  const x = (i: number) => f(daily.length < 2 ? w / 2 : (i * w) / (daily.length - 1));
  const y = (v: number) => f(h - 2 - (v * (h - 4)) / max);
  const points = daily.map((d, i) => `${x(i)},${y(d.syncs)}`).join(' ');
  const total = daily.reduce((n, d) => n + d.syncs, 0);
  return html`<svg class="spark" viewBox="0 0 ${w} ${h}" role="img" data-total="${total}" aria-label="${label}: ${total} syncs in ${daily.length} days">
<title>${label}: ${total} syncs in ${daily.length} days</title>
<polyline points="${points}" fill="none" stroke="#1d4ed8" stroke-width="2" stroke-linejoin="round"/></svg>`;
}

const W = 720;
const H = 260;
const M = { left: 44, right: 44, top: 12, bottom: 36 };

/** Daily syncs (bars, left axis) and active subscribers (line, right axis), with a legend. */
export function dailyChart(daily: DailyStats[]): Html {
  const innerW = W - M.left - M.right;
  const innerH = H - M.top - M.bottom;
  const slot = innerW / Math.max(1, daily.length);
  const scale = (values: number[]) => {
    const step = niceStep(Math.max(0, ...values));
    const top = Math.max(step, Math.ceil(Math.max(0, ...values) / step) * step);
    return { step, top, y: (v: number) => f(M.top + innerH - (v * innerH) / top) };
  };
  const syncs = scale(daily.map((d) => d.syncs));
  const active = scale(daily.map((d) => d.activeSubscribers));
  const ticks = (s: ReturnType<typeof scale>) => Array.from({ length: Math.round(s.top / s.step) + 1 }, (_, i) => i * s.step);
  const cx = (i: number) => f(M.left + slot * i + slot / 2);
  const bottom = M.top + innerH;
  return html`<figure class="chart-figure"><div class="chart-scroll" tabindex="0" role="group" aria-label="Chart of the last 30 days; on a narrow screen it scrolls sideways">
<svg class="chart" viewBox="0 0 ${W} ${H}" role="img" aria-labelledby="chart-title">
<title id="chart-title">Daily syncs and active subscribers, ${daily[0]?.day ?? ''} to ${daily.at(-1)?.day ?? ''}</title>
${ticks(syncs).map((t) => html`<line class="grid" x1="${M.left}" x2="${W - M.right}" y1="${syncs.y(t)}" y2="${syncs.y(t)}"/><text x="${M.left - 6}" y="${syncs.y(t) + 4}" text-anchor="end">${t}</text>`)}
${ticks(active).map((t) => html`<text x="${W - M.right + 6}" y="${active.y(t) + 4}">${t}</text>`)}
<line class="axis" x1="${M.left}" x2="${W - M.right}" y1="${bottom}" y2="${bottom}"/>
<text x="12" y="${M.top + innerH / 2}" transform="rotate(-90 12 ${M.top + innerH / 2})" text-anchor="middle">Syncs</text>
<text x="${W - 8}" y="${M.top + innerH / 2}" transform="rotate(90 ${W - 8} ${M.top + innerH / 2})" text-anchor="middle">Active subscribers</text>
${daily.map((d, i) => html`<g class="day" data-day="${d.day}" data-syncs="${d.syncs}" data-active="${d.activeSubscribers}">
<title>${d.day}: ${d.syncs} syncs, ${d.activeSubscribers} active subscribers</title>
<rect class="syncs" x="${f(M.left + slot * i + slot * 0.15)}" width="${f(slot * 0.7)}" y="${syncs.y(d.syncs)}" height="${f(bottom - syncs.y(d.syncs))}"/>
<circle class="active-dot" cx="${cx(i)}" cy="${active.y(d.activeSubscribers)}" r="2.5"/>
${(daily.length - 1 - i) % 7 === 0 ? html`<text x="${cx(i)}" y="${bottom + 16}" text-anchor="middle">${d.day.slice(5)}</text>` : ''}</g>`)}
<polyline class="active" points="${daily.map((d, i) => `${cx(i)},${active.y(d.activeSubscribers)}`).join(' ')}"/>
<text x="${M.left + innerW / 2}" y="${H - 4}" text-anchor="middle">Day (UTC, month-day)</text>
</svg></div>
<figcaption><ul class="legend"><li><span class="key key-syncs" aria-hidden="true"></span>Syncs per day (left axis)</li>
<li><span class="key key-active" aria-hidden="true"></span>Active subscribers that day (right axis)</li></ul></figcaption>
</figure>`;
}

export const clientLabel = (c: string) => CLIENT_LABELS[c as ClientClass] ?? c;

/** Syncs per app over the range, largest first, as labelled horizontal bars. */
export function appBreakdown(byClient: Record<string, number>): Html {
  const rows = Object.entries(byClient);
  if (rows.length === 0) return html`<p class="muted">No syncs in the last 30 days.</p>`;
  const max = Math.max(...rows.map(([, n]) => n));
  return html`<ul class="apps-chart">${rows.map(([client, n]) => html`<li data-client="${client}" data-syncs="${n}">
<span>${clientLabel(client)}</span><svg viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true"><rect x="0" y="0" height="10" width="${f((n * 100) / max)}"/></svg><span class="num">${n}</span></li>`)}</ul>`;
}

