// The pipeline's reports: reports/transfer-learning.json (the figures) and
// reports/transfer-learning.html (learning curves of every phase, the table, the adapter,
// timings), written by the Node CLI; pipelineCharts is shared with the Chrome page.
// Read next: html-report.ts (the page), transfer-learning.ts (the pipeline).

import type { ChartSpec } from './experiment.ts';
import { adapterLine, escapeHtml, htmlReport } from './html-report.ts';
import { type PipelineResult, resultTable } from './transfer-learning.ts';

export { reportJson } from './html-report.ts';

export const PHASE_TITLES: Record<string, string> = {
  modelA: 'Model A (8 classes)',
  modelB: 'Model B (shirt vs sandal, 200 images)',
  bOnAFrozen: 'B on A, reused layers frozen',
  bOnA: 'B on A, unfrozen and fine-tuned',
};

/** Loss and accuracy curves (training and validation) of every phase of the pipeline. */
export function pipelineCharts(r: PipelineResult): ChartSpec[] {
  return r.phases.flatMap((p) =>
    (['loss', 'accuracy'] as const).map((k) => ({
      title: `${PHASE_TITLES[p.phase]}: ${k}`,
      kind: 'line' as const,
      series: [
        { name: k, values: p.history[k] ?? [] },
        { name: `val_${k}`, values: p.history[`val_${k}`] ?? [] },
      ],
    })),
  );
}

export function reportHtml(r: PipelineResult): string {
  const intro =
    `Adapter: <b>${escapeHtml(adapterLine(r.adapter))}</b>. Seed ${r.seed}, epochs × ${r.epochsScale}. Total ${r.seconds.toFixed(1)} s. ` +
    `B-on-A learning rates (${r.recipe} recipe): ${r.learningRates.frozen} frozen, ${r.learningRates.fineTune} fine-tuning. ` +
    `Phases: ${r.phases.map((p) => `${PHASE_TITLES[p.phase]}: ${p.epochs} epochs, ${p.seconds.toFixed(1)} s`).join('; ')}.`;
  return htmlReport('Transfer learning on Fashion-MNIST (Hands-On ML ch. 11)', intro, resultTable(r), pipelineCharts(r));
}
