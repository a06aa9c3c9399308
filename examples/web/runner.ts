// Runs what the page's picker chose — the transfer-learning pipeline or one of the topic
// examples — with the same code as the Node CLIs (examples/lib), on the page's data, and
// turns its progress into page events. Model A goes to IndexedDB (indexeddb://my_model_A).
// Read next: main.ts (the page), examples/lib/transfer-learning.ts (the pipeline).

import type { FashionMnist } from 'webgrad.js';
import { transferLearningSplits } from 'webgrad.js';
import type { Logs } from 'webgrad.js';
import { subsetSplits } from '../lib/example-data.ts';
import { EXAMPLES } from '../lib/examples.ts';
import { type ChartSpec, type ExampleResult, runExample, type Sizes } from '../lib/experiment.ts';
import { PHASE_TITLES, pipelineCharts } from '../lib/report.ts';
import { type PipelineResult, resultTable, runTransferLearning } from '../lib/transfer-learning.ts';
import { YieldToBrowser } from './responsive.ts';

/** What to run: 'pipeline' or an example name, and its settings (from the form or the URL). */
export interface RunParams {
  example: string;
  seed: number;
  /** Pipeline: multiplies the chapter's epoch counts; cut every set to `subset` images. */
  scale: number;
  subset: number | null;
  /** Examples: images per set and epochs per run. */
  sizes: Sizes;
}

export interface PageEvents {
  /** A run (or pipeline phase) starts: its index among `count`, its epochs. */
  onRun(name: string, index: number, count: number, epochs: number): void;
  onEpoch(name: string, epoch: number, logs: Logs): void;
  onBatch(batch: number): void;
}

export interface PageResult {
  table: string;
  charts: ChartSpec[];
  seconds: number;
  raw: PipelineResult | ExampleResult;
}

/** Batches between yields to the browser: each group of batches is at most a frame or two of JS. */
const YIELD_EVERY = 2;

export async function runOnPage(params: RunParams, data: FashionMnist, events: PageEvents): Promise<PageResult> {
  const callbacks = () => [new YieldToBrowser(YIELD_EVERY, (b) => events.onBatch(b))];
  if (params.example === 'pipeline') {
    const phases = Object.keys(PHASE_TITLES);
    const splits = transferLearningSplits(data);
    const r = await runTransferLearning(params.subset ? subsetSplits(splits, params.subset) : splits, {
      epochsScale: params.scale,
      seed: params.seed,
      modelAPath: 'indexeddb://my_model_A',
      verbose: 2,
      callbacks,
      onPhase: (phase, _message, epochs) => events.onRun(PHASE_TITLES[phase], phases.indexOf(phase), phases.length, epochs),
      onEpoch: (phase, epoch, logs) => events.onEpoch(PHASE_TITLES[phase], epoch, logs),
    });
    return { table: resultTable(r), charts: pipelineCharts(r), seconds: r.seconds, raw: r };
  }
  const spec = EXAMPLES[params.example];
  if (!spec) throw new Error(`No example '${params.example}': choose pipeline, ${Object.keys(EXAMPLES).join(', ')}`);
  const r = await runExample(spec, data, {
    ...params.sizes,
    seed: params.seed,
    verbose: 2,
    callbacks,
    onRun: (run, epochs) => events.onRun(run, spec.runs.indexOf(run), spec.runs.length, epochs),
    onEpoch: (run, epoch, logs) => events.onEpoch(run, epoch, logs),
  });
  return { table: r.table, charts: r.charts, seconds: r.seconds, raw: r };
}
