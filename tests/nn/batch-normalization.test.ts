// BatchNormalization as Keras runs it: in fit the batch statistics normalize and the moving
// statistics follow moving * momentum + batch * (1 - momentum) step by step (float64
// reference); evaluate and predict use the moving statistics; `trainable = false` runs the
// layer in inference mode inside fit (its statistics and weights stay bit-identical, and
// gradients still reach the layers below); weights in Keras's order; no leak per step.
import { beforeAll, describe, expect, test } from 'vitest';
import { BatchNormalization, Dense, Flatten, LeakyReLU, memory, ndarray, ready, Sequential, SGD, setSeed } from '../../src/index.ts';
import { expectClose } from '../util/check.ts';
import { moments, normalizeRef } from '../util/batch-norm-reference.ts';
import { f32 } from './reference.ts';

beforeAll(async () => {
  await ready();
});

const n = 12;
// Three features on different scales, so normalization matters.
const xData = Float32Array.from(f32(n * 3, 7, -1, 1), (v, i) => v * [1, 10, 0.1][i % 3] + [0, 5, -2][i % 3]);
const x = ndarray(xData, [n, 3]);
const y = ndarray(Array.from({ length: n }, (_, i) => i % 2));

function model(bn: BatchNormalization): Sequential {
  setSeed(3);
  const m = new Sequential([bn, new Dense(2, { activation: 'softmax' })]);
  m.compile({ optimizer: new SGD({ learningRate: 0.1 }), loss: 'sparse_categorical_crossentropy' });
  return m;
}

const rows = (from: number, count: number) => ndarray(xData.slice(from * 3, (from + count) * 3), [count, 3]);
const labels = (from: number, count: number) => ndarray(Array.from({ length: count }, (_, i) => (from + i) % 2));
const values = async (m: Sequential) => (await m.layers[0].getWeights()).map((w) => Array.from(w.data));

