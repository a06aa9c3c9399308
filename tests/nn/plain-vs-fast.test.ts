// The plain path is the specification (WEBGRAD_PLAIN=1: fit/evaluate/predict without the
// loop speed-ups of src/fast/loop.ts) and the fast path must give its results: fit's
// weights, logs and step count, evaluate and predict, with a partial last batch and
// validation data in every case. Capture/replay, pacing, compiling ahead and the fused loss
// tail claim bit-identical results, and get them checked bit for bit. Plain SGD's fused
// update (inside the dense backward) claims only round-off (tests/nn/fused-update.test.ts):
// measured over 304 steps of the model-A-shaped MLP below, it too was bit-identical on
// lavapipe and SwiftShader (max |difference| 0), so its bound, 1e-5, only leaves room for an
// adapter whose compiler rounds the fused kernel's multiply-add differently.
import { afterEach, beforeAll, expect, test } from 'vitest';
import {
  Adam,
  BatchNormalization,
  Dense,
  Dropout,
  ExponentialDecay,
  Flatten,
  l2,
  type Layer,
  maxNorm,
  memory,
  NDArray,
  ndarray,
  type Optimizer,
  ready,
  runtimeStats,
  Sequential,
  SGD,
  setSeed,
} from '../../src/index.ts';
import { SPEEDUPS } from '../../src/kernels/env.ts';

beforeAll(async () => {
  await ready();
});

const g = globalThis as Record<string, unknown>;
afterEach(() => {
  delete g.WEBGRAD_PLAIN;
});

/** The largest |a − b| over two nested lists of numbers of the same shape. */
function maxDiff(a: number[][], b: number[][]): number {
  return Math.max(...a.flatMap((row, i) => row.map((v, j) => Math.abs(v - b[i][j]))));
}

/** Synthetic 8x8 "images" in 8 classes (a class shifts a sine pattern): learnable, no download. */
function images(n: number): [NDArray, NDArray] {
  const x = new NDArray(Float32Array.from({ length: n * 64 }, (_, i) => Math.sin(i * 0.37 + (Math.floor(i / 64) % 8) * (i % 64) * 0.05)), [n, 8, 8]);
  const y = ndarray(Float32Array.from({ length: n }, (_, i) => i % 8));
  return [x, y];
}

interface Run {
  weights: number[][];
  logs: number[][];
  evaluated: number[];
  predicted: number[];
  replays: number;
  /** The optimizer's step count after fit (the schedule and Adam's bias corrections read it). */
  iterations: number;
  dispatches: number;
  /** Pipelines made ahead (compiling ahead): none on the plain path. */
  madeAhead: number;
  leaked: number;
}

