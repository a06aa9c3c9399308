// dropout and alphaDropout (src/autograd/dropout.ts, wgsl/dropout.wgsl): the in-shader mask
// equals the reference hash (tests/util/reference.ts `dropoutKept`), kept values are scaled,
// the kept fraction matches, seeds behave, backward reuses the mask, AlphaDropout keeps
// SELU's mean and variance, and bad rates are refused.
import { beforeAll, describe, expect, test } from 'vitest';
import { backward } from '../../src/autograd/backward.ts';
import { ready } from '../../src/kernels/device.ts';
import * as ops from '../../src/ops.ts';
import { ones, randomNormal, tensor } from '../../src/tensor/create.ts';
import { expectClose, values } from '../util/check.ts';
import { dropoutKept, SELU_ALPHA, SELU_SCALE } from '../util/reference.ts';

beforeAll(async () => {
  await ready();
});

// The kernel compares with the rate as a float32 uniform.
const kept = (seed: number, i: number, rate: number) => dropoutKept(seed, i, Math.fround(rate));

describe('dropout', () => {
  test('the mask is the reference hash of (seed, index); kept values are scaled by 1/(1-rate)', async () => {
    const n = 3000;
    const rate = 0.3;
    const seed = 123_456_789;
    const xv = values(n, 5);
    const y = await ops.dropout(tensor(Float32Array.from(xv)), rate, seed).data();
    const want = Array.from(xv, (v, i) => (kept(seed, i, rate) ? v / (1 - rate) : 0));
    expectClose(y, want, { atol: 1e-6, rtol: 1e-6 }, 'dropout');
    // The hash really drops some and keeps some of these (the comparison above is not vacuous).
    expect(want.filter((v) => v === 0).length).toBeGreaterThan(800);
  });

  test('the fraction kept is 1 - rate over 10^5 elements', async () => {
    for (const rate of [0.1, 0.5, 0.8]) {
      const y = await ops.dropout(ones([100_000]), rate, 42).data();
      const frac = y.reduce((c, v) => c + (v !== 0 ? 1 : 0), 0) / y.length;
      // Binomial standard deviation is at most 0.0016 here; allow about 5 of them.
      expect(Math.abs(frac - (1 - rate)), `rate ${rate}: kept ${frac}`).toBeLessThan(0.008);
      expect(y.find((v) => v !== 0)).toBeCloseTo(1 / (1 - rate), 5);
    }
  });

  test('same seed gives the same mask, another seed another mask; rate 0 is the identity', async () => {
    const x = ones([4096]);
    const a = await ops.dropout(x, 0.5, 7).data();
    const b = await ops.dropout(x, 0.5, 7).data();
    const c = await ops.dropout(x, 0.5, 8).data();
    expect(Array.from(a)).toEqual(Array.from(b));
    const differ = a.reduce((n, v, i) => n + (v !== c[i] ? 1 : 0), 0);
    expect(differ).toBeGreaterThan(1500); // about half of 4096 for independent masks
    expect(Array.from(await ops.dropout(tensor([1, -2, 3]), 0, 9).data())).toEqual([1, -2, 3]);
  });

  test('backward applies the same mask and scale to the gradient', async () => {
    const n = 1000;
    const rate = 0.4;
    const seed = 99;
    const x = tensor(Float32Array.from(values(n, 3)));
    x.requiresGrad = true;
    const w = values(n, 4);
    backward(ops.dropout(x, rate, seed), tensor(Float32Array.from(w)));
    const want = Array.from(w, (v, i) => (kept(seed, i, rate) ? v / (1 - rate) : 0));
    expectClose(await x.grad!.data(), want, { atol: 1e-6, rtol: 1e-6 }, 'dropout gradient');
  });

  test('a rate outside [0, 1) is a RangeError naming the rate', () => {
    const x = ones([4]);
    for (const rate of [-0.1, 1, 1.5, NaN]) {
      expect(() => ops.dropout(x, rate)).toThrow(RangeError);
      expect(() => ops.alphaDropout(x, rate)).toThrow(RangeError);
    }
    expect(() => ops.dropout(x, 1)).toThrow('dropout: rate must be in [0, 1), got 1');
  });
});

describe('alphaDropout', () => {
  // Keras AlphaDropout: y = a * (kept ? x : alpha_p) + b with alpha_p = -alpha * scale,
  // a = ((1 - rate) (1 + rate alpha_p^2))^-1/2, b = -a alpha_p rate.
  const alphaP = -SELU_ALPHA * SELU_SCALE;
  const coeffs = (rate: number) => {
    const a = ((1 - rate) * (1 + rate * alphaP * alphaP)) ** -0.5;
    return { a, b: -a * alphaP * rate };
  };

  test('elementwise formula with the reference mask, and its gradient', async () => {
    const n = 2000;
    const rate = 0.2;
    const seed = 31337;
    const xv = values(n, 8, -2, 2);
    const x = tensor(Float32Array.from(xv));
    x.requiresGrad = true;
    const y = ops.alphaDropout(x, rate, seed);
    const { a, b } = coeffs(rate);
    const want = Array.from(xv, (v, i) => a * (kept(seed, i, rate) ? v : alphaP) + b);
    expectClose(await y.data(), want, { atol: 1e-5, rtol: 1e-5 }, 'alphaDropout');
    const w = values(n, 9);
    backward(y, tensor(Float32Array.from(w)));
    const wantGrad = Array.from(w, (v, i) => (kept(seed, i, rate) ? a * v : 0));
    expectClose(await x.grad!.data(), wantGrad, { atol: 1e-6, rtol: 1e-5 }, 'alphaDropout gradient');
  });

  test('keeps mean 0 and variance 1 of self-normalised (standard normal) inputs', async () => {
    const n = 100_000;
    const x = randomNormal([n], 0, 1, 2024);
    for (const rate of [0.1, 0.3]) {
      const y = await ops.alphaDropout(x, rate, 77).data();
      let mean = 0;
      for (const v of y) mean += v;
      mean /= n;
      let variance = 0;
      for (const v of y) variance += (v - mean) ** 2;
      variance /= n;
      // Sampling error over 10^5 elements is about 0.004 for the mean and 0.006 for the variance.
      expect(Math.abs(mean), `rate ${rate}: mean ${mean}`).toBeLessThan(0.02);
      expect(Math.abs(variance - 1), `rate ${rate}: variance ${variance}`).toBeLessThan(0.03);
    }
  });
});
