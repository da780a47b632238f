import { createHash } from 'node:crypto';
import type { Context } from 'koa';
import { CSS, SCRIPT } from '../pages/layout.js';

// The dashboard's one stylesheet and one script, served as files so its CSP can forbid every
// inline script and style. Their paths carry a hash of their content: a new release is a new
// URL, so browsers may keep each version for a year without asking again.

/** The public pages' styles, widened for tables and charts; the accent is fixed (no per-calendar colour). */
const DASHBOARD_CSS = `${CSS}
:root{--accent:#2563eb}
main{max-width:72rem}
.bar{background:#1b1f24;color:#fff}
.bar nav{max-width:72rem;margin:0 auto;padding:.6rem .75rem;display:flex;gap:1rem;align-items:center;flex-wrap:wrap}
.bar a{color:#fff;font-weight:700;text-decoration:none}
.bar form{margin:0}
.bar .push{margin-left:auto;font-weight:400}
.bar button{font:inherit;background:transparent;color:#fff;border:1px solid #9aa2ad;border-radius:8px;padding:.3rem .8rem;cursor:pointer}
.table-wrap{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:.95rem}
th,td{text-align:left;padding:.45rem .5rem;border-top:1px solid #e9ecf0;vertical-align:middle}
thead th{border-top:0;font-size:.85rem;color:#4f5764}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.spark{display:block;width:8rem;height:2rem}
.chart-figure{margin:0}
/* rtl on the scroller only: a narrow screen opens on today, the right end; the chart itself reads ltr. */
.chart-scroll{overflow-x:auto;direction:rtl}
.chart{display:block;width:100%;min-width:36rem;height:auto;direction:ltr}
.chart text{font-size:11px;fill:#4f5764}
.chart .syncs{fill:#93c5fd}
.chart .active{fill:none;stroke:#1d4ed8;stroke-width:2}
.chart .active-dot{fill:#1d4ed8}
.chart .grid{stroke:#e9ecf0}
.chart .axis{stroke:#9aa2ad}
.legend{list-style:none;display:flex;gap:1.25rem;padding:0;margin:.5rem 0 0;font-size:.9rem}
.legend .key{display:inline-block;width:.9rem;height:.9rem;border-radius:3px;vertical-align:-.1rem;margin-right:.35rem}
.legend .key-syncs{background:#93c5fd}
.legend .key-active{background:#1d4ed8}
.apps-chart{list-style:none;margin:0;padding:0}
.apps-chart li{display:grid;grid-template-columns:minmax(8rem,14rem) 1fr 3rem;gap:.5rem;align-items:center;margin:.25rem 0}
.apps-chart svg{width:100%;height:.9rem}
.apps-chart rect{fill:#1d4ed8}
.grid2{display:grid;grid-template-columns:1fr 1fr;gap:1rem}
form.inline{display:inline;margin:0}
.field{margin:0 0 .75rem}
.field input[type=text],.field input[type=password],.field input[type=number],.field input[type=email],.field select,textarea{font:inherit;width:100%;max-width:24rem;padding:.5rem .6rem;border:1px solid #9aa2ad;border-radius:8px;background:#fff;color:#1b1f24}
textarea{max-width:none;font-family:ui-monospace,monospace;font-size:.85rem}
.check label{display:inline;font-weight:400}
.btn{font:inherit;font-weight:600;padding:.45rem .9rem;border:1px solid #1b1f24;border-radius:8px;background:#1b1f24;color:#fff;cursor:pointer;text-decoration:none;display:inline-block}
.btn.light{background:#fff;color:#1b1f24}
.btn.danger{background:#b91c1c;border-color:#b91c1c}
.btn.small{padding:.2rem .55rem;font-size:.85rem}
.actions{display:flex;gap:.35rem;flex-wrap:wrap}
.filters{display:flex;gap:.75rem;flex-wrap:wrap;align-items:flex-end;margin-bottom:.75rem}
.filters .field{margin:0}
.status{font-size:.8rem;font-weight:700;padding:.1rem .45rem;border-radius:99px;background:#e9ecf0}
.status-active{background:#dcfce7;color:#14532d}
.status-blocked{background:#fee2e2;color:#7f1d1d}
.ok{background:#f0fdf4;color:#14532d;border-left:4px solid #15803d;padding:.5rem .75rem;border-radius:6px}
.pager{display:flex;gap:1rem;margin-top:.75rem}
@media (max-width:48rem){.grid2{grid-template-columns:1fr}.apps-chart li{grid-template-columns:7rem 1fr 2.5rem}
  table.stack thead{display:none}
  table.stack tr{display:block;border-top:1px solid #e9ecf0;padding:.4rem 0}
  table.stack td{display:flex;justify-content:space-between;gap:1rem;border:0;padding:.2rem 0;text-align:right}
  table.stack td::before{content:attr(data-label);font-weight:600;color:#4f5764;text-align:left}}
`;

const digest = (text: string) => createHash('sha256').update(text).digest('base64url').slice(0, 16);

interface Asset { path: string; type: string; body: string }

const ASSETS: readonly Asset[] = [
  { path: `/dashboard/assets/dashboard.${digest(DASHBOARD_CSS)}.css`, type: 'text/css; charset=utf-8', body: DASHBOARD_CSS },
  // The public pages' copy-button script (layout.ts): the dashboard's copy fields are the same.
  { path: `/dashboard/assets/dashboard.${digest(SCRIPT)}.js`, type: 'text/javascript; charset=utf-8', body: SCRIPT },
];

/** The asset paths to link, with the deployment's base path in front. */
export function assetLinks(basePath: string): { stylesheet: string; script: string } {
  return { stylesheet: basePath + ASSETS[0]!.path, script: basePath + ASSETS[1]!.path };
}

/** Answers a request for an asset; false when the path is not one (an old hash is not one either). */
export function sendAsset(ctx: Context): boolean {
  const asset = ASSETS.find((a) => a.path === ctx.path);
  if (!asset || (ctx.method !== 'GET' && ctx.method !== 'HEAD')) return false;
  ctx.type = asset.type;
  ctx.set('Cache-Control', 'public, max-age=31536000, immutable');
  ctx.set('X-Content-Type-Options', 'nosniff');
  ctx.body = asset.body;
  return true;
}
