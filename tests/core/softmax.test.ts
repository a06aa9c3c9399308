// softmax and logSoftmax (src/autograd/softmax.ts, wgsl/softmax.wgsl) against the float64
// reference: every axis, numerical stability with large logits, NaN, and gradients.
import { beforeAll, describe, expect, test } from 'vitest';
import { ready } from '../../src/kernels/device.ts';
import * as ops from '../../src/ops.ts';
import { tensor } from '../../src/tensor/create.ts';
import { expectClose } from '../util/check.ts';
import { checkOp } from '../util/op-harness.ts';
import * as R from '../util/reference.ts';
import { SERIAL_MAX_LEN } from '../../src/autograd/reduce.ts';

beforeAll(async () => {
  await ready();
});

describe('softmax and logSoftmax: forward and gradient on each axis', () => {
  for (const log of [false, true]) {
    const name = log ? 'logSoftmax' : 'softmax';
    for (const axis of [0, 1, 2, -1]) {
      test(`${name} axis ${axis} of [3,4,5]`, async () => {
        await checkOp({
          name: `${name} axis ${axis}`,
          inputs: [{ shape: [3, 4, 5], lo: -3, hi: 3 }],
          gpu: ([x]) => (log ? ops.logSoftmax(x, axis) : ops.softmax(x, axis)),
          ref: ([x]) => R.softmax(x, axis < 0 ? axis + 3 : axis, log),
        });
      });
    }
    // Rows up to SERIAL_MAX_LEN get an invocation each, longer rows a 64-wide workgroup.
    test(`${name} of a 1-D tensor, of 100 classes and of ${SERIAL_MAX_LEN + 44} (both strategies)`, async () => {
      await checkOp({
        name: `${name} [7]`,
        inputs: [{ shape: [7], lo: -3, hi: 3 }],
        gpu: ([x]) => (log ? ops.logSoftmax(x) : ops.softmax(x)),
        ref: ([x]) => R.softmax(x, 0, log),
      });
      await checkOp({
        name: `${name} [3,100]`,
        inputs: [{ shape: [3, 100], lo: -5, hi: 5 }],
        gpu: ([x]) => (log ? ops.logSoftmax(x) : ops.softmax(x)),
        ref: ([x]) => R.softmax(x, 1, log),
      });
      await checkOp({
        name: `${name} [2,${SERIAL_MAX_LEN + 44}]`,
        inputs: [{ shape: [2, SERIAL_MAX_LEN + 44], lo: -5, hi: 5 }],
        gpu: ([x]) => (log ? ops.logSoftmax(x) : ops.softmax(x)),
        ref: ([x]) => R.softmax(x, 1, log),
      });
    });
  }
});

describe('numerics', () => {
  test('large logits do not overflow (the max is subtracted first)', async () => {
    const x = tensor([1000, 1001, 1002, -1000, 0, 1000, 88, 89, 90], [3, 3]);
    const want = R.softmax(R.arr([1000, 1001, 1002, -1000, 0, 1000, 88, 89, 90], [3, 3]), 1);
    expectClose(await ops.softmax(x).data(), want.data, {}, 'softmax of large logits');
    const wantLog = R.softmax(R.arr([1000, 1001, 1002, -1000, 0, 1000, 88, 89, 90], [3, 3]), 1, true);
    expectClose(await ops.logSoftmax(x).data(), wantLog.data, {}, 'logSoftmax of large logits');
    // logSoftmax keeps -2000 where softmax underflows to 0.
    expect((await ops.logSoftmax(x).data())[3]).toBe(-2000);
  });

  test('rows sum to 1', async () => {
    const y = await ops.softmax(tensor([0.5, -2, 3, 10, 10, 10], [2, 3])).data();
    expect(y[0] + y[1] + y[2]).toBeCloseTo(1, 6);
    expectClose(Array.from(y.slice(3)), [1 / 3, 1 / 3, 1 / 3], { atol: 1e-7, rtol: 1e-6 });
  });

  for (const len of [3, SERIAL_MAX_LEN + 1]) {
    test(`NaN in a row gives NaN for that row only (rows of ${len})`, async () => {
      const data = Float32Array.from({ length: 2 * len }, (_, i) => i % 5);
      data[1] = NaN;
      const y = await ops.softmax(tensor(data, [2, len])).data();
      expect(y.slice(0, len).every((v) => Number.isNaN(v))).toBe(true);
      expect(y.slice(len).every((v) => Number.isFinite(v))).toBe(true);
    });
  }

  test('out-of-range axis names the op', () => {
    expect(() => ops.softmax(tensor([1, 2]), 1)).toThrow('softmax: axis 1 is out of range for a tensor of rank 1');
  });
});
