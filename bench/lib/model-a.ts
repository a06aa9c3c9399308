// The measurements of bench/step and bench/train, shared by the Node CLIs (bench/step.ts,
// bench/train.ts: Dawn) and the Chromium page (bench/web: navigator.gpu), so both hosts
// time exactly the same thing. The callers load the data and pass it in; nothing here
// imports Node modules, so the page can bundle it. The model is the chapter's model A:
// 784-300-100-50-50-50-8 SELU, SGD 1e-3, sparse categorical cross-entropy.

import * as tfl from '@tensorflow/tfjs-layers';
import type { NDArray } from 'webgrad';
import { currentGpuInstance, Dense, Flatten, runtimeStats, Sequential, SGD, setSeed } from 'webgrad';
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

/**
 * One training step of model A, taken apart: time to the first step (pipeline compilation),
 * then `steps` steps of `batch` images from (x, y): wall time, host time (when `hostClock`
 * is given), dispatches and submits per step.
 */
export async function measureStep(x: NDArray, y: NDArray, steps: number, batch: number, hostClock?: HostClock) {
  setSeed(1);
  const m = modelA();
  const p0 = runtimeStats().pipelines;
  let t = performance.now();
  await m.fit(x.slice(0, batch), y.slice(0, batch), { batchSize: batch, epochs: 1, verbose: 0 });
  const firstStepMs = performance.now() - t;
  const pipelines = runtimeStats().pipelines - p0;

  const s0 = runtimeStats();
  const hostMs = hostClock?.();
  t = performance.now();
  await m.fit(x.slice(0, batch * steps), y.slice(0, batch * steps), { batchSize: batch, epochs: 1, verbose: 0, shuffle: false });
  const wallMs = performance.now() - t;
  const hostMsPerStep = hostMs ? hostMs() / steps : null;
  const s1 = runtimeStats();
  m.dispose();
  const figures = {
    batch,
    steps,
    firstStepMs,
    pipelinesCompiled: pipelines,
    msPerStep: wallMs / steps,
    hostMsPerStep,
    dispatchesPerStep: (s1.dispatches - s0.dispatches) / steps,
    submitsPerStep: (s1.submits - s0.submits) / steps,
    samplesPerSec: (batch * steps * 1000) / wallMs,
  };
  const table: BenchTable = {
    title: `Model A training step, batch ${batch} (${steps} steps)`,
    columns: ['figure', 'value'],
    rows: [
      ['first step incl. compiling (ms)', firstStepMs],
      ['pipelines compiled', pipelines],
      ['wall time per step (ms)', figures.msPerStep],
      ...(hostMsPerStep === null ? [] : [['host main-thread time per step (ms)', hostMsPerStep]]),
      ['dispatches per step', figures.dispatchesPerStep],
      ['submits per step', figures.submitsPerStep],
      ['samples/s', figures.samplesPerSec],
    ],
  };
  return { figures, table };
}

/** samples/s of webgrad's fit over `batches` batches (after a warm-up fit that compiles pipelines). */
async function webgrad(xAll: NDArray, yAll: NDArray, bs: number, batches: number): Promise<{ sps: number; dispatches: number; submits: number }> {
  setSeed(1);
  const m = modelA();
  const n = bs * batches;
  const x = xAll.slice(0, n);
  const y = yAll.slice(0, n);
  await m.fit(xAll.slice(0, bs * 4), yAll.slice(0, bs * 4), { batchSize: bs, epochs: 1, verbose: 0 });
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
  const [xw, yw] = [toTf(xAll, bs * 4), toTf(yAll, bs * 4)];
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
    const w = await webgrad(xAll, yAll, bs, batches);
    const tf: Record<string, number> = {};
    for (const p of peers) tf[p] = await tfjs(xAll, yAll, p, bs, batches);
    figures.push({ batchSize: bs, webgradSamplesPerSec: w.sps, dispatchesPerStep: w.dispatches, submitsPerStep: w.submits, tfjs: tf });
    rows.push([bs, Math.round(w.sps), ...peers.flatMap((p) => [Math.round(tf[p]), w.sps / tf[p]])]);
    console.log(`batch ${bs}: webgrad ${w.sps.toFixed(0)} samples/s (${w.dispatches.toFixed(1)} dispatches, ${w.submits.toFixed(2)} submits per step); ${peers.map((p) => `tfjs-${p} ${tf[p].toFixed(0)}`).join(', ')}`);
  }
  const table: BenchTable = {
    title: `Model A training, ${batches} batches, samples/s (ratio = webgrad / peer)`,
    columns: ['batch', 'webgrad', ...peers.flatMap((p) => [`tfjs-${p}`, `ratio vs ${p}`])],
    rows,
  };
  return { figures, table };
}
