// Compiling ahead (src/fast/precompile.ts): fit and evaluate dry-run their step first, so the
// pipelines are created with createComputePipelineAsync before the first step, which then
// creates none; the dry run changes nothing (the same fit without it, WEBGRAD_LAZY_COMPILE=1,
// gives the same weights, batch-norm statistics included, bit for bit); a compile error met ahead is a GpuError naming the
// kernel. Counted with runtimeStats: pipelines made in all, and pipelinesAsync made ahead.
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import {
  Adam,
  AlphaDropout,
  BatchNormalization,
  Dense,
  Dropout,
  Flatten,
  GpuError,
  LambdaCallback,
  Layer,
  maxNorm,
  memory,
  Nadam,
  NDArray,
  type Optimizer,
  ready,
  runtimeStats,
  Sequential,
  SGD,
  setSeed,
} from '../../src/index.ts';
import { rt } from '../../src/kernels/runtime.ts';
import { nextSeed, Rng, withoutDraws } from '../../src/tensor/random.ts';
import { emptyTensor, type Tensor } from '../../src/tensor/tensor.ts';

beforeAll(async () => {
  await ready();
});

const lazy = (on: boolean) => ((globalThis as Record<string, unknown>).WEBGRAD_LAZY_COMPILE = on ? '1' : undefined);
afterEach(() => lazy(false));

/** Pipelines created synchronously (at a dispatch) so far. */
const syncMade = () => runtimeStats().pipelines - runtimeStats().pipelinesAsync;

/** n 4x4 uint8 "images" (as Fashion-MNIST is fed) and labels 0..2. */
function data(n: number, salt: number): [NDArray, NDArray] {
  const x = Uint8Array.from({ length: n * 16 }, (_, i) => (i * 37 + salt * 11) % 256);
  const y = Float32Array.from({ length: n }, (_, i) => (i * 7 + salt) % 3);
  return [new NDArray(x, [n, 4, 4], 1 / 255), new NDArray(y, [n])];
}

/** Model A's shape in small: SELU Dense layers, dropout (global-seeded and own-seeded), a
 * constraint, batch normalization (its moving statistics move in fit's steps only), softmax. */
