// Memory ownership (src/tensor/memory.ts, tensor.ts, kernels/buffers.ts): tidy and keep,
// dispose, errors on disposed tensors, and the proof that 200 training steps of a small MLP
// leave memory() unchanged.
import { beforeAll, describe, expect, test } from 'vitest';
import { backward } from '../../src/autograd/backward.ts';
import { noGrad } from '../../src/autograd/tape.ts';
import { ready } from '../../src/kernels/device.ts';
import { flush, memory } from '../../src/kernels/runtime.ts';
import * as ops from '../../src/ops.ts';
import { randomNormal, randomUniform, tensor } from '../../src/tensor/create.ts';
import { keep, tidy } from '../../src/tensor/memory.ts';
import type { Tensor } from '../../src/tensor/tensor.ts';

beforeAll(async () => {
  await ready();
});

describe('tidy and keep', () => {
  test('disposes intermediates and keeps the results, also nested in objects and arrays', () => {
    const x = tensor([1, 2, 3]);
    let tmp: Tensor | null = null;
    const out = tidy(() => {
      tmp = ops.mul(x, 2);
      const y = ops.add(tmp, 1);
      return { y, more: [ops.neg(y)], n: 3 };
    });
    expect(tmp!.isDisposed).toBe(true);
    expect(out.y.isDisposed).toBe(false);
    expect(out.more[0].isDisposed).toBe(false);
    expect(x.isDisposed).toBe(false); // made outside the scope
  });

  test('a result moves to the enclosing scope, which disposes it unless it is returned too', () => {
    let inner: Tensor | null = null;
    const outer = tidy(() => {
      inner = tidy(() => ops.exp(tensor([0])));
      expect(inner.isDisposed).toBe(false);
      return ops.add(inner, 1);
    });
    expect(inner!.isDisposed).toBe(true);
    expect(outer.isDisposed).toBe(false);
  });

  test('keep() makes a tensor outlive every scope; the caller disposes it', () => {
    let kept: Tensor | null = null;
    let dropped: Tensor | null = null;
    tidy(() => {
      kept = keep(tensor([1]));
      dropped = tensor([2]);
    });
    expect(kept!.isDisposed).toBe(false);
    expect(dropped!.isDisposed).toBe(true);
    kept!.dispose();
  });

  test('tidy given an async function throws, and frees what the function made', async () => {
    const before = memory();
    let made: Tensor | null = null;
    expect(() =>
      tidy((async () => {
        made = tensor([1, 2]);
        await Promise.resolve();
      }) as unknown as () => void),
    ).toThrow('tidy(fn): fn returned a Promise; tidy is synchronous (await outside tidy)');
    expect(made!.isDisposed).toBe(true);
    expect(memory().buffersInUse).toBe(before.buffersInUse);
  });

  test('an exception inside tidy still frees its tensors', () => {
    const before = memory();
    expect(() =>
      tidy(() => {
        ops.add(tensor([1, 2]), 1);
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(memory()).toMatchObject({ bytesInUse: before.bytesInUse, buffersInUse: before.buffersInUse });
  });
});

describe('dispose', () => {
  test('memory() counts a tensor once, and disposing twice is safe', () => {
    const before = memory();
    const t = tensor(new Float32Array(10));
    expect(memory().buffersInUse).toBe(before.buffersInUse + 1);
    expect(memory().bytesInUse).toBe(before.bytesInUse + 48); // 40 bytes, rounded up to 16
    t.dispose();
    t.dispose();
    expect(memory()).toMatchObject({ bytesInUse: before.bytesInUse, buffersInUse: before.buffersInUse });
  });

  test('views share one buffer, freed with the last view', () => {
    const before = memory().buffersInUse;
    const t = tensor([1, 2, 3, 4], [2, 2]);
    const v = ops.reshape(t, [4]);
    t.dispose();
    expect(memory().buffersInUse).toBe(before + 1);
    v.dispose();
    expect(memory().buffersInUse).toBe(before);
  });

  test('using a disposed tensor throws an error that names the tensor', async () => {
    const t = tensor([1, 2]);
    t.name = 'dense/kernel';
    t.dispose();
    expect(t.isDisposed).toBe(true);
    expect(() => ops.add(t, 1)).toThrow("webgrad: tensor 'dense/kernel' [2] was disposed and cannot be used");
    await expect(t.data()).rejects.toThrow("tensor 'dense/kernel' [2] was disposed");
    expect(() => ops.reshape(t, [2, 1])).toThrow("tensor 'dense/kernel' [2] was disposed");
  });
});

describe('no leaks in training', () => {
  test('200 forward + backward + update steps of a small MLP leave memory() unchanged', async () => {
    const x = randomUniform([16, 4], -1, 1, 1);
    const y = tensor(Array.from({ length: 16 }, (_, i) => i % 3));
    let params = [randomNormal([4, 8], 0, 0.5, 2), tensor(new Float32Array(8)), randomNormal([8, 3], 0, 0.5, 3), tensor(new Float32Array(3))];
    params.forEach((p) => (p.requiresGrad = true));
    const step = () =>
      tidy(() => {
        const [w1, b1, w2, b2] = params;
        const logits = ops.dense(ops.dense(x, w1, b1, 'relu'), w2, b2);
        const loss = ops.mean(ops.sparseCategoricalCrossentropy(y, logits, true));
        backward(loss);
        params = noGrad(() =>
          params.map((p) => {
            const next = keep(ops.sub(p, ops.mul(p.grad!, 0.1)));
            next.requiresGrad = true;
            p.grad!.dispose();
            p.dispose();
            return next;
          }),
        );
        return keep(loss);
      });
    const first = step();
    const firstLoss = await first.item();
    first.dispose();
    const before = memory();
    let last: Tensor | null = null;
    for (let i = 0; i < 200; i++) {
      last?.dispose();
      last = step();
      flush(); // one submit per step, as fit() does: the pool can recycle the step's buffers
    }
    const lastLoss = await last!.item();
    last!.dispose();
    const after = memory();
    expect(after.bytesInUse).toBe(before.bytesInUse);
    expect(after.buffersInUse).toBe(before.buffersInUse);
    expect(lastLoss).toBeLessThan(firstLoss); // it did train
  });
});
