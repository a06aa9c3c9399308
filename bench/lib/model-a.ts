// The measurements of bench/step and bench/train, shared by the Node CLIs (bench/step.ts,
// bench/train.ts: Dawn) and the Chromium page (bench/web: navigator.gpu), so both hosts
// time exactly the same thing. The callers load the data and pass it in; nothing here
// imports Node modules, so the page can bundle it. The model is the chapter's model A:
// 784-300-100-50-50-50-8 SELU, SGD 1e-3, sparse categorical cross-entropy.

import type * as jaxType from '@jax-js/jax';
import * as tfl from '@tensorflow/tfjs-layers';
import type { NDArray } from 'webgrad.js';
import { currentGpuInstance, Dense, Flatten, runtimeStats, Sequential, SGD, setSeed, SPEEDUPS } from 'webgrad.js';
import { initParams, type JaxDevice, loadJax, sgdStep } from './jaxjs.ts';
import type { BenchTable } from './results.ts';
import { loadTf, type TfBackend } from './tfjs.ts';

/** Model A's layer widths, input first. */
export const UNITS = [784, 300, 100, 50, 50, 50, 8];

export function modelA(): Sequential {
  return mlp(UNITS);
}

/** A Keras-style MLP of widths `units` (input first): SELU hidden layers, softmax output. */
function mlp(units: number[]): Sequential {
  const m = new Sequential([new Flatten({ inputShape: [28, 28] })]);
  units.slice(1).forEach((n, i) => m.add(new Dense(n, { activation: i + 2 < units.length ? 'selu' : 'softmax' })));
  m.compile({ loss: 'sparse_categorical_crossentropy', optimizer: new SGD({ learningRate: 1e-3 }), metrics: ['accuracy'] });
  return m;
}

/**
 * Starts a clock of the host's main-thread busy time and returns its reading (ms). Node
 * has one (event-loop utilisation); a page has none, so the page passes no clock.
 */
export type HostClock = () => () => number;

/** Runs `fn` with WEBGRAD_PLAIN set to `plain` ('' for every speed-up on, the default). */
async function withPlain<T>(plain: string, fn: () => Promise<T>): Promise<T> {
  const g = globalThis as Record<string, unknown>;
  if (plain) g.WEBGRAD_PLAIN = plain;
  else delete g.WEBGRAD_PLAIN;
  try {
    return await fn();
  } finally {
    delete g.WEBGRAD_PLAIN;
  }
}

