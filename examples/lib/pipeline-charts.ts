// The pipeline's phases by name and their learning curves as ChartSpecs: shared by the Node
// report (report.ts) and the Chrome page (../web/). Read next: chart-config.ts (how a
// ChartSpec is drawn), transfer-learning.ts (the pipeline).

import type { ChartSpec } from './experiment.ts';
import type { PipelineResult } from './transfer-learning.ts';

export const PHASE_TITLES: Record<string, string> = {
  modelA: 'Model A (8 classes)',
  modelB: 'Model B (shirt vs sandal, 200 images)',
  bOnAFrozen: 'B on A, reused layers frozen',
  bOnA: 'B on A, unfrozen and fine-tuned',
};

/** Loss and accuracy curves (training and validation) of every phase of the pipeline. */
export function pipelineCharts(r: Pick<PipelineResult, 'phases'>): ChartSpec[] {
  return r.phases.flatMap((p) =>
    (['loss', 'accuracy'] as const).map((k) => ({
      title: `${PHASE_TITLES[p.phase]}: ${k}`,
      kind: 'line' as const,
      series: [
        { name: `training ${k}`, values: p.history[k] ?? [], role: 'training' as const },
        { name: `validation ${k}`, values: p.history[`val_${k}`] ?? [], role: 'validation' as const, dashed: true },
      ],
    })),
  );
}
