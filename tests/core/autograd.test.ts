// The tape and backward() (src/autograd/tape.ts, backward.ts): accumulation, noGrad,
// requiresGrad, tensors used more than once, the grad() helper and its error cases.
import { beforeAll, describe, expect, test } from 'vitest';
import { backward, grad } from '../../src/autograd/backward.ts';
import { noGrad } from '../../src/autograd/tape.ts';
import { ready } from '../../src/kernels/device.ts';
import * as ops from '../../src/ops.ts';
import { tensor } from '../../src/tensor/create.ts';
import { expectClose } from '../util/check.ts';

beforeAll(async () => {
  await ready();
});

const param = (v: number[], shape?: number[]) => {
  const t = tensor(v, shape);
  t.requiresGrad = true;
  return t;
};

describe('backward', () => {
  test('gradients accumulate across two backward calls until reset', async () => {
    const x = param([1, 2, 3]);
    backward(ops.sum(ops.mul(x, x))); // 2x
    expect(Array.from(await x.grad!.data())).toEqual([2, 4, 6]);
    backward(ops.sum(ops.mul(x, 3))); // + 3
    expect(Array.from(await x.grad!.data())).toEqual([5, 7, 9]);
    x.grad!.dispose();
    x.grad = null;
    backward(ops.sum(x));
    expect(Array.from(await x.grad!.data())).toEqual([1, 1, 1]);
  });

  test('a tensor used twice gets the sum of both paths (y = x*x + x, then a diamond)', async () => {
    const x = param([-1, 0.5, 2]);
    backward(ops.sum(ops.add(ops.mul(x, x), x)));
    expect(Array.from(await x.grad!.data())).toEqual([-1, 2, 5]); // 2x + 1
    // Diamond: h = exp(w) feeds two branches that meet again: L = sum(h*h + 3h).
    const w = param([0.5, -1.5]);
    const h = ops.exp(w);
    backward(ops.sum(ops.add(ops.mul(h, h), ops.mul(h, 3))));
    const e = [0.5, -1.5].map(Math.exp);
    expectClose(await w.grad!.data(), e.map((v) => (2 * v + 3) * v)); // dL/dh * dh/dw
  });

  test('requiresGrad false: no gradient and no tape; only the leaves that ask get .grad', async () => {
    const a = tensor([1, 2]);
    const b = param([3, 4]);
    const y = ops.mul(a, a);
    expect(y.node).toBeNull();
    const z = ops.sum(ops.mul(a, b));
    expect(z.node).not.toBeNull();
    backward(z);
    expect(a.grad).toBeNull();
    expect(Array.from(await b.grad!.data())).toEqual([1, 2]);
    // An intermediate never keeps a gradient, even though it took part.
    const m = ops.mul(b, 2);
    backward(ops.sum(m));
    expect(m.grad).toBeNull();
  });

  test('noGrad records nothing, even for inputs that require gradients', () => {
    const x = param([1, 2, 3]);
    const y = noGrad(() => ops.sum(ops.mul(x, x)));
    expect(y.node).toBeNull();
    expect(() => backward(y)).not.toThrow();
    expect(x.grad).toBeNull();
    // And recording resumes after the scope, also after an exception inside it.
    expect(() => noGrad(() => {
      throw new Error('inside');
    })).toThrow('inside');
    expect(ops.mul(x, x).node).not.toBeNull();
  });

  test('an explicit seed for a non-scalar output; without one it throws naming the shape', async () => {
    const x = param([1, 2, 3]);
    const y = ops.mul(x, x);
    expect(() => backward(y)).toThrow('backward: the loss must be a scalar, got [3] (pass an explicit gradient seed)');
    backward(y, tensor([1, 0, -1]));
    expect(Array.from(await x.grad!.data())).toEqual([2, 0, -6]);
  });

  test('backward frees every intermediate it makes', async () => {
    const { memory } = await import('../../src/kernels/runtime.ts');
    const x = param([1, 2, 3, 4], [2, 2]);
    const loss = ops.sum(ops.softmax(ops.matmul(x, x)));
    const before = memory();
    backward(loss);
    const after = memory();
    // Only x.grad is new.
    expect(after.buffersInUse - before.buffersInUse).toBe(1);
    expect(await x.grad!.data()).toHaveLength(4);
  });
});

describe('grad()', () => {
  test('returns d f / d xs without touching .grad or requiresGrad', async () => {
    const x = tensor([1, 2, 3]);
    const y = param([0.5, 0.5, 0.5]);
    const oldGrad = tensor([9, 9, 9]);
    y.grad = oldGrad;
    const [gx, gy] = grad((a, b) => ops.sum(ops.mul(ops.mul(a, a), b)), [x, y]);
    expectClose(await gx.data(), [1, 2, 3]); // 2 a b
    expectClose(await gy.data(), [1, 4, 9]); // a^2
    expect(x.requiresGrad).toBe(false);
    expect(x.grad).toBeNull();
    expect(y.requiresGrad).toBe(true);
    expect(y.grad).toBe(oldGrad);
  });

  test('restores state when f throws', () => {
    const x = tensor([1, 2]);
    expect(() => grad(() => ops.mul(x, x), [x])).toThrow('backward: the loss must be a scalar');
    expect(x.requiresGrad).toBe(false);
    expect(x.grad).toBeNull();
  });
});
