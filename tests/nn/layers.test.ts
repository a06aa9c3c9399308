// Every layer's forward pass against a float64 reference: Dense with each activation (by
// name and as a function) and without bias, Flatten, Activation, and Dropout/AlphaDropout
// (identity at inference, Keras's masks and scaling in training). Plus withDefaults.
import { beforeAll, describe, expect, test } from 'vitest';
import {
  Activation,
  activations,
  AlphaDropout,
  Dense,
  type DenseArgs,
  Dropout,
  Flatten,
  l2,
  type Layer,
  ndarray,
  ops,
  ready,
  Sequential,
  withDefaults,
} from '../../src/index.ts';
import { expectClose } from '../util/check.ts';
import { activateRef, denseRef, f32 } from './reference.ts';

beforeAll(async () => {
  await ready();
});

const N = 5;
const K = 7;
const M = 6;
const x = f32(N * K, 11, -2, 2);
const w = f32(K * M, 12);
const b = f32(M, 13, -0.5, 0.5);

async function run(layers: Layer[], input: Float32Array, shape: number[], training = false): Promise<{ out: Float32Array; shape: readonly number[] }> {
  const model = new Sequential(layers);
  const y = await model.predict(ndarray(input, shape), { training });
  const out = await y.data();
  const s = y.shape;
  y.dispose();
  model.dispose();
  return { out, shape: s };
}

async function denseOut(args: DenseArgs): Promise<Float32Array> {
  const d = new Dense(M, { ...args, inputShape: [K] });
  const model = new Sequential([d]);
  model.setWeights([ndarray(w, [K, M]), ndarray(b, [M])]);
  const y = await model.predict(ndarray(x, [N, K]));
  const out = await y.data();
  y.dispose();
  model.dispose();
  return out;
}

describe('Dense', () => {
  const names = ['linear', 'relu', 'elu', 'selu', 'sigmoid', 'tanh', 'softmax', 'softplus'];
  const pre = denseRef(x, w, b, N, K, M);

  test.each(names)("activation '%s' by name matches float64", async (name) => {
    expectClose(await denseOut({ activation: name as 'relu' }), activateRef(name, pre, M), { atol: 1e-5, rtol: 1e-4 }, name);
  });

  test.each(names)('activations.%s as a function matches float64', async (name) => {
    const fn = activations[name as keyof typeof activations];
    expectClose(await denseOut({ activation: fn }), activateRef(name, pre, M), { atol: 1e-5, rtol: 1e-4 }, name);
  });

  test('a user function as the activation', async () => {
    const got = await denseOut({ activation: (t) => ops.mul(ops.tanh(t), 2) });
    expectClose(got, pre.map((v) => 2 * Math.tanh(v)), { atol: 1e-5, rtol: 1e-4 });
  });

  test('no activation means linear; default initializers are glorot_uniform and zeros', async () => {
    expectClose(await denseOut({}), pre, { atol: 1e-5, rtol: 1e-4 });
    const d = new Dense(M, { inputShape: [K] });
    expect(d.kernelInitializer.className).toBe('GlorotUniform');
    expect(d.biasInitializer.className).toBe('Zeros');
  });

  test('useBias: false has only a kernel and computes x · W', async () => {
    const d = new Dense(M, { useBias: false, inputShape: [K] });
    const model = new Sequential([d]);
    expect(d.weights.map((v) => v.name)).toEqual(['kernel']);
    expect(model.countParams()).toBe(K * M);
    model.setWeights([ndarray(w, [K, M])]);
    const y = await model.predict(ndarray(x, [N, K]));
    expectClose(await y.data(), denseRef(x, w, null, N, K, M), { atol: 1e-5, rtol: 1e-4 });
    y.dispose();
    model.dispose();
  });

  test('a wrong input shape is an error naming the shapes', async () => {
    const model = new Sequential([new Dense(3, { inputShape: [4] })]);
    await expect(model.predict(ndarray(f32(10, 1), [2, 5]))).rejects.toThrow(/\[batch, 4\], got \[2, ?5\]/);
    expect(() => new Sequential([new Dense(3, { inputShape: [2, 2] })])).toThrow(/Flatten/);
    model.dispose();
  });
});

