// Layout ops (src/autograd/layout.ts): reshape (a view), transpose and broadcastTo (strided
// copies, wgsl/copy.wgsl), their error messages and gradients.
import { beforeAll, describe, expect, test } from 'vitest';
import { ready } from '../../src/kernels/device.ts';
import * as ops from '../../src/ops.ts';
import { tensor } from '../../src/tensor/create.ts';
import { checkOp } from '../util/op-harness.ts';
import * as R from '../util/reference.ts';

beforeAll(async () => {
  await ready();
});

describe('reshape', () => {
  test('infers one -1 dimension and shares the buffer (no copy)', async () => {
    const x = tensor([1, 2, 3, 4, 5, 6], [2, 3]);
    const y = ops.reshape(x, [3, -1]);
    expect(y.shape).toEqual([3, 2]);
    expect(y.buffer).toBe(x.buffer);
    expect(await y.array()).toEqual([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    expect(ops.reshape(x, [-1]).shape).toEqual([6]);
    expect(ops.reshape(tensor([5]), []).shape).toEqual([]);
  });

  test('a size that does not match names both shapes and the element count', () => {
    const x = tensor([1, 2, 3, 4, 5, 6], [2, 3]);
    expect(() => ops.reshape(x, [4, 2])).toThrow('reshape: cannot reshape [2,3] (6 elements) to [4,2]');
    expect(() => ops.reshape(x, [4, -1])).toThrow('reshape: cannot reshape [2,3] (6 elements) to [4,-1]');
    expect(() => ops.reshape(x, [-1, -1])).toThrow('reshape: cannot reshape [2,3] (6 elements) to [-1,-1]');
  });

  test('a view stays valid after its source is disposed', async () => {
    const x = tensor([1, 2, 3, 4], [2, 2]);
    const y = ops.reshape(x, [4]);
    x.dispose();
    expect(Array.from(await y.data())).toEqual([1, 2, 3, 4]);
  });

  test('gradient flows back in the input shape', async () => {
    await checkOp({
      name: 'reshape',
      inputs: [{ shape: [2, 3, 4] }],
      gpu: ([x]) => ops.mul(ops.reshape(x, [6, -1]), ops.reshape(x, [6, 4])),
      ref: ([x]) => R.map({ data: x.data, shape: [6, 4] }, (v) => v * v),
    });
  });
});

describe('transpose', () => {
  const perms = [[1, 0, 2], [0, 2, 1], [2, 0, 1], [1, 2, 0], undefined];
  for (const perm of perms) {
    test(`[2,3,4] with perm ${perm ? `[${perm}]` : '(default: reversed)'}, forward and gradient`, async () => {
      await checkOp({
        name: `transpose ${perm}`,
        inputs: [{ shape: [2, 3, 4] }],
        gpu: ([x]) => ops.transpose(x, perm),
        ref: ([x]) => R.transpose(x, perm ?? [2, 1, 0]),
      });
    });
  }

  test('a 2-D transpose of a non-square matrix, and rank 5', async () => {
    await checkOp({
      name: 'transpose 2-D',
      inputs: [{ shape: [7, 33] }],
      gpu: ([x]) => ops.transpose(x),
      ref: ([x]) => R.transpose(x, [1, 0]),
    });
    await checkOp({
      name: 'transpose rank 5',
      inputs: [{ shape: [2, 1, 3, 2, 2] }],
      gpu: ([x]) => ops.transpose(x, [4, 2, 0, 3, 1]),
      ref: ([x]) => R.transpose(x, [4, 2, 0, 3, 1]),
    });
  });

  test('a perm that is not a permutation is refused with the shape', () => {
    const x = tensor(new Float32Array(24), [2, 3, 4]);
    expect(() => ops.transpose(x, [0, 1])).toThrow('transpose: perm [0,1] is not a permutation of the 3 axes of [2,3,4]');
    expect(() => ops.transpose(x, [0, 1, 1])).toThrow('transpose: perm [0,1,1]');
  });
});

describe('broadcastTo', () => {
  const cases: [number[], number[]][] = [
    [[3, 1], [2, 3, 4]],
    [[4], [3, 4]],
    [[1, 1], [2, 5]],
    [[], [2, 3]],
    [[2, 1, 3], [2, 4, 3]],
  ];
  for (const [from, to] of cases) {
    test(`${JSON.stringify(from)} to ${JSON.stringify(to)}: forward and gradient (a sum over the copies)`, async () => {
      await checkOp({
        name: `broadcastTo ${from} -> ${to}`,
        inputs: [{ shape: from }],
        gpu: ([x]) => ops.broadcastTo(x, to),
        ref: ([x]) => R.zip(x, R.arr(new Float64Array(R.size(to)), to), (a) => a),
      });
    });
  }

  test('the same shape is a view; an impossible target names both shapes', () => {
    const x = tensor([1, 2, 3], [3]);
    expect(ops.broadcastTo(x, [3]).buffer).toBe(x.buffer);
    expect(() => ops.broadcastTo(x, [2, 4])).toThrow('broadcastTo: shapes [3] and [2,4] cannot be broadcast');
    expect(() => ops.broadcastTo(tensor([1, 2, 3, 4, 5, 6], [2, 3]), [3])).toThrow('broadcastTo: cannot broadcast [2,3] to [3]');
  });
});
