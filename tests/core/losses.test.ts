// The fused losses (src/autograd/losses.ts, wgsl/losses.wgsl) against the Keras formulas
// in tests/util/reference.ts: sparse / categorical / binary cross-entropy from
// probabilities and from logits, Keras's clipping to [1e-7, 1 - 1e-7], labels shaped [N,1],
// invalid labels, gradients with respect to the predictions; mean squared / absolute error.
import { beforeAll, describe, expect, test } from 'vitest';
import { backward } from '../../src/autograd/backward.ts';
import { ready } from '../../src/kernels/device.ts';
import * as ops from '../../src/ops.ts';
import { tensor } from '../../src/tensor/create.ts';
import { expectClose } from '../util/check.ts';
import { checkOp } from '../util/op-harness.ts';
import * as R from '../util/reference.ts';

beforeAll(async () => {
  await ready();
});

const N = 6;
const C = 5;
const LABELS = [0, 4, 2, 2, 1, 3];
const oneHot = LABELS.flatMap((y) => Array.from({ length: C }, (_, j) => (j === y ? 1 : 0)));
// Soft targets (label smoothing style): rows sum to 1, every class has some mass.
const soft = LABELS.flatMap((y) => Array.from({ length: C }, (_, j) => (j === y ? 0.6 : 0.1)));

describe('cross-entropy from probabilities and from logits, with gradients', () => {
  for (const fromLogits of [false, true]) {
    const kind = fromLogits ? 'logits' : 'probabilities';
    // Probabilities need not be normalised (Keras normalises); logits are any reals.
    const pred = fromLogits ? { shape: [N, C], lo: -4, hi: 4 } : { shape: [N, C], lo: 0.05, hi: 1 };

    test(`sparse categorical from ${kind}`, async () => {
      await checkOp({
        name: `sparse ${kind}`,
        inputs: [{ shape: [N], data: LABELS, grad: false }, pred],
        gpu: ([y, p]) => ops.sparseCategoricalCrossentropy(y, p, fromLogits),
        ref: ([y, p]) => R.arr(R.sparseCE(Array.from(y.data), p, fromLogits), [N]),
      });
    });

    test(`sparse categorical from ${kind} with labels shaped [N,1]`, async () => {
      await checkOp({
        name: `sparse [N,1] ${kind}`,
        inputs: [{ shape: [N, 1], data: LABELS, grad: false }, pred],
        gpu: ([y, p]) => ops.sparseCategoricalCrossentropy(y, p, fromLogits),
        ref: ([y, p]) => R.arr(R.sparseCE(Array.from(y.data), p, fromLogits), [N]),
      });
    });

    for (const [tname, targets] of [
      ['one-hot', oneHot],
      ['soft', soft],
    ] as const) {
      test(`categorical from ${kind}, ${tname} targets`, async () => {
        await checkOp({
          name: `categorical ${kind} ${tname}`,
          inputs: [{ shape: [N, C], data: [...targets], grad: false }, pred],
          gpu: ([t, p]) => ops.categoricalCrossentropy(t, p, fromLogits),
          ref: ([t, p]) => R.arr(R.categoricalCE(t, p, fromLogits), [N]),
        });
      });
    }

    test(`binary from ${kind}: elementwise, then the mean over the last axis`, async () => {
      const p = fromLogits ? { shape: [N, 3], lo: -4, hi: 4 } : { shape: [N, 3], lo: 0.02, hi: 0.98 };
      const targets = Array.from({ length: N * 3 }, (_, i) => [0, 1, 0.25][i % 3]);
      await checkOp({
        name: `binary ${kind}`,
        inputs: [{ shape: [N, 3], data: targets, grad: false }, p],
        gpu: ([t, q]) => ops.binaryCrossentropy(t, q, fromLogits),
        ref: ([t, q]) => R.reduce(R.zip(t, q, (a, b) => R.binaryCE(a, b, fromLogits)), [1], (s, v) => s + v / 3, 0),
      });
      await checkOp({
        name: `binary ${kind}, rank 1`,
        inputs: [{ shape: [4], data: [1, 0, 1, 0], grad: false }, { ...p, shape: [4] }],
        gpu: ([t, q]) => ops.binaryCrossentropy(t, q, fromLogits),
        ref: ([t, q]) => R.zip(t, q, (a, b) => R.binaryCE(a, b, fromLogits)),
      });
    });
  }

  test('from logits stays finite for huge logits', async () => {
    const z = tensor([1000, -1000, 0, -1000, 1000, 0], [2, 3]);
    const sparse = await ops.sparseCategoricalCrossentropy(tensor([0, 0]), z, true).data();
    expectClose(sparse, [0, 2000], {}, 'sparse from huge logits');
    const bin = await ops.binaryCrossentropy(tensor([1, 0, 1, 1, 0, 0], [2, 3]), z, true).data();
    expectClose(bin, [(0 + 0 + Math.LN2) / 3, (1000 + 1000 + Math.LN2) / 3], {}, 'binary from huge logits');
  });
});