describe('Flatten, Activation', () => {
  test('Flatten keeps row-major order: [n, 3, 4] -> [n, 12]', async () => {
    const input = f32(2 * 3 * 4, 5);
    const { out, shape } = await run([new Flatten({ inputShape: [3, 4] })], input, [2, 3, 4]);
    expect(shape).toEqual([2, 12]);
    expect(Array.from(out)).toEqual(Array.from(input));
  });

  test.each(['linear', 'relu', 'elu', 'selu', 'sigmoid', 'tanh', 'softmax', 'softplus'])("Activation('%s') matches float64", async (name) => {
    const input = f32(N * M, 21, -3, 3);
    const { out } = await run([new Activation(name, { inputShape: [M] })], input, [N, M]);
    expectClose(out, activateRef(name, Float64Array.from(input), M), { atol: 1e-5, rtol: 1e-4 }, name);
  });
});

describe('Dropout and AlphaDropout', () => {
  const n = 200;
  const d = 50;
  const ones = new Float32Array(n * d).fill(1);
  const rate = 0.3;

  test('both are the identity at inference', async () => {
    const input = f32(n * d, 3);
    for (const layer of [new Dropout(rate, { inputShape: [d] }), new AlphaDropout(rate, { inputShape: [d] })]) {
      const { out } = await run([layer], input, [n, d]);
      expect(Array.from(out)).toEqual(Array.from(input));
    }
  });

  test('Dropout in training zeroes about `rate` of the values and scales the rest by 1/(1-rate)', async () => {
    const { out } = await run([new Dropout(rate, { inputShape: [d] })], ones, [n, d], true);
    const kept = 1 / (1 - rate);
    let zeros = 0;
    for (const v of out) {
      if (v === 0) zeros++;
      else expect(v).toBeCloseTo(kept, 5);
    }
    expect(zeros / out.length).toBeGreaterThan(rate - 0.03);
    expect(zeros / out.length).toBeLessThan(rate + 0.03);
  });

  test("AlphaDropout in training gives a·x + b or a·α' + b (Keras's constants), keeping mean 0 and variance 1", async () => {
    const alphaP = -1.6732632423543772848170429916717 * 1.0507009873554804934193349852946;
    const a = ((1 - rate) * (1 + rate * alphaP ** 2)) ** -0.5;
    const bb = -a * alphaP * rate;
    const input = f32(n * d, 4, -1, 1);
    const { out } = await run([new AlphaDropout(rate, { inputShape: [d] })], input, [n, d], true);
    let dropped = 0;
    out.forEach((v, i) => {
      if (Math.abs(v - (a * alphaP + bb)) < 1e-5) dropped++;
      else expect(v).toBeCloseTo(a * input[i] + bb, 5);
    });
    expect(dropped / out.length).toBeGreaterThan(rate - 0.03);
    expect(dropped / out.length).toBeLessThan(rate + 0.03);
  });

  test('a seeded Dropout layer repeats its mask sequence', async () => {
    const masks = [];
    for (let r = 0; r < 2; r++) masks.push((await run([new Dropout(0.5, { inputShape: [d], seed: 7 })], ones, [n, d], true)).out);
    expect(Array.from(masks[0])).toEqual(Array.from(masks[1]));
    const other = (await run([new Dropout(0.5, { inputShape: [d], seed: 8 })], ones, [n, d], true)).out;
    expect(Array.from(other)).not.toEqual(Array.from(masks[0]));
  });
});

describe('withDefaults (the seed\'s functools.partial)', () => {
  const RegularizedDense = withDefaults(Dense, { activation: 'elu', kernelInitializer: 'he_normal', kernelRegularizer: l2(0.01) });

  test('with and without new, the defaults apply', () => {
    for (const layer of [new RegularizedDense(30), RegularizedDense(30)]) {
      expect(layer).toBeInstanceOf(Dense);
      expect(layer.units).toBe(30);
      expect(layer.activation).toBe('elu');
      expect(layer.kernelInitializer.className).toBe('HeNormal');
      expect(layer.kernelRegularizer?.l2).toBe(0.01);
    }
  });

  test('each call may override a default and add options', () => {
    const out = RegularizedDense(10, { activation: 'softmax', kernelInitializer: 'glorot_uniform', inputShape: [4] });
    expect(out.activation).toBe('softmax');
    expect(out.kernelInitializer.className).toBe('GlorotUniform');
    expect(out.kernelRegularizer?.l2).toBe(0.01);
    expect(out.inputShape).toEqual([4]);
    // The defaults object is not changed by an override.
    expect(RegularizedDense(5).activation).toBe('elu');
  });
});