function modelA(optimizer: Optimizer): Sequential {
  setSeed(21);
  const m = new Sequential([
    new Flatten({ inputShape: [4, 4] }),
    new Dense(12, { activation: 'selu', kernelConstraint: maxNorm(1.5) }),
    new BatchNormalization({ momentum: 0.5 }),
    new Dropout(0.25),
    new Dense(10, { activation: 'selu' }),
    new AlphaDropout(0.2, { seed: 5 }),
    new Dense(3, { activation: 'softmax' }),
  ]);
  m.compile({ optimizer, loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  return m;
}

const optimizers: [string, () => Optimizer][] = [
  ['Adam', () => new Adam({ learningRate: 0.01 })],
  ['plain SGD (updates fused into the dense backward)', () => new SGD({ learningRate: 0.05 })],
  // Nadam's rule advances its scalar state when named; clipping adds the norm kernel.
  ['Nadam clipped by global norm', () => new Nadam({ learningRate: 0.01, globalClipnorm: 0.5 })],
];

describe.each(optimizers)('with %s', (_name, optimizer) => {
  test('fit creates every pipeline ahead, none in its first step or its validation; the dry run changed no optimizer state', async () => {
    const [x, y] = data(20, 1);
    const m = modelA(optimizer());
    const opt = m.compiled!.optimizer;
    const before = runtimeStats();
    const seen: Record<string, number> = {};
    await m.fit(x, y, {
      batchSize: 8, // 8, 8, then 4 rows: the short last batch is dry-run too
      epochs: 1,
      verbose: 0,
      validationData: data(12, 2),
      callbacks: [
        new LambdaCallback({
          onTrainBegin: () => {
            // The dry run built no slots and counted no step (Keras's `variables` unchanged).
            expect(opt.iterations).toBe(0);
            expect(opt.weightSpecs().filter((s) => s.shape.length).map((s) => s.name)).toEqual([]);
            seen.begin = runtimeStats().pipelines;
          },
          onBatchEnd: (batch) => void (seen[`batch${batch}`] = runtimeStats().pipelines),
          onEpochEnd: () => void (seen.epochEnd = runtimeStats().pipelines),
        }),
      ],
    });
    const after = runtimeStats();
    expect(after.pipelinesAsync - before.pipelinesAsync).toBeGreaterThan(0); // this file's first fits make new ones
    expect(after.pipelines - after.pipelinesAsync).toBe(before.pipelines - before.pipelinesAsync); // none at a dispatch
    // No step, and not the validation's evaluate (between the last batch and the epoch's end), created any.
    expect([seen.batch0, seen.batch2, seen.epochEnd]).toEqual([seen.begin, seen.begin, seen.begin]);
    expect(opt.iterations).toBe(3);
    m.dispose();
  });

  test('the same fit with and without compiling ahead gives the same weights, slots and history, bit for bit', async () => {
    const [x, y] = data(20, 3);
    const run = async (ahead: boolean) => {
      lazy(!ahead);
      const m = modelA(optimizer());
      const h = await m.fit(x, y, { batchSize: 8, epochs: 2, verbose: 0, validationData: data(12, 4) });
      const weights = (await m.getWeights()).map((w) => Array.from(w.data));
      const slots = (await m.compiled!.optimizer.getWeights()).map((w) => Array.from(w));
      const next = nextSeed(); // where the global generator stands after fit
      m.dispose();
      return { weights, slots, history: h.history, next };
    };
    const ahead = await run(true);
    const lazily = await run(false);
    expect(lazily.weights).toEqual(ahead.weights); // toEqual on numbers is Object.is: bit for bit
    expect(lazily.slots).toEqual(ahead.slots);
    expect(lazily.history).toEqual(ahead.history);
    expect(lazily.next).toBe(ahead.next);
  });
});

test('evaluate over batches of 300 (a reduction past 256 rows: another kernel) and a short last batch creates no pipeline at a dispatch', async () => {
  const m = modelA(new SGD());
  const [x, y] = data(310, 5);
  const before = syncMade();
  const async0 = runtimeStats().pipelinesAsync;
  const [loss] = await m.evaluate(x, y, { batchSize: 300 });
  expect(Number.isFinite(loss)).toBe(true);
  expect(syncMade()).toBe(before);
  expect(runtimeStats().pipelinesAsync).toBeGreaterThan(async0);
  m.dispose();
});

test('without compiling ahead (WEBGRAD_LAZY_COMPILE=1), fit makes its pipelines at their first dispatch', async () => {
  lazy(true);
  const m = new Sequential([new Dense(5, { activation: 'elu', inputShape: [3] }), new Dense(2, { activation: 'sigmoid' })]);
  m.compile({ optimizer: new Adam(), loss: 'binary_crossentropy' });
  const async0 = runtimeStats().pipelinesAsync;
  const sync0 = syncMade();
  await m.fit(new NDArray(new Float32Array(12), [4, 3]), new NDArray(new Float32Array(8), [4, 2]), { verbose: 0 });
  expect(runtimeStats().pipelinesAsync).toBe(async0);
  expect(syncMade()).toBeGreaterThan(sync0); // elu's kernels: made by no other test here
  m.dispose();
});

/** A layer whose kernel does not compile (as a bug in a new kernel would): identity otherwise. */
class BrokenKernel extends Layer {
  get className(): string {
    return 'BrokenKernel';
  }
  outputShape(s: number[]): number[] {
    return s;
  }
  call(x: Tensor): Tensor {
    const out = emptyTensor(x.shape);
    rt().dispatch({ label: 'broken-in-precompile', code: '@compute @workgroup_size(1) fn main() { let v: f32 = no_such_name; }' }, [x.buffer, out.buffer], [1]);
    return out;
  }
  protected layerConfig() {
    return {};
  }
}

test('a WGSL compile error met while compiling ahead fails fit with a GpuError naming the kernel and the compiler message, leaking nothing', async () => {
  const m = new Sequential([new BrokenKernel({ inputShape: [3] }), new Dense(2)]);
  m.compile({ optimizer: new SGD(), loss: 'mse' });
  const inUse = memory().bytesInUse;
  const steps = runtimeStats().dispatches;
  const err = await m.fit(new NDArray(new Float32Array(6), [2, 3]), new NDArray(new Float32Array(4), [2, 2]), { verbose: 0 }).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(GpuError);
  expect((err as Error).message).toContain("kernel 'broken-in-precompile' failed to compile");
  expect((err as Error).message).toContain('no_such_name');
  expect(runtimeStats().dispatches).toBe(steps); // failed before its first step
  expect(memory().bytesInUse).toBe(inUse);
  expect(m.trainableWeights.every((w) => !w.tensor.requiresGrad)).toBe(true);
  m.dispose();
});

test('withoutDraws: draws inside it advance neither the global seed sequence nor a generator', () => {
  setSeed(9);
  const rng = new Rng(4);
  const inside = withoutDraws(() => [nextSeed(), nextSeed(), rng.nextU32(), rng.nextU32()]);
  const after = [nextSeed(), nextSeed(), rng.nextU32(), rng.nextU32()];
  setSeed(9);
  const fresh = new Rng(4);
  const untouched = [nextSeed(), nextSeed(), fresh.nextU32(), fresh.nextU32()];
  expect(after).toEqual(untouched); // as if nothing had been drawn
  expect(inside).toEqual([untouched[0], untouched[0], untouched[2], untouched[2]]); // the next value, again
});
