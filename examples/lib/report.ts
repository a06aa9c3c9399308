// The pipeline's reports: reports/transfer-learning.json (the figures) and
// reports/transfer-learning.html (learning curves of every phase, the table, the adapter,
// timings), written by the Node CLI. Read next: html-report.ts (the page), pipeline-charts.ts.

import { adapterLine } from './experiment.ts';
import { escapeHtml, htmlReport } from './html-report.ts';
import { PHASE_TITLES, pipelineCharts } from './pipeline-charts.ts';
import { type PipelineResult, resultTable } from './transfer-learning.ts';

export { reportJson } from './html-report.ts';

export function reportHtml(r: PipelineResult): Promise<string> {
  const intro =
    `Adapter: <b>${escapeHtml(adapterLine(r.adapter))}</b>. Seed ${r.seed}, epochs × ${r.epochsScale}. Total ${r.seconds.toFixed(1)} s. ` +
    `B-on-A learning rates (${r.recipe} recipe): ${r.learningRates.frozen} frozen, ${r.learningRates.fineTune} fine-tuning. ` +
    `Phases: ${r.phases.map((p) => `${PHASE_TITLES[p.phase]}: ${p.epochs} epochs, ${p.seconds.toFixed(1)} s`).join('; ')}.`;
  return htmlReport('Transfer learning on Fashion-MNIST (Hands-On ML ch. 11)', intro, resultTable(r), pipelineCharts(r));
}
