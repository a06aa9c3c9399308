// Runs what the page's picker chose, in the worker: the transfer-learning pipeline or one of
// the topic examples, with the same code as the Node CLIs (examples/lib), each fit watched
// by a LiveProgress (per-batch progress, live curves, Stop) that also shows the model's
// predictions on a few test images and, when the fit ends, its confusion matrix. Model A
// goes to IndexedDB (indexeddb://my_model_A). Read next: worker.ts, live-progress.ts.

import { type FashionMnist, type Network, Sequential, transferLearningSplits } from 'webgrad.js';
import type { Dataset } from 'webgrad.js';
import { exampleData, subsetSplits } from '../lib/example-data.ts';
import { EXAMPLES } from '../lib/examples.ts';
import { type ChartSpec, type ExampleResult, type FitPlan, runExample } from '../lib/experiment.ts';
import { pipelineCharts } from '../lib/pipeline-charts.ts';
import type { SplitName } from '../lib/predictions.ts';
import { CHAPTER_EPOCHS, epochsOf, type Phase, type PipelineResult, resultTable, runTransferLearning } from '../lib/transfer-learning.ts';
import { LiveProgress, type RunClock } from './live-progress.ts';
import type { FromWorker, RunParams } from './protocol.ts';

export interface PageResult {
  table: string;
  charts: ChartSpec[];
  seconds: number;
  raw: PipelineResult | ExampleResult;
}

/**
 * What the page does with each fit's model: predictions on test images, then at the end a
 * confusion matrix (and the model kept for saving). Sequential models only: they take one
 * image and give one class; a Functional model's inputs and outputs are its own example's.
 */
export interface ModelViews {
  gallery(phase: string, model: Sequential, test: Dataset, split: SplitName): Promise<void>;
  confusion(phase: string, model: Sequential, test: Dataset, split: SplitName): Promise<void>;
}

/** The gallery refreshes this often (ms) during an epoch: a small predict, one sync point. */
const GALLERY_MS = 5000;

/** Images the whole run will train on (for the time left), and each fit's test set. */
interface Plan {
  samples: number;
  fits: string[];
  test(fit: string): { test: Dataset; split: SplitName };
}

function pipelinePlan(params: RunParams, data: FashionMnist) {
  const all = transferLearningSplits(data);
  const splits = params.subset ? subsetSplits(all, params.subset) : all;
  const fits = Object.keys(CHAPTER_EPOCHS) as Phase[];
  const trainSize = (p: Phase) => (p === 'modelA' ? splits.trainA : splits.trainB)[0].length;
  const plan: Plan = {
    samples: fits.reduce((n, p) => n + epochsOf(p, params.scale) * trainSize(p), 0),
    fits,
    test: (fit) => (fit === 'modelA' ? { test: splits.testA, split: 'testA' } : { test: splits.testB, split: 'testB' }),
  };
  return { splits, plan };
}

/** Runs the chosen example; `post` streams its progress; aborting `signal` stops it after the batch under way. */
export async function runOnPage(params: RunParams, fashion: FashionMnist, signal: AbortSignal, post: (m: FromWorker) => void, views: ModelViews): Promise<PageResult> {
  const clock: RunClock = { plannedSamples: 0, doneSamples: 0, samplesPerSec: 0 };
  // The models trained so far: a stopped run never reaches the examples' own dispose().
  const trained = new Set<Network>();
  try {
    return await run(params, fashion, signal, post, views, clock, trained);
  } catch (e) {
    if (signal.aborted) for (const m of trained) m.dispose();
    throw e;
  }
}

async function run(
  params: RunParams,
  fashion: FashionMnist,
  signal: AbortSignal,
  post: (m: FromWorker) => void,
  views: ModelViews,
  clock: RunClock,
  trained: Set<Network>,
): Promise<PageResult> {
  let plan: Plan;
  const callbacks = (fit: FitPlan) => {
    const index = plan.fits.indexOf(fit.name);
    const { test, split } = plan.test(fit.name);
    post({ type: 'phase', phase: fit.name, index, count: plan.fits.length, epochs: fit.epochs, batches: Math.ceil(fit.samples / fit.batchSize) });
    return [
      new LiveProgress({ ...fit, index, count: plan.fits.length }, clock, {
        post,
        signal,
        gallery: async (model) => {
          if (model instanceof Sequential) await views.gallery(fit.name, model, test, split);
        },
        galleryMs: GALLERY_MS,
        trainEnd: async (model) => {
          trained.add(model);
          if (model instanceof Sequential) await views.confusion(fit.name, model, test, split);
        },
      }),
    ];
  };
  if (params.example === 'pipeline') {
    const p = pipelinePlan(params, fashion);
    plan = p.plan;
    clock.plannedSamples = plan.samples;
    const r = await runTransferLearning(p.splits, { epochsScale: params.scale, seed: params.seed, modelAPath: 'indexeddb://my_model_A', verbose: 0, callbacks, signal });
    return { table: resultTable(r), charts: pipelineCharts(r), seconds: r.seconds, raw: r };
  }
  const spec = EXAMPLES[params.example];
  if (!spec) throw new RangeError(`There is no example '${params.example}': choose pipeline, ${Object.keys(EXAMPLES).join(', ')}.`);
  const sets = exampleData(fashion, params.sizes);
  plan = { samples: spec.runs.length * params.sizes.epochs * sets.train[0].length, fits: spec.runs, test: () => ({ test: sets.test, split: 'test' }) };
  clock.plannedSamples = plan.samples;
  const r = await runExample(spec, fashion, { ...params.sizes, seed: params.seed, verbose: 0, callbacks, signal });
  return { table: r.table, charts: r.charts, seconds: r.seconds, raw: r };
}

/** The fits a run will make, with their epochs (the page builds their charts up front). */
export function fitsOf(params: RunParams): [name: string, epochs: number][] {
  if (params.example === 'pipeline') return (Object.keys(CHAPTER_EPOCHS) as Phase[]).map((p) => [p, epochsOf(p, params.scale)]);
  return (EXAMPLES[params.example]?.runs ?? []).map((run) => [run, params.sizes.epochs]);
}

/** Images a run trains on (the pipeline: the chapter's split sizes, train A 43,986, train B 200), for the expected duration. */
export function plannedSamples(params: RunParams): number {
  const size = (fit: string) => (params.example !== 'pipeline' ? params.sizes.train : Math.min(fit === 'modelA' ? 43_986 : 200, params.subset ?? Infinity));
  return fitsOf(params).reduce((n, [fit, epochs]) => n + epochs * size(fit), 0);
}