describe("Keras's clipping of probabilities to [1e-7, 1 - 1e-7]", () => {
  // Keras clips in the prediction's dtype: in float32, 1 - 1e-7 rounds to 1 - 2^-23 (about
  // 1 - 1.19e-7), so -log(1 - clip(1)) is -log(1.19e-7) = 15.94, not -log(1e-7) = 16.12.
  const f = Math.fround;
  const lo = f(1e-7);
  const hi = f(1 - lo);
  const clip32 = (p: number) => Math.min(Math.max(f(p), lo), hi);

  test('binary CE at and beyond the boundaries', async () => {
    const p = [0, 1e-9, 1e-7, 0.5, 1 - 1e-7, 1];
    const t = [1, 1, 1, 1, 0, 0];
    const y = ops.binaryCrossentropy(tensor(t), tensor(p));
    const want = p.map((v, i) => {
      const c = clip32(v);
      return -(t[i] * Math.log(c) + (1 - t[i]) * Math.log(f(1 - c)));
    });
    expectClose(await y.data(), want, { atol: 1e-5, rtol: 1e-5 }, 'binary CE clipped');
    expect(want[0]).toBeCloseTo(16.118, 3); // -log(1e-7)
    expect(want[5]).toBeCloseTo(15.942, 3); // -log(2^-23)
  });

  test('sparse and categorical CE at the boundaries', async () => {
    const probs = [0, 1, 0, 1e-9, 0.5, 0.5];
    const want = [0, 1].map((r) => {
      const c = probs.slice(r * 3, r * 3 + 3).map(clip32);
      return Math.log(c[0] + c[1] + c[2]) - Math.log(c[0]); // label 0 in both rows
    });
    const y = ops.sparseCategoricalCrossentropy(tensor([0, 0]), tensor(probs, [2, 3]));
    expectClose(await y.data(), want, { atol: 1e-5, rtol: 1e-5 }, 'sparse CE clipped');
    expect(want[0]).toBeCloseTo(-Math.log(1e-7), 3);
    // categorical: q = p / sum(p) is clipped; a zero target term contributes nothing.
    const cat = ops.categoricalCrossentropy(tensor([1, 0, 0, 0, 1, 0], [2, 3]), tensor(probs, [2, 3]));
    expectClose(await cat.data(), [-Math.log(lo), -Math.log(0.5)], { atol: 1e-5, rtol: 1e-5 }, 'categorical CE clipped');
  });

  test('clipped predictions get no gradient (as TF clip_by_value)', async () => {
    const p = tensor([0, 1e-9, 0.5, 1]);
    p.requiresGrad = true;
    backward(ops.sum(ops.binaryCrossentropy(tensor([1, 1, 1, 0]), p)));
    const g = await p.grad!.data();
    expect([g[0], g[1], g[3]].map(Math.abs)).toEqual([0, 0, 0]); // -0 from -t/c * 0
    expect(g[2]).toBeCloseTo(-1 / 0.5, 5);

    const q = tensor([0, 0.25, 0.75], [1, 3]);
    q.requiresGrad = true;
    backward(ops.sum(ops.sparseCategoricalCrossentropy(tensor([1]), q)));
    const gq = await q.grad!.data();
    // L = log(sum c) - log(c_1): dL/dp_j = 1/sum(c) - [j = 1]/c_1 inside the clip, 0 outside.
    expectClose(gq, [0, 1 / (1 + 1e-7) - 4, 1 / (1 + 1e-7)], { atol: 1e-5, rtol: 1e-5 }, 'sparse CE gradient');
  });
});

