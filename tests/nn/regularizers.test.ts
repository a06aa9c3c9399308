// Weight penalties and constraints as Keras applies them. The loss fit() and evaluate()
// report is the data loss plus l1·Σ|w| + l2·Σw² (no ½), checked against a float64 host
// computation from getWeights(); constraints hold after every update of fit.
import { beforeAll, describe, expect, test } from 'vitest';
import { type Constraint, Dense, l1, l1l2, l2, maxNorm, ndarray, nonNeg, ready, Sequential, SGD, setSeed, unitNorm } from '../../src/index.ts';
import { activateRef, columnNorms, denseRef, f32 } from './reference.ts';

beforeAll(async () => {
  await ready();
});

const N = 13;
const x = f32(N * 4, 31, -2, 2);
const y = ndarray(Array.from({ length: N }, (_, i) => i % 3));

function regularizedModel(): Sequential {
  setSeed(5);
  const m = new Sequential([
    new Dense(5, { activation: 'relu', inputShape: [4], kernelRegularizer: l2(0.01), biasInitializer: 'random_normal' }),
    new Dense(3, { activation: 'softmax', kernelRegularizer: l1(0.02), biasRegularizer: l1l2({ l1: 0.01, l2: 0.03 }), biasInitializer: 'random_uniform' }),
  ]);
  m.compile({ optimizer: new SGD({ learningRate: 1e-9 }), loss: 'sparse_categorical_crossentropy' });
  return m;
}

/** Mean sparse CE of the model on (x, y) and the Keras penalty, in float64 from the weights. */
async function hostLoss(m: Sequential): Promise<{ ce: number; penalty: number }> {
  const [k1, b1, k2, b2] = (await m.getWeights()).map((a) => a.data as Float32Array);
  const h = activateRef('relu', denseRef(x, k1, b1, N, 4, 5), 5);
  const p = activateRef('softmax', denseRef(h, k2, b2, N, 5, 3), 3);
  let ce = 0;
  for (let i = 0; i < N; i++) ce -= Math.log(p[i * 3 + y.at(i)]);
  const sumAbs = (a: Float32Array) => a.reduce((s, v) => s + Math.abs(v), 0);
  const sumSq = (a: Float32Array) => a.reduce((s, v) => s + v * v, 0);
  const penalty = 0.01 * sumSq(k1) + 0.02 * sumAbs(k2) + 0.01 * sumAbs(b2) + 0.03 * sumSq(b2);
  return { ce: ce / N, penalty };
}

describe('regularizers', () => {
  test('evaluate() reports CE + l2·Σw² + l1·Σ|w| + l1l2 (no ½), for any batch size', async () => {
    const m = regularizedModel();
    const { ce, penalty } = await hostLoss(m);
    expect(penalty).toBeGreaterThan(0.05); // large enough to be seen next to the CE
    for (const batchSize of [N, 4]) {
      const [loss] = await m.evaluate(ndarray(x, [N, 4]), y, { batchSize });
      expect(loss).toBeCloseTo(ce + penalty, 5);
    }
    m.dispose();
  });

  test("fit's reported loss includes the penalty too", async () => {
    const m = regularizedModel();
    const { ce, penalty } = await hostLoss(m);
    const h = await m.fit(ndarray(x, [N, 4]), y, { batchSize: N, epochs: 1, verbose: 0 });
    expect(h.history.loss[0]).toBeCloseTo(ce + penalty, 5);
    m.dispose();
  });

  test('l1, l2 and l1l2 defaults and configs are Keras\'s', () => {
    expect([l1().l1, l1().l2, l2().l1, l2().l2]).toEqual([0.01, 0, 0, 0.01]);
    expect(l1l2().getConfig()).toEqual({ l1: 0, l2: 0 });
    expect([l1(0).className, l2(0.5).className, l1l2({ l1: 1, l2: 2 }).className]).toEqual(['L1', 'L2', 'L1L2']);
    expect(() => l2(-1)).toThrow(/l2 must be/);
  });
});

describe('constraints hold after fit', () => {
  const n = 64;
  const cx = f32(n * 6, 41, -3, 3);
  const cy = ndarray(Array.from({ length: n }, (_, i) => (cx[i * 6] > 0 ? 1 : 0)));

  async function trainedKernel(constraint: Constraint | null): Promise<Float32Array> {
    setSeed(17);
    const m = new Sequential([new Dense(8, { activation: 'relu', inputShape: [6], kernelConstraint: constraint }), new Dense(2, { activation: 'softmax' })]);
    m.compile({ optimizer: new SGD({ learningRate: 0.5 }), loss: 'sparse_categorical_crossentropy' });
    const h = await m.fit(ndarray(cx, [n, 6]), cy, { batchSize: 16, epochs: 3, verbose: 0 });
    expect(h.history.loss.every(Number.isFinite)).toBe(true);
    const [k] = await m.getWeights();
    m.dispose();
    return k.data as Float32Array;
  }

  test('maxNorm(0.5): every kernel column norm (axis 0) <= 0.5 + 1e-5, and without it they exceed 0.5', async () => {
    const free = columnNorms(await trainedKernel(null), 6, 8);
    expect(Math.max(...free)).toBeGreaterThan(0.6);
    const norms = columnNorms(await trainedKernel(maxNorm(0.5)), 6, 8);
    for (const v of norms) expect(v).toBeLessThanOrEqual(0.5 + 1e-5);
    expect(Math.max(...norms)).toBeGreaterThan(0.5 - 1e-3); // it binds: columns sit on the bound
  });

  test('nonNeg keeps every kernel value >= 0', async () => {
    const k = await trainedKernel(nonNeg());
    expect(k.every((v) => v >= 0)).toBe(true);
    expect(k.some((v) => v > 0)).toBe(true);
  });

  test('unitNorm makes every column norm 1', async () => {
    for (const v of columnNorms(await trainedKernel(unitNorm()), 6, 8)) expect(v).toBeCloseTo(1, 5);
  });
});
