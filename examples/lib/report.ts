// The pipeline's reports: reports/transfer-learning.json (the figures) and
// reports/transfer-learning.html (learning curves of every phase, the table, the adapter,
// timings), written by the Node CLI.

import { svgLineChart } from './svg-chart.ts';
import { type PipelineResult, resultTable } from './transfer-learning.ts';

const TITLES: Record<string, string> = {
  modelA: 'Model A (8 classes, 20 epochs)',
  modelB: 'Model B (shirt vs sandal, 200 images)',
  bOnAFrozen: 'B on A, reused layers frozen',
  bOnA: 'B on A, fine-tuned (lr 1e-4)',
};

export function reportJson(r: PipelineResult): string {
  return JSON.stringify(r, null, 2);
}

export function reportHtml(r: PipelineResult): string {
  const charts = r.phases.map((p) => {
    const h = p.history;
    const loss = svgLineChart(`${TITLES[p.phase]}: loss`, [
      { name: 'loss', values: h.loss },
      { name: 'val_loss', values: h.val_loss ?? [] },
    ]);
    const acc = svgLineChart(`${TITLES[p.phase]}: accuracy`, [
      { name: 'accuracy', values: h.accuracy },
      { name: 'val_accuracy', values: h.val_accuracy ?? [] },
    ]);
    return `<section><h2>${TITLES[p.phase]} — ${p.epochs} epochs, ${p.seconds.toFixed(1)} s</h2>${loss}${acc}</section>`;
  });
  const a = r.adapter;
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>webgrad: transfer learning on Fashion-MNIST</title>
<style>body{font-family:sans-serif;max-width:980px;margin:2em auto;color:#222}pre{background:#f4f4f4;padding:1em}svg{margin:4px}</style></head>
<body>
<h1>Transfer learning on Fashion-MNIST (Hands-On ML ch. 11)</h1>
<p>Adapter: <b>${a.vendor || '?'} ${a.architecture || ''}</b> ${a.description || a.device || ''} (${a.host}).
Seed ${r.seed}, epochs × ${r.epochsScale}. Total ${r.seconds.toFixed(1)} s.</p>
<pre>${resultTable(r).replace(/&/g, '&amp;').replace(/</g, '&lt;')}</pre>
${charts.join('\n')}
</body></html>
`;
}