describe('invalid labels and shapes', () => {
  test('a label outside [0, C) or not an integer gives NaN for its row only', async () => {
    const p = tensor([0.2, 0.3, 0.5, 0.2, 0.3, 0.5, 0.2, 0.3, 0.5, 0.2, 0.3, 0.5, 0.2, 0.3, 0.5], [5, 3]);
    for (const fromLogits of [false, true]) {
      const y = await ops.sparseCategoricalCrossentropy(tensor([3, -1, 1.5, NaN, 2]), p, fromLogits).data();
      expect(Array.from(y.slice(0, 4)).every(Number.isNaN), `fromLogits ${fromLogits}`).toBe(true);
      expect(Number.isFinite(y[4])).toBe(true);
    }
  });

  test('a NaN prediction gives NaN for its row only', async () => {
    const p = tensor([0.2, NaN, 0.5, 0.2, 0.3, 0.5], [2, 3]);
    const t = tensor([0, 1, 0, 0, 1, 0], [2, 3]);
    for (const fromLogits of [false, true]) {
      const rows = [
        await ops.sparseCategoricalCrossentropy(tensor([0, 1]), p, fromLogits).data(),
        await ops.categoricalCrossentropy(t, p, fromLogits).data(),
        await ops.binaryCrossentropy(t, p, fromLogits).data(),
      ];
      for (const [i, y] of rows.entries()) {
        expect([Number.isNaN(y[0]), Number.isNaN(y[1])], `loss ${i}, fromLogits ${fromLogits}`).toEqual([true, false]);
      }
    }
  });

  test('mismatched targets name both shapes', () => {
    const p = tensor(new Float32Array(6), [2, 3]);
    expect(() => ops.sparseCategoricalCrossentropy(tensor([0, 1, 2]), p)).toThrow(
      'sparseCategoricalCrossentropy: targets [3] do not match predictions [2,3] (expected targets [2])',
    );
    expect(() => ops.categoricalCrossentropy(tensor([0, 1]), p)).toThrow('categoricalCrossentropy: targets [2] do not match predictions [2,3]');
  });
});

describe('mean squared and mean absolute error', () => {
  const meanLast = (a: R.Arr) => R.map(R.reduce(a, [a.shape.length - 1], (s, v) => s + v, 0), (v) => v / a.shape[a.shape.length - 1]);
  test('mse: mean over the last axis, gradients for both arguments', async () => {
    await checkOp({
      name: 'mse',
      inputs: [{ shape: [4, 7] }, { shape: [4, 7] }],
      gpu: ([t, p]) => ops.meanSquaredError(t, p),
      ref: ([t, p]) => meanLast(R.zip(t, p, (a, b) => (a - b) ** 2)),
    });
  });
  test('mae: mean over the last axis, gradients for both arguments', async () => {
    await checkOp({
      name: 'mae',
      inputs: [{ shape: [4, 7] }, { shape: [4, 7] }],
      gpu: ([t, p]) => ops.meanAbsoluteError(t, p),
      ref: ([t, p]) => meanLast(R.zip(t, p, (a, b) => Math.abs(a - b))),
    });
  });
});
