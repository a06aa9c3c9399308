// The measurements of bench/step and bench/train, shared by the Node CLIs (bench/step.ts,
// bench/train.ts: Dawn) and the Chromium page (bench/web: navigator.gpu), so both hosts
// time exactly the same thing. The callers load the data and pass it in; nothing here
// imports Node modules, so the page can bundle it. The model is the chapter's model A:
// 784-300-100-50-50-50-8 SELU, SGD 1e-3, sparse categorical cross-entropy.

import * as tfl from '@tensorflow/tfjs-layers';
import type { NDArray } from 'webgrad.js';
import { currentGpuInstance, Dense, Flatten, runtimeStats, Sequential, SGD, setSeed } from 'webgrad.js';
import type { BenchTable } from './results.ts';
import { loadTf, type TfBackend } from './tfjs.ts';

export function modelA(): Sequential {
  const m = new Sequential([new Flatten({ inputShape: [28, 28] })]);
  for (const n of [300, 100, 50, 50, 50]) m.add(new Dense(n, { activation: 'selu' }));
  m.add(new Dense(8, { activation: 'softmax' }));
  m.compile({ loss: 'sparse_categorical_crossentropy', optimizer: new SGD({ learningRate: 1e-3 }), metrics: ['accuracy'] });
  return m;
}

/**
 * Starts a clock of the host's main-thread busy time and returns its reading (ms). Node
 * has one (event-loop utilisation); a page has none, so the page passes no clock.
 */
export type HostClock = () => () => number;

/** Runs `fn` with captured steps (the default) or with WEBGRAD_CAPTURE=0 (every step eager). */
async function withCapture<T>(capture: boolean, fn: () => Promise<T>): Promise<T> {
  const g = globalThis as Record<string, unknown>;
  if (capture) delete g.WEBGRAD_CAPTURE;
  else g.WEBGRAD_CAPTURE = '0';
  try {
    return await fn();
  } finally {
    delete g.WEBGRAD_CAPTURE;
  }
}

/** The timed steps of one mode: captured and replayed, or every step eager. */
function timedSteps(m: Sequential, x: NDArray, y: NDArray, steps: number, batch: number, capture: boolean, hostClock?: HostClock) {
  return withCapture(capture, async () => {
    // The bench's own slicing stays outside the clocks; fit's checks and upload count.
    const [xs, ys] = [x.slice(0, batch * steps), y.slice(0, batch * steps)];
    const s0 = runtimeStats();
    const hostMs = hostClock?.();
    const t = performance.now();
    await m.fit(xs, ys, { batchSize: batch, epochs: 1, verbose: 0, shuffle: false });
    const wallMs = performance.now() - t;
    const hostMsPerStep = hostMs ? hostMs() / steps : null;
    const s1 = runtimeStats();
    return {
      msPerStep: wallMs / steps,
      hostMsPerStep,
      dispatchesPerStep: (s1.dispatches - s0.dispatches) / steps,
      submitsPerStep: (s1.submits - s0.submits) / steps,
      replayedSteps: s1.replays - s0.replays,
      samplesPerSec: (batch * steps * 1000) / wallMs,
    };
  });
}

/**
 * One training step of model A, taken apart: time to the first step (pipeline compilation),
 * then `steps` steps of `batch` images from (x, y), once with captured steps (the default)
 * and once with WEBGRAD_CAPTURE=0 (every step recorded eagerly): wall time, host time (when
 * `hostClock` is given), dispatches and submits per step.
 */
export async function measureStep(x: NDArray, y: NDArray, steps: number, batch: number, hostClock?: HostClock) {
  setSeed(1);
  const m = modelA();
  const p0 = runtimeStats().pipelines;
  const t = performance.now();
  await m.fit(x.slice(0, batch), y.slice(0, batch), { batchSize: batch, epochs: 1, verbose: 0 });
  const firstStepMs = performance.now() - t;
  const pipelines = runtimeStats().pipelines - p0;
  const captured = await timedSteps(m, x, y, steps, batch, true, hostClock);
  const eager = await timedSteps(m, x, y, steps, batch, false, hostClock);
  m.dispose();
  const figures = { batch, steps, firstStepMs, pipelinesCompiled: pipelines, ...captured, eager };
  const both = (name: string, k: keyof typeof captured): (string | number)[][] =>
    captured[k] === null || eager[k] === null ? [] : [[name, captured[k], eager[k]]];
  const table: BenchTable = {
    title: `Model A training step, batch ${batch} (${steps} steps)`,
    columns: ['figure', 'captured', 'eager (WEBGRAD_CAPTURE=0)'],
    rows: [
      ['first step incl. compiling (ms)', firstStepMs, ''],
      ['pipelines compiled', pipelines, ''],
      ...both('wall time per step (ms)', 'msPerStep'),
      ...both('host main-thread time per step (ms)', 'hostMsPerStep'),
      ...both('dispatches per step', 'dispatchesPerStep'),
      ...both('submits per step', 'submitsPerStep'),
      ...both('steps replayed', 'replayedSteps'),
      ...both('samples/s', 'samplesPerSec'),
    ],
  };
  return { figures, table };
}

