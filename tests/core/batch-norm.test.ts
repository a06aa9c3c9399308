// The batch-norm op (src/autograd/batch-norm.ts, wgsl/batch-norm.wgsl) against a float64
// reference: forward and finite-difference gradients with batch statistics and with fixed
// ones, with and without gamma/beta, and the in-place moving-statistics update.
import { beforeAll, describe, expect, test } from 'vitest';
import { batchNormInference, batchNormTraining } from '../../src/autograd/batch-norm.ts';
import { ready } from '../../src/kernels/device.ts';
import { tensor } from '../../src/tensor/create.ts';
import type { Tensor } from '../../src/tensor/tensor.ts';
import { expectClose, values } from '../util/check.ts';
import { checkOp } from '../util/op-harness.ts';
import { moments, normalizeRef } from '../util/batch-norm-reference.ts';

beforeAll(async () => {
  await ready();
});

const EPS = 1e-3;

describe('batchNorm with batch statistics (training)', () => {
  for (const [label, withGamma, withBeta] of [['gamma and beta', true, true], ['no gamma (scale=false)', false, true], ['neither', false, false]] as const) {
    test(`forward and gradients, ${label}`, async () => {
      await checkOp({
        name: `batchNorm training, ${label}`,
        inputs: [{ shape: [6, 4], lo: -2, hi: 2 }, ...(withGamma ? [{ shape: [4], lo: 0.5, hi: 1.5 }] : []), ...(withBeta ? [{ shape: [4] }] : [])],
        gpu: ([x, ...rest]) => batchNormTraining(x, { gamma: withGamma ? rest[0] : null, beta: withBeta ? rest.at(-1)! : null, epsilon: EPS }),
        ref: ([x, ...rest]) => {
          const m = moments(x);
          return normalizeRef(x, m.mean, m.variance, EPS, withGamma ? rest[0] : null, withBeta ? rest.at(-1)! : null);
        },
        tol: { atol: 1e-5, rtol: 1e-4 },
        gradTol: { atol: 2e-4, rtol: 2e-3 },
      });
    });
  }

  test('a rank-3 input normalizes each channel over batch and time', async () => {
    await checkOp({
      name: 'batchNorm training, rank 3',
      inputs: [{ shape: [3, 5, 2], lo: -2, hi: 2 }, { shape: [2], lo: 0.5, hi: 1.5 }, { shape: [2] }],
      gpu: ([x, g, b]) => batchNormTraining(x, { gamma: g, beta: b, epsilon: EPS }),
      ref: ([x, g, b]) => {
        const m = moments(x);
        return normalizeRef(x, m.mean, m.variance, EPS, g, b);
      },
      gradTol: { atol: 2e-4, rtol: 2e-3 },
    });
  });

  test('the moving statistics move by momentum toward the batch mean and biased variance, in place', async () => {
    const shape = [8, 3];
    const xs = [1, 2, 3].map((s) => values(24, s, -3, 5));
    const mm = tensor([0.5, -1, 0], [3]);
    const mv = tensor([1, 2, 0.5], [3]);
    const ref = { mean: [0.5, -1, 0], variance: [1, 2, 0.5] };
    const momentum = 0.9;
    for (const data of xs) {
      const x = tensor(Float32Array.from(data), shape);
      const y = batchNormTraining(x, { gamma: null, beta: null, epsilon: EPS }, { mean: mm, variance: mv, momentum });
      const m = moments({ data, shape });
      for (let j = 0; j < 3; j++) {
        ref.mean[j] = ref.mean[j] * momentum + m.mean[j] * (1 - momentum);
        ref.variance[j] = ref.variance[j] * momentum + m.variance[j] * (1 - momentum);
      }
      expectClose(await mm.data(), ref.mean, { atol: 1e-6, rtol: 1e-5 }, 'moving mean');
      expectClose(await mv.data(), ref.variance, { atol: 1e-6, rtol: 1e-5 }, 'moving variance');
      x.dispose();
      y.dispose();
    }
  });

  test('a batch of one row normalizes to beta (variance 0), as Keras does: a last batch of 1 trains', async () => {
    const x = tensor([1, 2, 3], [1, 3]);
    const beta = tensor([0.5, -1, 2]);
    const y = batchNormTraining(x, { gamma: null, beta, epsilon: EPS });
    expectClose(await y.data(), [0.5, -1, 2], { atol: 1e-7 });
    for (const t of [x, beta, y]) t.dispose();
  });
});

describe('batchNorm with fixed statistics (inference, frozen layers)', () => {
  test('forward and gradients of x, gamma and beta; mean and variance take none', async () => {
    await checkOp({
      name: 'batchNorm inference',
      inputs: [
        { shape: [5, 3], lo: -2, hi: 2 },
        { shape: [3], lo: 0.5, hi: 1.5 },
        { shape: [3] },
        { shape: [3], data: [0.1, -0.3, 0.7], grad: false },
        { shape: [3], data: [0.5, 2, 1.5], grad: false },
      ],
      gpu: ([x, g, b, m, v]) => batchNormInference(x, { gamma: g, beta: b, epsilon: EPS }, m, v),
      ref: ([x, g, b, m, v]) => normalizeRef(x, m.data, v.data, EPS, g, b),
    });
  });

  test('shapes that do not fit the channels are named errors', () => {
    const x = tensor(new Float32Array(6), [2, 3]);
    const bad: Tensor = tensor([1, 2], [2]);
    expect(() => batchNormInference(x, { gamma: bad, beta: null, epsilon: EPS }, bad, bad)).toThrow(/gamma must be \[3\]/);
    x.dispose();
    bad.dispose();
  });
});
