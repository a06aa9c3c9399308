// The Node HTML reports' page: a title, a line about the run (adapter, sizes, time), the
// closing table and the charts as inline SVG; and the reports/<example>.{html,json} of the
// topic examples. Read next: report.ts (the pipeline's report), svg-chart.ts.

import type { AdapterDescription } from 'webgrad.js';
import type { ChartSpec, ExampleResult } from './experiment.ts';
import { svgChart } from './svg-chart.ts';

export const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

/** The adapter's description (never empty: adapterInfo falls back to vendor and architecture), with the vendor when it does not say it. */
export const adapterLine = (a: AdapterDescription) =>
  `${a.vendor && !a.description.toLowerCase().includes(a.vendor.toLowerCase()) ? `${a.vendor} ` : ''}${a.description} (${a.host})`;

export function reportJson(r: object): string {
  return JSON.stringify(r, null, 2);
}

/** A standalone HTML page; `intro` is HTML (escape what you put in it). */
export function htmlReport(title: string, intro: string, table: string, charts: ChartSpec[]): string {
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>webgrad: ${escapeHtml(title)}</title>
<style>body{font-family:sans-serif;max-width:980px;margin:2em auto;color:#222}pre{background:#f4f4f4;padding:1em;overflow-x:auto}svg{margin:4px}</style></head>
<body>
<h1>${escapeHtml(title)}</h1>
<p>${intro}</p>
<pre>${escapeHtml(table)}</pre>
${charts.map(svgChart).join('\n')}
</body></html>
`;
}

export function exampleReportHtml(r: ExampleResult): string {
  const s = r.sizes;
  const intro =
    `Adapter: <b>${escapeHtml(adapterLine(r.adapter))}</b>. Seed ${r.seed}; ${s.train} training, ${s.valid} validation, ${s.test} test images; ` +
    `${s.epochs} epochs per run. Total ${r.seconds.toFixed(1)} s.`;
  return htmlReport(r.title, intro, r.table, r.charts);
}