/**
 * Batches of the warm-up fit before each timed one (webgrad and every peer alike): pipelines
 * compiled, and more than one of fit's 16-step rounds, so webgrad's wait has learned the
 * GPU's pace (kernels/wait.ts FencePacer) as it has after the first second of a real fit.
 */
const WARM_UP_BATCHES = 20;

/** samples/s of webgrad's fit over `batches` batches (after a warm-up fit). */
async function webgrad(xAll: NDArray, yAll: NDArray, bs: number, batches: number): Promise<{ sps: number; dispatches: number; submits: number }> {
  setSeed(1);
  const m = modelA();
  const n = bs * batches;
  const x = xAll.slice(0, n);
  const y = yAll.slice(0, n);
  await m.fit(xAll.slice(0, bs * WARM_UP_BATCHES), yAll.slice(0, bs * WARM_UP_BATCHES), { batchSize: bs, epochs: 1, verbose: 0 });
  const s0 = runtimeStats();
  const t = performance.now();
  await m.fit(x, y, { batchSize: bs, epochs: 1, verbose: 0 });
  const secs = (performance.now() - t) / 1000;
  const s1 = runtimeStats();
  m.dispose();
  return { sps: n / secs, dispatches: (s1.dispatches - s0.dispatches) / batches, submits: (s1.submits - s0.submits) / batches };
}

/** The same with TensorFlow.js on `backend` (webgpu on webgrad's GPU instance). */
async function tfjs(xAll: NDArray, yAll: NDArray, backend: TfBackend, bs: number, batches: number): Promise<number> {
  const tf = await loadTf(backend, currentGpuInstance());
  const m = tfl.sequential();
  m.add(tfl.layers.flatten({ inputShape: [28, 28] }));
  for (const n of [300, 100, 50, 50, 50]) m.add(tfl.layers.dense({ units: n, activation: 'selu' }));
  m.add(tfl.layers.dense({ units: 8, activation: 'softmax' }));
  m.compile({ loss: 'sparseCategoricalCrossentropy', optimizer: tf.train.sgd(1e-3), metrics: ['accuracy'] });
  const n = bs * batches;
  const toTf = (a: NDArray, rows: number) => tf.tensor(a.slice(0, rows).toFloat32(), [rows, ...a.shape.slice(1)]);
  const [xw, yw] = [toTf(xAll, bs * WARM_UP_BATCHES), toTf(yAll, bs * WARM_UP_BATCHES)];
  await m.fit(xw, yw, { batchSize: bs, epochs: 1, verbose: 0 });
  const [x, y] = [toTf(xAll, n), toTf(yAll, n)];
  const t = performance.now();
  await m.fit(x, y, { batchSize: bs, epochs: 1, verbose: 0 });
  const secs = (performance.now() - t) / 1000;
  tf.dispose([xw, yw, x, y]);
  m.dispose();
  return n / secs;
}

/**
 * Model A trained for `batches` batches of each size in `sizes` on (xAll, yAll), by webgrad
 * and by TensorFlow.js on each of `peers`, one after the other in this process or page.
 */
export async function measureTrain(xAll: NDArray, yAll: NDArray, batches: number, sizes: number[], peers: TfBackend[]) {
  const rows: (string | number)[][] = [];
  const figures: Record<string, unknown>[] = [];
  for (const bs of sizes) {
    const w = await withCapture(true, () => webgrad(xAll, yAll, bs, batches));
    const eager = await withCapture(false, () => webgrad(xAll, yAll, bs, batches));
    const tf: Record<string, number> = {};
    for (const p of peers) tf[p] = await tfjs(xAll, yAll, p, bs, batches);
    figures.push({ batchSize: bs, webgradSamplesPerSec: w.sps, webgradEagerSamplesPerSec: eager.sps, dispatchesPerStep: w.dispatches, submitsPerStep: w.submits, tfjs: tf });
    rows.push([bs, Math.round(w.sps), Math.round(eager.sps), ...peers.flatMap((p) => [Math.round(tf[p]), w.sps / tf[p]])]);
    console.log(`batch ${bs}: webgrad ${w.sps.toFixed(0)} samples/s captured, ${eager.sps.toFixed(0)} eager (${w.dispatches.toFixed(1)} dispatches, ${w.submits.toFixed(2)} submits per step); ${peers.map((p) => `tfjs-${p} ${tf[p].toFixed(0)}`).join(', ')}`);
  }
  const table: BenchTable = {
    title: `Model A training, ${batches} batches, samples/s (ratio = webgrad / peer)`,
    columns: ['batch', 'webgrad', 'webgrad eager (WEBGRAD_CAPTURE=0)', ...peers.flatMap((p) => [`tfjs-${p}`, `ratio vs ${p}`])],
    rows,
  };
  return { figures, table };
}
