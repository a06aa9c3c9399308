// The Node HTML reports' page: a title, a line about the run (adapter, sizes, time), the
// closing table and the charts, drawn by Chart.js (inlined) from the same configs as the
// Chrome page (chart-config.ts); and the reports/<example>.{html,json} of the topic examples.
// Node only (it reads Chart.js from node_modules). Read next: report.ts (the pipeline's report).

import { readFile } from 'node:fs/promises';
import { chartConfig } from './chart-config.ts';
import { adapterLine, type ChartSpec, type ExampleResult } from './experiment.ts';

export const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

export function reportJson(r: object): string {
  return JSON.stringify(r, null, 2);
}

/** Chart.js's browser build (chart.umd.min.js, beside the module 'chart.js' resolves to). */
async function chartJsSource(): Promise<string> {
  return readFile(new URL('chart.umd.min.js', import.meta.resolve('chart.js')), 'utf8');
}

/** A standalone HTML page (Chart.js inlined: it opens offline); `intro` is HTML (escape what you put in it). */
export async function htmlReport(title: string, intro: string, table: string, charts: ChartSpec[]): Promise<string> {
  // JSON inside <script>: '<' escaped so a title cannot close the script element.
  const configs = JSON.stringify(charts.map(chartConfig)).replace(/</g, '\\u003c');
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>webgrad: ${escapeHtml(title)}</title>
<style>body{font-family:sans-serif;max-width:1040px;margin:2em auto;color:#222}pre{background:#f4f4f4;padding:1em;overflow-x:auto}
#charts{display:flex;flex-wrap:wrap;gap:8px}.chart{position:relative;width:500px;height:280px}</style></head>
<body>
<h1>${escapeHtml(title)}</h1>
<p>${intro}</p>
<pre>${escapeHtml(table)}</pre>
<div id="charts"></div>
<script>${await chartJsSource()}</script>
<script>
for (const config of ${configs}) {
  const box = document.createElement('div');
  box.className = 'chart';
  const canvas = document.createElement('canvas');
  box.append(canvas);
  document.getElementById('charts').append(box);
  new Chart(canvas, config);
}
</script>
</body></html>
`;
}

export function exampleReportHtml(r: ExampleResult): Promise<string> {
  const s = r.sizes;
  const intro =
    `Adapter: <b>${escapeHtml(adapterLine(r.adapter))}</b>. Seed ${r.seed}; ${s.train} training, ${s.valid} validation, ${s.test} test images; ` +
    `${s.epochs} epochs per run. Total ${r.seconds.toFixed(1)} s.`;
  return htmlReport(r.title, intro, r.table, r.charts);
}