/** The timed steps of one configuration: WEBGRAD_PLAIN = `plain` ('' for all speed-ups). */
function timedSteps(m: Sequential, x: NDArray, y: NDArray, steps: number, batch: number, plain: string, hostClock?: HostClock) {
  return withPlain(plain, async () => {
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

/** The configurations bench:step times: every speed-up, each one off alone, none (the plain path). */
const CONFIGS = [{ name: 'all speed-ups', plain: '' }, ...SPEEDUPS.map((s) => ({ name: `without ${s}`, plain: s })), { name: 'plain (WEBGRAD_PLAIN=1)', plain: '1' }];

/**
 * One training step of model A, taken apart: time to the first step (pipeline compilation),
 * then `steps` steps of `batch` images from (x, y) in each configuration (every speed-up of
 * src/fast, each one off alone, and the plain path): wall time, host time (when `hostClock`
 * is given), dispatches and submits per step. A speed-up's gain is its "without" row minus
 * the first.
 */
export async function measureStep(x: NDArray, y: NDArray, steps: number, batch: number, hostClock?: HostClock) {
  setSeed(1);
  const m = modelA();
  const p0 = runtimeStats().pipelines;
  const t = performance.now();
  await m.fit(x.slice(0, batch), y.slice(0, batch), { batchSize: batch, epochs: 1, verbose: 0 });
  const firstStepMs = performance.now() - t;
  const pipelines = runtimeStats().pipelines - p0;
  const configs: Record<string, Awaited<ReturnType<typeof timedSteps>>> = {};
  // A first untimed pass warms every configuration's pipelines (a fused plan's are its own).
  for (const c of CONFIGS) await timedSteps(m, x, y, Math.min(steps, 40), batch, c.plain);
  for (const c of CONFIGS) configs[c.name] = await timedSteps(m, x, y, steps, batch, c.plain, hostClock);
  m.dispose();
  const all = configs['all speed-ups'];
  const figures = { batch, steps, firstStepMs, pipelinesCompiled: pipelines, ...all, configs };
  const f = (v: number | null, digits = 3) => (v === null ? '' : Number(v.toFixed(digits)));
  const table: BenchTable = {
    title: `Model A training step, batch ${batch} (${steps} steps; first step incl. compiling ${f(firstStepMs, 1)} ms, ${pipelines} pipelines)`,
    columns: ['configuration', 'wall ms/step', 'host ms/step', 'dispatches/step', 'submits/step', 'steps replayed', 'samples/s'],
    rows: CONFIGS.map(({ name }) => {
      const r = configs[name];
      return [name, f(r.msPerStep), f(r.hostMsPerStep), f(r.dispatchesPerStep, 2), f(r.submitsPerStep, 3), r.replayedSteps, Math.round(r.samplesPerSec)];
    }),
  };
  return { figures, table };
}

/**
 * Batches of the warm-up fit before each timed one (webgrad and every peer alike): pipelines
 * compiled, and more than one of fit's 16-step rounds, so webgrad's wait has learned the
 * GPU's pace (src/fast/pacing.ts FencePacer) as it has after the first second of a real fit.
 */
const WARM_UP_BATCHES = 20;

/**
 * One timed training run: an MLP of layer widths `units` (input first; model A's by
 * default) trained on `batches` batches of `bs` rows from (x, y), after `warmUp` batches.
 */
interface Workload {
  x: NDArray;
  y: NDArray;
  units: number[];
  bs: number;
  batches: number;
  warmUp: number;
}

/** samples/s of webgrad's fit over the workload's batches (after a warm-up fit). */
async function webgrad({ x: xAll, y: yAll, units, bs, batches, warmUp }: Workload): Promise<{ sps: number; dispatches: number; submits: number }> {
  setSeed(1);
  const m = mlp(units);
  const n = bs * batches;
  const x = xAll.slice(0, n);
  const y = yAll.slice(0, n);
  await m.fit(xAll.slice(0, bs * warmUp), yAll.slice(0, bs * warmUp), { batchSize: bs, epochs: 1, verbose: 0 });
  const s0 = runtimeStats();
  const t = performance.now();
  await m.fit(x, y, { batchSize: bs, epochs: 1, verbose: 0 });
  const secs = (performance.now() - t) / 1000;
  const s1 = runtimeStats();
  m.dispose();
  return { sps: n / secs, dispatches: (s1.dispatches - s0.dispatches) / batches, submits: (s1.submits - s0.submits) / batches };
}

/** The same with TensorFlow.js on `backend` (webgpu on webgrad's GPU instance). */
async function tfjs({ x: xAll, y: yAll, units, bs, batches, warmUp }: Workload, backend: TfBackend): Promise<number> {
  const tf = await loadTf(backend, currentGpuInstance());
  const m = tfl.sequential();
  m.add(tfl.layers.flatten({ inputShape: [28, 28] }));
  units.slice(1).forEach((n, i) => m.add(tfl.layers.dense({ units: n, activation: i + 2 < units.length ? 'selu' : 'softmax' })));
  m.compile({ loss: 'sparseCategoricalCrossentropy', optimizer: tf.train.sgd(1e-3), metrics: ['accuracy'] });
  const n = bs * batches;
  const toTf = (a: NDArray, rows: number) => tf.tensor(a.slice(0, rows).toFloat32(), [rows, ...a.shape.slice(1)]);
  const [xw, yw] = [toTf(xAll, bs * warmUp), toTf(yAll, bs * warmUp)];
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
 * The same with jax-js on `device`: its jitted step (lib/jaxjs.ts) on batches uploaded
 * one by one from the same arrays, reading each step's loss one step behind (jax-js
 * dispatches lazily; a step's loss is what a training loop reads), as a Keras fit reads
 * its logs. The warm-up traces and compiles the step, so compiling stays off the clock.
 */
async function jaxjs({ x: xAll, y: yAll, units, bs, batches, warmUp }: Workload, device: JaxDevice): Promise<number> {
  const jax = await loadJax(device, currentGpuInstance());
  const rows = bs * Math.max(batches, warmUp);
  const xs = xAll.slice(0, rows).toFloat32();
  const ys = Int32Array.from(yAll.slice(0, rows).toFloat32());
  const f = units[0];
  let params = initParams(jax, units, 1);
  const step = sgdStep(jax, 1e-3);
  async function train(n: number): Promise<void> {
    let behind: jaxType.Array | null = null;
    for (let i = 0; i < n; i++) {
      const x = jax.numpy.array(xs.subarray(i * bs * f, (i + 1) * bs * f), { shape: [bs, f] });
      const y = jax.numpy.array(ys.subarray(i * bs, (i + 1) * bs), { dtype: jax.numpy.int32 });
      const [loss, next] = step(params, x, y);
      params = next;
      if (behind) await behind.data();
      behind = loss;
    }
    await behind?.data();
  }
  await train(warmUp);
  const t = performance.now();
  await train(batches);
  const secs = (performance.now() - t) / 1000;
  for (const p of params) jax.tree.dispose(p);
  step.dispose();
  return (bs * batches) / secs;
}

/** A peer's samples/s, or null when it failed, with the reason added to `notes`. */
export async function orNull(name: string, notes: string[], run: () => Promise<number>): Promise<number | null> {
  try {
    return await run();
  } catch (e) {
    notes.push(`${name}: ${e instanceof Error ? e.message : String(e)}`);
    return null;
  }
}

/** What to train model A with: TensorFlow.js backends and jax-js devices. */
export interface Peers {
  tfjs: TfBackend[];
  jaxjs: JaxDevice[];
}

/** measureTrain's settings beyond the defaults (model A, 20 warm-up batches, eager too). */
export interface TrainOptions {
  units?: number[];
  warmUp?: number;
  /** Also time webgrad with every step eager (WEBGRAD_CAPTURE=0). */
  eager?: boolean;
  /** Called with each figure as it is measured (the bench page's table and chart). */
  onResult?: (peer: string, batchSize: number, samplesPerSec: number | null) => void;
}

/**
 * Model A (or `units`) trained for `batches` batches of each size in `sizes` on (xAll,
 * yAll), by webgrad and by each peer, one after the other in this process or page. A peer
 * that fails gets null and its error in `notes`; one not asked for is absent.
 */
export async function measureTrain(xAll: NDArray, yAll: NDArray, batches: number, sizes: number[], peers: Peers, opts: TrainOptions = {}) {
  const { units = UNITS, warmUp = WARM_UP_BATCHES, eager: withEager = true, onResult } = opts;
  const rows: (string | number)[][] = [];
  const figures: Record<string, unknown>[] = [];
  const notes: string[] = [];
  const names = [...peers.tfjs.map((p) => `tfjs-${p}`), ...peers.jaxjs.map((p) => `jaxjs-${p}`)];
  for (const bs of sizes) {
    const work: Workload = { x: xAll, y: yAll, units, bs, batches, warmUp };
    const w = await withPlain('', () => webgrad(work));
    onResult?.('webgrad', bs, w.sps);
    const eager = withEager ? await withPlain('capture', () => webgrad(work)) : null;
    const peer = async <P extends string>(lib: string, p: P, run: (work: Workload, p: P) => Promise<number>) => {
      const sps = await orNull(`${lib}-${p}, batch ${bs}`, notes, () => run(work, p));
      onResult?.(`${lib}-${p}`, bs, sps);
      return sps;
    };
    const tf: Record<string, number | null> = {};
    for (const p of peers.tfjs) tf[p] = await peer('tfjs', p, tfjs);
    const jx: Record<string, number | null> = {};
    for (const p of peers.jaxjs) jx[p] = await peer('jaxjs', p, jaxjs);
    figures.push({ batchSize: bs, webgradSamplesPerSec: w.sps, ...(eager && { webgradEagerSamplesPerSec: eager.sps }), dispatchesPerStep: w.dispatches, submitsPerStep: w.submits, tfjs: tf, jaxjs: jx });
    const all = [...peers.tfjs.map((p) => tf[p]), ...peers.jaxjs.map((p) => jx[p])];
    const cells = all.flatMap((v): (string | number)[] => (v === null ? ['failed', ''] : [Math.round(v), w.sps / v]));
    rows.push([bs, Math.round(w.sps), ...(eager ? [Math.round(eager.sps)] : []), ...cells]);
    console.log(`batch ${bs}: webgrad ${w.sps.toFixed(0)} samples/s captured${eager ? `, ${eager.sps.toFixed(0)} eager` : ''} (${w.dispatches.toFixed(1)} dispatches, ${w.submits.toFixed(2)} submits per step); ${names.map((n, i) => `${n} ${all[i]?.toFixed(0) ?? 'failed'}`).join(', ')}`);
  }
  const model = units === UNITS ? 'Model A' : `MLP ${units.join('-')}`;
  const table: BenchTable = {
    title: `${model} training, ${batches} batches, samples/s (ratio = webgrad / peer)`,
    columns: ['batch', 'webgrad', ...(withEager ? ['webgrad eager (WEBGRAD_CAPTURE=0)'] : []), ...names.flatMap((n) => [n, `ratio vs ${n}`])],
    rows,
  };
  return { figures, table, notes };
}