/** Trains (with validation data), evaluates and predicts with a fresh seeded model: plain, fast, or with the speed-ups WEBGRAD_PLAIN names off. */
async function run(plain: boolean | string, layers: () => Layer[], optimizer: () => Optimizer, n: number, epochs: number): Promise<Run> {
  if (plain) g.WEBGRAD_PLAIN = plain === true ? '1' : plain;
  else delete g.WEBGRAD_PLAIN;
  const [x, y] = images(n);
  setSeed(7);
  const inUse = memory().buffersInUse;
  const before = runtimeStats();
  const m = new Sequential(layers());
  m.compile({ optimizer: optimizer(), loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  const h = await m.fit(x, y, { batchSize: 16, epochs, verbose: 0, validationData: [x.slice(0, 40), y.slice(0, 40)] });
  const evaluated = await m.evaluate(x, y, { batchSize: 16 });
  const out = await m.predict(x, { batchSize: 16 });
  const predicted = Array.from(await out.data());
  out.dispose();
  const weights = (await m.getWeights()).map((w) => Array.from(w.toFloat32()));
  const iterations = m.compiled!.optimizer.iterations;
  m.dispose();
  const after = runtimeStats();
  const logs = Object.keys(h.history)
    .sort()
    .map((k) => h.history[k]);
  return { weights, logs, evaluated, predicted, iterations, dispatches: after.dispatches - before.dispatches, replays: after.replays - before.replays, madeAhead: after.pipelinesAsync - before.pipelinesAsync, leaked: memory().buffersInUse - inUse };
}

/** Runs plain then fast; checks the fast layer really ran, and only there. */
async function both(layers: () => Layer[], optimizer: () => Optimizer, n = 60, epochs = 3): Promise<[Run, Run]> {
  const plain = await run(true, layers, optimizer, n, epochs);
  const fast = await run(false, layers, optimizer, n, epochs);
  expect(plain.replays).toBe(0);
  expect(fast.replays).toBeGreaterThan(epochs);
  expect(plain.madeAhead).toBe(0);
  expect(fast.iterations).toBe(plain.iterations);
  expect(plain.iterations).toBe(epochs * Math.ceil(n / 16));
  expect(plain.leaked).toBe(0);
  expect(fast.leaked).toBe(0);
  return [plain, fast];
}

/** Bit for bit (toEqual on numbers is exact). */
function expectSame(plain: Run, fast: Run): void {
  expect(fast.weights).toEqual(plain.weights);
  expect(fast.logs).toEqual(plain.logs);
  expect(fast.evaluated).toEqual(plain.evaluated);
  expect(fast.predicted).toEqual(plain.predicted);
}

/** Model A's shape (Hands-On ML ch. 11: Flatten, a stack of SELU Dense layers, softmax over 8), narrowed to run in a test. */
const modelA = () => [new Flatten({ inputShape: [8, 8] }), ...[24, 16, 12, 12, 12].map((u) => new Dense(u, { activation: 'selu' })), new Dense(8, { activation: 'softmax' })];

/** See the header: the fused SGD update's round-off (0 where measured), carried through training. */
const FUSED_SGD_TOLERANCE = 1e-5;

test('model A shape, 304 steps of plain SGD (fused update and loss tail, capture, pacing): the same within the fused update round-off', async () => {
  // 300 rows at batch 16: 18 full batches and one of 12, in each of 16 epochs.
  const [plain, fast] = await both(modelA, () => new SGD({ learningRate: 1e-2 }), 300, 16);
  expect(fast.dispatches).toBeLessThan(plain.dispatches * 0.75); // the fused plans ran (about half the dispatches)
  expect(maxDiff(fast.weights, plain.weights)).toBeLessThan(FUSED_SGD_TOLERANCE);
  expect(maxDiff(fast.logs, plain.logs)).toBeLessThan(FUSED_SGD_TOLERANCE);
  expect(maxDiff([fast.evaluated], [plain.evaluated])).toBeLessThan(FUSED_SGD_TOLERANCE);
  expect(maxDiff([fast.predicted], [plain.predicted])).toBeLessThan(FUSED_SGD_TOLERANCE);
});

test('model A shape with SGD and momentum (no fused update): bit-identical', async () => {
  const [plain, fast] = await both(modelA, () => new SGD({ learningRate: 1e-2, momentum: 0.9 }));
  expectSame(plain, fast);
});

test('BatchNormalization and Dropout: bit-identical', async () => {
  const layers = () => [new Flatten({ inputShape: [8, 8] }), new Dense(16), new BatchNormalization(), new Dropout(0.3), new Dense(8, { activation: 'softmax' })];
  const [plain, fast] = await both(layers, () => new SGD({ learningRate: 0.05, momentum: 0.9 }));
  expectSame(plain, fast);
});

test('Adam with a schedule, L2 and max-norm: bit-identical', async () => {
  const layers = () => [
    new Flatten({ inputShape: [8, 8] }),
    new Dense(16, { activation: 'relu', kernelRegularizer: l2(0.01), kernelConstraint: maxNorm(0.5) }),
    new Dense(8, { activation: 'softmax' }),
  ];
  const [plain, fast] = await both(layers, () => new Adam({ learningRate: new ExponentialDecay(0.01, 3, 0.8) }));
  expectSame(plain, fast);
});

test('WEBGRAD_PLAIN=<name> turns off that speed-up alone: the same results, without its effect', async () => {
  const sgd = () => new SGD({ learningRate: 1e-2 });
  const fast = await run(false, modelA, sgd, 60, 2);
  for (const name of SPEEDUPS) {
    const off = await run(name, modelA, sgd, 60, 2);
    expect(maxDiff(off.weights, fast.weights), name).toBeLessThan(FUSED_SGD_TOLERANCE);
    expect(maxDiff(off.logs, fast.logs), name).toBeLessThan(FUSED_SGD_TOLERANCE);
    expect(off.leaked, name).toBe(0);
    if (name === 'capture') expect(off.replays).toBe(0);
    else expect(off.replays, name).toBeGreaterThan(0);
    if (name === 'compile-ahead') expect(off.madeAhead).toBe(0);
    // The fused plans each save dispatches: without one, a step records more.
    if (['loss-tail', 'act-grads', 'fused-sgd'].includes(name)) expect(off.dispatches, name).toBeGreaterThan(fast.dispatches);
  }
});

test('WEBGRAD_PLAIN with a name that is no speed-up is refused, naming the speed-ups', async () => {
  g.WEBGRAD_PLAIN = 'capture,warp';
  const m = new Sequential(modelA());
  m.compile({ optimizer: new SGD(), loss: 'sparse_categorical_crossentropy' });
  const [x, y] = images(16);
  await expect(m.fit(x, y, { verbose: 0 })).rejects.toThrow(/WEBGRAD_PLAIN=capture,warp: 'warp' names no speed-up; use 1 \(all of them\) or some of compile-ahead, capture/);
  delete g.WEBGRAD_PLAIN;
  m.dispose();
});
