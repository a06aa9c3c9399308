// The page's training worker (a module Worker: WebGPU works here as on the page). It owns
// the GPU device, the data and the models; the page (main.ts) only renders what it posts.
// Messages: protocol.ts. Stop aborts the run's AbortSignal: the fit under way stops after
// its batch (LiveProgress sets model.stopTraining), the model and its partial History are
// kept, and no later fit starts. Read next: runner.ts (running an example), model-file.ts.

/// <reference lib="webworker" />

import { adapterInfo, runtimeStats, type Dataset, type FashionMnist, Flatten, Dense, LambdaCallback, NDArray, Sequential, type Sequential as Model, SGD } from 'webgrad.js';
import type { SplitName } from '../lib/predictions.ts';
import { fetchFashionMnist, PageDataError, readPickedFiles, sortPicked } from './data.ts';
import { confusion, evaluateFile, gallery, type HeldModel, keepInIndexedDB, modelAs, modelFileBytes, testSplits } from './model-file.ts';
import type { DataSource, FromWorker, ToWorker } from './protocol.ts';
import { runOnPage } from './runner.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (m: FromWorker, transfer: Transferable[] = []) => scope.postMessage(m, transfer);

let data: FashionMnist | null = null;
let dataSource: DataSource['kind'] | undefined;
let splits: Record<SplitName, Dataset> | null = null;
let run: AbortController | null = null;
/** The model the page holds: the last one trained (kept at each fit's end) or loaded. */
let held: HeldModel | null = null;

function needData(): FashionMnist {
  if (!data) throw new PageDataError('The Fashion-MNIST files are not loaded yet.');
  return data;
}

async function loadData(source: DataSource): Promise<void> {
  data = null;
  splits = null;
  dataSource = source.kind;
  const progress = (loaded: number, total: number) => post({ type: 'data-progress', loaded, total });
  if (source.kind === 'url') {
    data = await fetchFashionMnist(source.base, progress);
    post({ type: 'data-ready', ignored: [] });
    return;
  }
  const { used, ignored } = sortPicked(source.files);
  data = await readPickedFiles(used, progress);
  post({ type: 'data-ready', ignored });
}

/** What the page shows of each model while it trains: the gallery, then the confusion matrix, and the model kept for saving. */
const views = {
  gallery: async (phase: string, model: Model, test: Dataset, split: SplitName) => {
    const g = await gallery(phase, model, test, split);
    post({ type: 'gallery', gallery: g }, [g.pixels.buffer]);
  },
  confusion: async (phase: string, model: Model, test: Dataset, split: SplitName) => {
    post({ type: 'confusion', confusion: await confusion(phase, model, test, split) });
    await views.gallery(phase, model, test, split);
    held = { bytes: await model.toBytes('keras'), name: phase };
  },
};

async function runExample(params: Extract<ToWorker, { type: 'run' }>['params']): Promise<void> {
  const fashion = needData();
  // The worker has its own globals: WEBGRAD_PLAIN is read from here (src/kernels/env.ts).
  const g = scope as unknown as Record<string, unknown>;
  if (params.plain) g.WEBGRAD_PLAIN = params.plain;
  else delete g.WEBGRAD_PLAIN;
  run = new AbortController();
  const signal = run.signal;
  // Steps replayed from a capture (none on the plain path): how the page shows which path ran.
  const replays = runtimeStats().replays;
  const stepsReplayed = () => runtimeStats().replays - replays;
  try {
    const r = await runOnPage(params, fashion, signal, post, views);
    post({ type: 'done', table: r.table, charts: r.charts, seconds: r.seconds, raw: r.raw, stopped: false, stepsReplayed: stepsReplayed() });
  } catch (e) {
    if (!signal.aborted) throw e;
    // Stopped: the curves, gallery and confusion matrix the page has are the partial History.
    post({ type: 'done', table: '', charts: [], seconds: 0, raw: null, stopped: true, stepsReplayed: stepsReplayed() });
  } finally {
    run = null;
  }
}

/** Samples per second of model A's network on this adapter (one short fit), for the expected durations. */
async function calibrate(): Promise<number> {
  const model = new Sequential([new Flatten({ inputShape: [28, 28] })]);
  for (const n of [300, 100, 50, 50, 50]) model.add(new Dense(n, { activation: 'selu' }));
  model.add(new Dense(8, { activation: 'softmax' }));
  model.compile({ loss: 'sparse_categorical_crossentropy', optimizer: new SGD({ learningRate: 1e-3 }), metrics: ['accuracy'] });
  const n = 1024;
  const x = new NDArray(Uint8Array.from({ length: n * 784 }, (_, i) => (i * 37) % 256), [n, 28, 28], 1 / 255);
  const y = new NDArray(Float32Array.from({ length: n }, (_, i) => i % 8), [n]);
  let start = 0;
  let seconds = 0;
  // The second epoch only: the first compiles and captures the step.
  const clock = new LambdaCallback({ onEpochBegin: (e) => void (e === 1 && (start = performance.now())), onEpochEnd: (e) => void (e === 1 && (seconds = (performance.now() - start) / 1000)) });
  try {
    await model.fit(x, y, { epochs: 2, batchSize: 32, verbose: 0, callbacks: [clock] });
  } finally {
    model.dispose();
  }
  return n / seconds;
}

async function handle(m: ToWorker): Promise<void> {
  switch (m.type) {
    case 'data':
      return loadData(m.source);
    case 'run':
      return runExample(m.params);
    case 'stop':
      run?.abort();
      return;
    case 'load-model': {
      splits ??= testSplits(needData());
      const file = await modelFileBytes(m.source);
      const result = await evaluateFile(file, splits, (g, c) => {
        post({ type: 'gallery', gallery: g }, [g.pixels.buffer]);
        post({ type: 'confusion', confusion: c });
      });
      held = { bytes: file.bytes, name: file.name.replace(/\.(h5|hdf5|keras)$/i, '') };
      post({ type: 'evaluated', result });
      return;
    }
    case 'save-model': {
      if (!held) throw new PageDataError('There is no model to save yet: run an example or load a model first.');
      if (m.format === 'indexeddb') {
        post({ type: 'saved', where: await keepInIndexedDB(held) });
        return;
      }
      const bytes = await modelAs(held, m.format);
      post({ type: 'model-file', bytes, filename: `${held.name}.${m.format}` }, [bytes.buffer]);
      return;
    }
    case 'calibrate':
      post({ type: 'calibrated', samplesPerSec: await calibrate() });
      return;
  }
}

/** GPU work runs one request at a time (a calibration must not share the device with a run); Stop and data loading do not wait. */
let queue: Promise<unknown> = Promise.resolve();
function serial(m: ToWorker): Promise<void> {
  if (m.type === 'stop' || m.type === 'data') return handle(m);
  const next = queue.then(() => handle(m));
  queue = next.catch(() => {});
  return next;
}

scope.onmessage = (e: MessageEvent<ToWorker>) => {
  const m = e.data;
  serial(m).catch((err: unknown) => {
    const error = err instanceof Error ? err : new Error(String(err));
    const source = m.type === 'data' ? m.source.kind : m.type === 'load-model' ? m.source.kind : m.type === 'run' ? dataSource : undefined;
    post({ type: 'error', request: m.type, name: error.name, message: error.message, code: (error as { code?: string }).code, source });
  });
};

post({ type: 'adapter', adapter: await adapterInfo() });
