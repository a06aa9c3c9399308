// Captured steps (src/fast/capture.ts, src/fast/captured-steps.ts): fit, evaluate and
// predict with capture on must give the same weights, logs and outputs bit for bit as with
// WEBGRAD_CAPTURE=0 (every step eager), for each kind of per-step data — the batch offset
// (a partial last batch too), dropout seeds, the optimizer's rate and step count, layer
// state a step updates on the GPU (BatchNormalization's moving statistics) — and
// replays must really have happened. A step the capture cannot reproduce (host data
// uploaded mid-step, a custom layer not declared capturable) and a graph change by a
// callback fall back to eager steps.
import { afterEach, beforeAll, expect, test } from 'vitest';
import {
  Adam,
  BatchNormalization,
  Callback,
  Dense,
  Dropout,
  ExponentialDecay,
  type FitContext,
  l2,
  LambdaCallback,
  Layer,
  maxNorm,
  memory,
  NDArray,
  PReLU,
  ndarray,
  type Optimizer,
  ready,
  runtimeStats,
  Sequential,
  SGD,
  setSeed,
  tensor,
  type Tensor,
} from '../../src/index.ts';
import { add } from '../../src/autograd/elementwise.ts';

beforeAll(async () => {
  await ready();
});

const g = globalThis as Record<string, unknown>;
afterEach(() => {
  delete g.WEBGRAD_CAPTURE;
});

// 44 rows at batch 8: 5 full batches and a partial one of 4, in each of 3 epochs.
const n = 44;
const x = new NDArray(Float32Array.from({ length: n * 6 }, (_, i) => Math.sin(i * 0.37)), [n, 6]);
const y = ndarray(Float32Array.from({ length: n }, (_, i) => (i * 7) % 3));

interface Run {
  weights: number[][];
  logs: Record<string, number[]>;
  evaluated: number[];
  predicted: number[];
  replays: number;
  /** Buffers held after the run that were not before. */
  leaked: number;
}

