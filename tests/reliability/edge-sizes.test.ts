// Empty tensors (a 0 in the shape) are supported: every op returns the right empty shape
// (or, for a sum over an empty axis, zeros), dispatches nothing it does not need, and
// gradients flow to the non-empty operands. The one refusal is a max/min over an empty
// axis, which has no value (NumPy raises too).
import { beforeAll, describe, expect, test } from 'vitest';
import { backward, ops, ready, tensor, zeros } from '../../src/index.ts';
import { expectError, lit } from '../util/expect-error.ts';

beforeAll(async () => {
  await ready();
});

const empty = (...shape: number[]) => tensor(new Float32Array(0), shape);

describe('0-size tensors', () => {
  test('upload, fill and read back', async () => {
    const t = empty(0, 3);
    expect(t.shape).toEqual([0, 3]);
    expect(await t.data()).toEqual(new Float32Array(0));
    expect(await zeros([4, 0]).data()).toEqual(new Float32Array(0));
    expect(await t.array()).toEqual([]);
  });

  test('elementwise ops, broadcasting [0, 3] with [3] and [1, 3]', async () => {
    const a = empty(0, 3);
    const b = tensor([1, 2, 3], [3]);
    for (const y of [ops.add(a, b), ops.mul(a, tensor([[2, 2, 2]])), ops.relu(a), ops.where(a, a, b)]) {
      expect(y.shape).toEqual([0, 3]);
      expect((await y.data()).length).toBe(0);
    }
    expect(ops.add(tensor([1], [1]), empty(0)).shape).toEqual([0]);
  });

  test('reductions: a sum over an empty axis is 0, the mean NaN (0/0); max and min are refused', async () => {
    const x = empty(2, 0);
    expect(Array.from(await ops.sum(x, 1).data())).toEqual([0, 0]);
    expect(await ops.sum(empty(0)).item()).toBe(0);
    expect(await ops.mean(empty(0, 3)).item()).toBeNaN();
    expect(ops.sum(x, 0).shape).toEqual([0]);
    expect(ops.max(x, 0, true).shape).toEqual([1, 0]);
    await expectError(() => ops.max(x, 1), RangeError, lit('max: cannot reduce an empty axis of [2,0]'));
    await expectError(() => ops.min(empty(0)), RangeError, /min: cannot reduce an empty axis/);
  });

  test('matmul and dense: empty rows give empty rows; an empty inner dimension gives zeros', async () => {
    const w = tensor([1, 2, 3, 4, 5, 6, 7, 8], [4, 2]);
    expect(ops.matmul(empty(0, 4), w).shape).toEqual([0, 2]);
    expect(ops.dense(empty(0, 4), w, tensor([1, 1]), 'relu').shape).toEqual([0, 2]);
    expect(Array.from(await ops.matmul(empty(3, 0), empty(0, 2)).data())).toEqual([0, 0, 0, 0, 0, 0]);
  });

  test('softmax, layout and losses keep the empty shape', async () => {
    expect(ops.softmax(empty(0, 3)).shape).toEqual([0, 3]);
    expect(ops.logSoftmax(empty(2, 0)).shape).toEqual([2, 0]);
    expect(ops.reshape(empty(0, 3), [3, 0]).shape).toEqual([3, 0]);
    expect(ops.transpose(empty(0, 3)).shape).toEqual([3, 0]);
    expect(ops.sparseCategoricalCrossentropy(empty(0), empty(0, 3)).shape).toEqual([0]);
    expect(ops.binaryCrossentropy(empty(0, 2), empty(0, 2)).shape).toEqual([0]);
  });

  test('the gradient of a broadcast over empty rows is zeros for the non-empty operand', async () => {
    const b = tensor([1, 2, 3], [3]);
    b.requiresGrad = true;
    backward(ops.sum(ops.mul(empty(0, 3), b)));
    expect(Array.from(await b.grad!.data())).toEqual([0, 0, 0]);
  });
});
