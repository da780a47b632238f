import { createHash } from 'node:crypto';
import type { Context } from 'koa';

// The pages' shared HTML shell. Every interpolated value passes through `escapeHtml` by way of
// the `html` tag below; only fragments that the tag itself produced (or `trusted`) pass raw.

const RAW = Symbol('raw html');
export interface Html { readonly [RAW]: string }

/**
 * Bidirectional controls (embeddings, overrides, isolates, marks): a U+202E in a title would
 * reverse the page text around it. User text is isolated with <bdi> or dir="auto" instead.
 */
const BIDI_CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export function escapeHtml(value: string): string {
  return value.replace(BIDI_CONTROLS, '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Markup from a source we control (the QR code SVG); never user text. */
export function trusted(markup: string): Html {
  return { [RAW]: markup };
}

type Value = Html | string | number | null | undefined | false | readonly Value[];

function render(v: Value): string {
  if (v === null || v === undefined || v === false) return '';
  if (Array.isArray(v)) return v.map(render).join('');
  if (typeof v === 'object') return (v as Html)[RAW];
  return escapeHtml(String(v));
}

/** Tagged template: `html\`<p>${text}</p>\`` escapes `text`; nested `html` fragments stay as they are. */
export function html(strings: TemplateStringsArray, ...values: Value[]): Html {
  let out = strings[0] ?? '';
  values.forEach((v, i) => { out += render(v) + (strings[i + 1] ?? ''); });
  return { [RAW]: out };
}

export function toString(fragment: Html): string {
  return fragment[RAW];
}

const DEFAULT_ACCENT = '#2563eb';

/**
 * The calendar colour goes into CSS, so only shapes that cannot break out of a declaration pass:
 * #rrggbb (what the API stores) or a bare colour name (the browser ignores names it doesn't know).
 */
export function safeColor(color: string | null | undefined): string {
  return color && /^(#[0-9a-fA-F]{6}|[a-zA-Z]{3,30})$/.test(color) ? color : DEFAULT_ACCENT;
}

// The accent is only ever used for decoration (stripe, dot, borders, focus ring), never as a
// text or button background, so a pale calendar colour cannot make any text unreadable.
export const CSS = `
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:#f1f3f6;color:#1b1f24;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
main{max-width:40rem;margin:0 auto;padding:1rem .75rem 2rem}
.card{background:#fff;border-radius:14px;box-shadow:0 1px 3px rgba(16,24,40,.1);padding:1.25rem;margin-bottom:1rem}
.hero{border-top:6px solid var(--accent)}
h1{font-size:1.6rem;line-height:1.25;margin:0 0 .25rem;display:flex;gap:.6rem;align-items:baseline;overflow-wrap:anywhere}
h1 .dot{flex:none;width:.8rem;height:.8rem;border-radius:50%;background:var(--accent);box-shadow:inset 0 0 0 1px rgba(0,0,0,.15)}
h2{font-size:1.1rem;margin:0 0 .75rem}
p{margin:.4rem 0}
.desc{white-space:pre-line;color:#3d4450;overflow-wrap:anywhere}
.muted{color:#4f5764;font-size:.9rem}
a{color:#1d4ed8}
.apps{list-style:none;margin:0;padding:0;display:grid;grid-template-columns:1fr 1fr;gap:.6rem}
.apps form{margin:0;height:100%}
.app{width:100%;height:100%;min-height:3.6rem;display:flex;flex-direction:column;align-items:flex-start;justify-content:center;text-align:left;gap:.1rem;
  padding:.6rem .8rem;border:1px solid #c9ced6;border-left:4px solid var(--accent);border-radius:10px;background:#fff;color:#1b1f24;font:inherit;cursor:pointer}
.app:hover{background:#f6f7f9;border-color:#9aa2ad;border-left-color:var(--accent)}
.app .name{font-weight:600;line-height:1.2}
a.app{text-decoration:none}
.when{font-weight:600;font-size:1.05rem}
.notice{background:#fef2f2;color:#7f1d1d;border-left:4px solid #b91c1c;padding:.5rem .75rem;border-radius:6px}
.nw{white-space:nowrap}
.app .hint{font-size:.8rem;color:#4f5764;line-height:1.2}
:focus-visible{outline:3px solid #1d4ed8;outline-offset:2px}
.app:focus-visible{outline-color:#1d4ed8}
label{display:block;font-weight:600;margin-bottom:.35rem}
.copy{display:flex;gap:.5rem}
.copy input{flex:1;min-width:0;font:inherit;font-size:.9rem;padding:.55rem .6rem;border:1px solid #9aa2ad;border-radius:8px;background:#f8f9fb;color:#1b1f24}
.copy button{font:inherit;font-weight:600;padding:.5rem .9rem;border:0;border-radius:8px;background:#1b1f24;color:#fff;cursor:pointer}
.share{display:flex;gap:1.25rem;align-items:center}
.share .link{flex:1;min-width:0}
.qr{flex:none;margin:0;text-align:center}
.qr svg{display:block;width:9rem;height:9rem}
.qr figcaption{font-size:.8rem;color:#4f5764;margin-top:.25rem}
.events{list-style:none;margin:0;padding:0}
.event{display:flex;gap:.85rem;padding:.7rem 0;border-top:1px solid #e9ecf0}
.event:first-child{border-top:0;padding-top:0}
.date{flex:none;align-self:flex-start;width:3.2rem;text-align:center;border-radius:8px;background:#f1f3f6;padding:.3rem 0;line-height:1.1;border-top:3px solid var(--accent)}
.date .mon{display:block;font-size:.72rem;font-weight:700;text-transform:uppercase;color:#4f5764}
.date .day{display:block;font-size:1.3rem;font-weight:700}
.event h3{font-size:1rem;margin:0;overflow-wrap:anywhere}
.event p{margin:.1rem 0 0;font-size:.9rem;color:#3d4450;overflow-wrap:anywhere}
ol.steps{padding-left:1.4rem}
ol.steps li{margin:.35rem 0}
footer{text-align:center;font-size:.8rem;color:#4f5764}
@media (max-width:30rem){
  main{padding:.75rem .6rem 1.5rem}
  .card{padding:1rem}
  h1{font-size:1.35rem}
  .app{padding:.55rem .65rem}
  .share{flex-direction:column;align-items:stretch}
  .qr svg{margin:0 auto;width:7.5rem;height:7.5rem}
}
@media (max-width:20rem){.apps{grid-template-columns:1fr}}
`;

// Progressive enhancement only: reveal the copy buttons and make them copy, and add the
// viewer's own time under an event time given in another zone. Without JavaScript the buttons
// stay hidden (the read-only field can still be copied by hand) and the event's zone is shown.
export const SCRIPT = `document.querySelectorAll('button[data-copy]').forEach(function(b){var i=document.getElementById(b.getAttribute('data-copy'));if(!i||!navigator.clipboard)return;b.hidden=false;b.addEventListener('click',function(){navigator.clipboard.writeText(i.value).then(function(){b.textContent='Copied';setTimeout(function(){b.textContent='Copy'},2000)})})});`
  + `document.querySelectorAll('time[data-zone]').forEach(function(t){var z=Intl.DateTimeFormat().resolvedOptions().timeZone,d=new Date(t.getAttribute('datetime'));if(!z||z===t.getAttribute('data-zone')||t.getAttribute('data-all-day')==='true'||isNaN(d))return;var p=document.createElement('p');p.className='muted local';p.textContent='Your time ('+z.replace(/_/g,' ')+'): '+d.toLocaleString(undefined,{weekday:'short',month:'short',day:'numeric',year:'numeric',hour:'numeric',minute:'2-digit'});var a=t.parentNode,n=a.nextElementSibling;if(n&&n.classList.contains('zone'))a=n;a.insertAdjacentElement('afterend',p)});`;
const SCRIPT_HASH = createHash('sha256').update(SCRIPT).digest('base64');

// Inline style and one hashed inline script; nothing else loads. frame-ancestors stops the
// buttons being clickjacked. No form-action: Chrome applies it to the provider redirects too.
const CSP = `default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'sha256-${SCRIPT_HASH}'; base-uri 'none'; frame-ancestors 'none'`;

export interface PageOptions {
  title: string;
  accent?: string | null;
  robots?: 'noindex';
  body: Html;
  /** Link these same-origin files instead of inlining the style and script (the dashboard's long-cached assets). */
  assets?: { stylesheet: string; script: string };
  /** Markup before <main> (the dashboard's navigation). */
  header?: Html;
}

export function page(opts: PageOptions): string {
  return toString(html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${opts.title}</title>
${opts.robots ? html`<meta name="robots" content="${opts.robots}">` : ''}
${opts.assets ? html`<link rel="stylesheet" href="${opts.assets.stylesheet}">
<script src="${opts.assets.script}" defer></script>` : html`<style>:root{--accent:${safeColor(opts.accent)}}${trusted(CSS)}</style>`}
</head>
<body>
${opts.header ?? ''}
<main>
${opts.body}
<footer><p>Published with Calcast</p></footer>
</main>
${opts.assets ? '' : html`<script>${trusted(SCRIPT)}</script>`}
</body>
</html>
`);
}

/** Sends a finished page with the headers every page shares. */
export function sendPage(ctx: Context, status: number, markup: string, csp = CSP): void {
  ctx.status = status;
  ctx.type = 'text/html; charset=utf-8';
  ctx.set('Content-Security-Policy', csp);
  ctx.set('X-Content-Type-Options', 'nosniff');
  ctx.set('Referrer-Policy', 'no-referrer');
  ctx.body = markup;
}