/** Trains, evaluates and predicts with a fresh seeded model, capture on or off. */
async function run(capture: boolean, layers: () => Layer[], optimizer: () => Optimizer, callbacks: () => Callback[] = () => []): Promise<Run> {
  if (capture) delete g.WEBGRAD_CAPTURE;
  else g.WEBGRAD_CAPTURE = '0';
  setSeed(5);
  const inUse = memory().buffersInUse;
  const m = new Sequential(layers());
  m.compile({ optimizer: optimizer(), loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  const before = runtimeStats().replays;
  const h = await m.fit(x, y, { batchSize: 8, epochs: 3, verbose: 0, callbacks: callbacks(), validationData: [x, y] });
  const evaluated = await m.evaluate(x, y, { batchSize: 8 });
  const out = await m.predict(x, { batchSize: 8 });
  const predicted = Array.from(await out.data());
  out.dispose();
  const weights = (await m.getWeights()).map((w) => Array.from(w.toFloat32()));
  m.dispose();
  return { weights, logs: h.history, evaluated, predicted, replays: runtimeStats().replays - before, leaked: memory().buffersInUse - inUse };
}

async function same(layers: () => Layer[], optimizer: () => Optimizer, callbacks?: () => Callback[]): Promise<Run> {
  const eager = await run(false, layers, optimizer, callbacks);
  const captured = await run(true, layers, optimizer, callbacks);
  expect(eager.replays).toBe(0);
  // toEqual on number arrays is exact (bit for bit, for values that are not NaN).
  expect(captured.weights).toEqual(eager.weights);
  expect(captured.logs).toEqual(eager.logs);
  expect(captured.evaluated).toEqual(eager.evaluated);
  expect(captured.predicted).toEqual(eager.predicted);
  expect(captured.leaked).toBe(eager.leaked); // the arenas went back to the pool
  return captured;
}

const mlp = (extra: { dropout?: boolean; reg?: boolean } = {}) => () => [
  new Dense(10, { activation: 'relu', inputShape: [6], kernelRegularizer: extra.reg ? l2(0.01) : undefined, kernelConstraint: extra.reg ? maxNorm(0.5) : undefined }),
  ...(extra.dropout ? [new Dropout(0.3)] : []),
  new Dense(3, { activation: 'softmax' }),
];

test('plain SGD (the fused update), with a partial last batch: bit-identical, and replayed', async () => {
  const r = await same(mlp(), () => new SGD({ learningRate: 0.1 }));
  // fit: the 4-row batch replays in epochs 2-3 and the 8-row one from step 2; plus the
  // validation evaluates, the final evaluate and predict.
  expect(r.replays).toBeGreaterThan(10);
});

test('SGD with momentum, dropout: bit-identical', async () => {
  const r = await same(mlp({ dropout: true }), () => new SGD({ learningRate: 0.05, momentum: 0.9 }));
  expect(r.replays).toBeGreaterThan(10);
});

test('Adam with a schedule, L2 and max-norm: bit-identical', async () => {
  const schedule = () => new Adam({ learningRate: new ExponentialDecay(0.01, 3, 0.8) });
  const r = await same(mlp({ reg: true, dropout: true }), schedule);
  expect(r.replays).toBeGreaterThan(10);
});

test('BatchNormalization (moving statistics updated inside the step) and PReLU: bit-identical', async () => {
  const layers = () => [new Dense(8, { inputShape: [6] }), new BatchNormalization(), new PReLU(), new Dense(3, { activation: 'softmax' })];
  const r = await same(layers, () => new SGD({ learningRate: 0.05, momentum: 0.9 }));
  expect(r.replays).toBeGreaterThan(10);
});

test('memory() counts the arenas of live captures (bytesCaptured); fit gives them back', async () => {
  const seen: number[] = [];
  const probe = () => [new LambdaCallback({ onBatchEnd: () => void seen.push(memory().bytesCaptured) })];
  const before = memory().bytesCaptured;
  await run(true, mlp(), () => new SGD({ learningRate: 0.1 }), probe);
  expect(Math.max(...seen)).toBeGreaterThan(before); // the step's intermediates, kept for its replays
  expect(memory().bytesCaptured).toBe(before);
  seen.length = 0;
  await run(false, mlp(), () => new SGD({ learningRate: 0.1 }), probe);
  expect(seen.every((b) => b === before)).toBe(true);
});

/** A custom layer doing host work: it uploads a new value every call (uncapturable, though it claims otherwise). */
class Counting extends Layer {
  static readonly capturable = true;
  private calls = 0;
  get className(): string {
    return 'Counting';
  }
  outputShape(s: number[]): number[] {
    return s;
  }
  call(t: Tensor): Tensor {
    return add(t, tensor([this.calls++ * 0.01]));
  }
  protected layerConfig() {
    return {};
  }
}

test('a step uploading host data runs eagerly: same results, no replays', async () => {
  const layers = () => [new Dense(4, { inputShape: [6] }), new Counting(), new Dense(3, { activation: 'softmax' })];
  const r = await same(layers, () => new SGD({ learningRate: 0.1 }));
  expect(r.replays).toBe(0);
});

/** A custom layer whose ops depend on host state (every other call doubles): not declared capturable. */
class Alternating extends Dense {
  private calls = 0;
  override call(t: Tensor, training: boolean): Tensor {
    const y = super.call(t, training);
    return this.calls++ % 2 ? add(y, y) : y;
  }
}

test('a custom layer without static capturable runs eagerly (a replay would repeat one branch)', async () => {
  const layers = () => [new Alternating(4, { inputShape: [6], activation: 'tanh' }), new Dense(3, { activation: 'softmax' })];
  const r = await same(layers, () => new SGD({ learningRate: 0.1 }));
  expect(r.replays).toBe(0);
});

/** Swaps the optimizer and freezes a layer mid-epoch: the captures must be dropped. */
class Meddler extends Callback {
  override async onBatchEnd(batch: number): Promise<void> {
    const { model } = this.context as FitContext;
    if (batch === 2) model.compiled!.optimizer = new SGD({ learningRate: 0.2 });
    if (batch === 3) model.layers[0].trainable = !model.layers[0].trainable;
  }
}

test('a callback swapping the optimizer or flipping trainable invalidates the capture', async () => {
  const r = await same(mlp(), () => new SGD({ learningRate: 0.1, momentum: 0.5 }), () => [new Meddler()]);
  expect(r.replays).toBeGreaterThan(5); // captured again after each change
});