describe('BatchNormalization in fit, evaluate and predict', () => {
  test("weights in Keras's order; gamma and beta trainable, the moving statistics not", () => {
    const bn = new BatchNormalization({ inputShape: [3] });
    const m = model(bn);
    expect(bn.weights.map((w) => w.name)).toEqual(['gamma', 'beta', 'moving_mean', 'moving_variance']);
    expect(bn.trainableWeights.map((w) => w.name)).toEqual(['gamma', 'beta']);
    expect(bn.nonTrainableWeights.map((w) => w.name)).toEqual(['moving_mean', 'moving_variance']);
    const bare = new BatchNormalization({ center: false, scale: false });
    bare.build([3]);
    expect(bare.weights.map((w) => w.name)).toEqual(['moving_mean', 'moving_variance']);
    m.dispose();
    bare.dispose();
  });

  test('training: the moving statistics follow the float64 reference after every step', async () => {
    const bn = new BatchNormalization({ inputShape: [3], momentum: 0.9 });
    const m = model(bn);
    const ref = { mean: [0, 0, 0], variance: [1, 1, 1] };
    for (let step = 0; step < 3; step++) {
      await m.fit(rows(step * 4, 4), labels(step * 4, 4), { batchSize: 4, epochs: 1, verbose: 0, shuffle: false });
      const s = moments({ data: Float64Array.from(xData.slice(step * 12, step * 12 + 12)), shape: [4, 3] });
      for (let j = 0; j < 3; j++) {
        ref.mean[j] = ref.mean[j] * 0.9 + s.mean[j] * 0.1;
        ref.variance[j] = ref.variance[j] * 0.9 + s.variance[j] * 0.1;
      }
      const [, , mm, mv] = await values(m);
      expectClose(mm, ref.mean, { atol: 1e-6, rtol: 1e-5 }, `moving mean after step ${step + 1}`);
      expectClose(mv, ref.variance, { atol: 1e-6, rtol: 1e-5 }, `moving variance after step ${step + 1}`);
    }
    const [gamma] = await values(m);
    expect(gamma).not.toEqual([1, 1, 1]); // trained
    m.dispose();
  });

  test('inference: predict normalizes with the moving statistics and leaves them as they are', async () => {
    const bn = new BatchNormalization({ inputShape: [3], momentum: 0.5 });
    const m = model(bn);
    await m.fit(x, y, { batchSize: 4, epochs: 2, verbose: 0 });
    const before = await values(m);
    const [gamma, beta, mm, mv] = before;
    const alone = new Sequential([bn]); // shares the layer
    const out = await (await alone.predict(x, { batchSize: 5 })).data();
    const want = normalizeRef({ data: Float64Array.from(xData), shape: [n, 3] }, mm, mv, 1e-3, { data: Float64Array.from(gamma), shape: [3] }, { data: Float64Array.from(beta), shape: [3] });
    expectClose(out, want.data, { atol: 1e-5, rtol: 1e-4 }, 'predict');
    await m.evaluate(x, y, { batchSize: 4 });
    expect(await values(m)).toEqual(before);
    m.dispose();
  });

  test('frozen (trainable = false): fit runs it in inference mode, keeps its values bit-identical, and trains the layers below', async () => {
    setSeed(5);
    const below = new Dense(3, { inputShape: [3] });
    const bn = new BatchNormalization({ momentum: 0.5 });
    const m = new Sequential([below, bn, new Dense(2, { activation: 'softmax' })]);
    bn.trainable = false;
    m.compile({ optimizer: new SGD({ learningRate: 0.1 }), loss: 'sparse_categorical_crossentropy' });
    expect(bn.trainableWeights).toEqual([]);
    const bnBefore = (await bn.getWeights()).map((w) => Array.from(w.data));
    const belowBefore = (await below.getWeights()).map((w) => Array.from(w.data));
    await m.fit(x, y, { batchSize: 4, epochs: 2, verbose: 0 });
    expect((await bn.getWeights()).map((w) => Array.from(w.data))).toEqual(bnBefore);
    expect((await below.getWeights()).map((w) => Array.from(w.data))).not.toEqual(belowBefore);
    m.dispose();
  });

  test("frozen or not shows in fit's loss: with a negligible learning rate a frozen layer's training loss is evaluate's", async () => {
    const losses = async (trainable: boolean) => {
      setSeed(9);
      const bn = new BatchNormalization({ inputShape: [3] });
      const m = new Sequential([bn, new Dense(2, { activation: 'softmax' })]);
      bn.trainable = trainable;
      m.compile({ optimizer: new SGD({ learningRate: 1e-9 }), loss: 'sparse_categorical_crossentropy' });
      const h = await m.fit(x, y, { batchSize: 4, epochs: 1, verbose: 0, shuffle: false });
      const [evaluated] = await m.evaluate(x, y, { batchSize: 4 });
      m.dispose();
      return [h.history.loss[0], evaluated];
    };
    const [frozenFit, frozenEval] = await losses(false);
    expect(frozenFit).toBeCloseTo(frozenEval, 5);
    const [liveFit, liveEval] = await losses(true);
    expect(Math.abs(liveFit - liveEval)).toBeGreaterThan(1e-3);
  });

  test('training steps leave memory as they found it (the moving update allocates nothing that stays)', async () => {
    const m = model(new BatchNormalization({ inputShape: [3] }));
    await m.fit(x, y, { batchSize: 4, epochs: 1, verbose: 0 });
    const before = memory();
    await m.fit(x, y, { batchSize: 4, epochs: 3, verbose: 0 });
    (await m.predict(x)).dispose();
    const after = memory();
    expect(after.buffersInUse).toBe(before.buffersInUse);
    expect(after.bytesInUse).toBe(before.bytesInUse);
    m.dispose();
  });

  test("the chapter's BN model: the book's parameter counts, and tf.keras 2's cut of a long layer name", () => {
    const m = new Sequential([
      new Flatten({ inputShape: [28, 28] }),
      new BatchNormalization({ name: 'batch_normalization' }),
      new Dense(300, { activation: 'elu', kernelInitializer: 'he_normal' }),
      new BatchNormalization(),
      new Dense(100, { activation: 'elu', kernelInitializer: 'he_normal' }),
      new BatchNormalization(),
      new Dense(10, { activation: 'softmax' }),
    ]);
    const text = m.summary(() => {});
    expect(text).toContain('batch_normalization (BatchNo (None, 784)               3,136');
    expect(text).toContain('Total params: 271,346\nTrainable params: 268,978\nNon-trainable params: 2,368');
    m.dispose();
  });

  test('bad settings: only the last axis is supported; momentum in [0, 1]; epsilon > 0', () => {
    const bn = new BatchNormalization({ name: 'bn', axis: 1 });
    expect(() => bn.build([4, 3])).toThrow("BatchNormalization 'bn': axis 1 for input [batch, 4, 3]: webgrad normalizes the last axis only (axis -1)");
    expect(() => new BatchNormalization({ momentum: 1.5 })).toThrow('BatchNormalization: momentum must be in [0, 1], got 1.5');
    expect(() => new BatchNormalization({ epsilon: 0 })).toThrow('BatchNormalization: epsilon must be > 0, got 0');
    expect(() => new LeakyReLU({ negativeSlope: -1 })).toThrow('LeakyReLU: negativeSlope must be >= 0, got -1');
    const ok = new BatchNormalization({ axis: 2 });
    ok.build([4, 3]);
    expect(ok.weights[0].tensor.shape).toEqual([3]);
    ok.dispose();
  });
});
