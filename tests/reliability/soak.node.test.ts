// Soak tests (node only: thousands of steps): memory() — bytes and buffers held by live
// tensors — is the same after step 100 and step 2,000 of training, after predict call 100
// and 1,000, and after compile/fit cycle 5 and 50 with a new optimizer each time. The model
// is a smaller model A (784-64-32-8 SELU, Adam, batch 32) on synthetic images, so CI stays
// fast; `npm run bench:memory` runs the full model A on Fashion-MNIST.
import { beforeAll, describe, expect, test } from 'vitest';
import { Adam, Dense, Flatten, LambdaCallback, memory, NDArray, ready, Sequential, setSeed } from '../../src/index.ts';
import { Rng } from '../../src/tensor/random.ts';

beforeAll(async () => {
  await ready();
});

// 100 full batches of 32 and a short one of 16 per epoch: the short batch first runs after
// step 100, so new op sizes appear between the two readings, as in a real epoch.
const ROWS = 3_216;
function syntheticImages(rows: number): [NDArray, NDArray] {
  const rng = new Rng(42);
  const x = new NDArray(Uint8Array.from({ length: rows * 784 }, () => rng.nextU32() & 0xff), [rows, 28, 28]).div(255);
  const y = new NDArray(Uint8Array.from({ length: rows }, (_, i) => i % 8), [rows]);
  return [x, y];
}
const [x, y] = syntheticImages(ROWS);

function smallModelA(): Sequential {
  setSeed(11);
  const m = new Sequential([new Flatten({ inputShape: [28, 28] })]);
  for (const units of [64, 32]) m.add(new Dense(units, { activation: 'selu', kernelInitializer: 'lecun_normal' }));
  m.add(new Dense(8, { activation: 'softmax' }));
  m.compile({ optimizer: new Adam({ learningRate: 1e-3 }), loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  return m;
}

/** What memory() counts as held by live tensors (not the pool's free buffers, nor the bounded constant cache). */
const held = ({ bytesInUse, buffersInUse }: ReturnType<typeof memory>) => ({ bytesInUse, buffersInUse });

describe('memory stays flat', () => {
  test('2,000 training steps: memory() after step 100 equals memory() after step 2,000', async () => {
    const m = smallModelA();
    const start = held(memory());
    let step = 0;
    const at: Record<number, ReturnType<typeof held>> = {};
    const probe = new LambdaCallback({
      onBatchEnd: () => {
        step++;
        if (step === 100 || step === 2_000) at[step] = held(memory());
        if (step === 2_000) m.stopTraining = true;
      },
    });
    const h = await m.fit(x, y, { epochs: 20, batchSize: 32, verbose: 0, callbacks: [probe] });
    expect(step).toBe(2_000);
    expect(at[2_000]).toEqual(at[100]);
    expect(h.history.loss.every(Number.isFinite)).toBe(true);
    m.dispose();
    expect(held(memory()).bytesInUse).toBeLessThanOrEqual(start.bytesInUse);
  });

  test('1,000 predict calls: memory() after call 100 equals memory() after call 1,000', async () => {
    const m = smallModelA();
    const batch = x.slice(0, 32);
    const at: Record<number, ReturnType<typeof held>> = {};
    for (let call = 1; call <= 1_000; call++) {
      const p = await m.predict(batch);
      if (call % 100 === 0) await p.data(); // now and then wait for the GPU, as a caller reading results would
      p.dispose();
      if (call === 100 || call === 1_000) at[call] = held(memory());
    }
    expect(at[1_000]).toEqual(at[100]);
    m.dispose();
  });

  test('50 compile/fit cycles, a new optimizer each: compile() frees the optimizer it replaces', async () => {
    const m = smallModelA();
    const [xs, ys] = [x.slice(0, 64), y.slice(0, 64)];
    const at: Record<number, ReturnType<typeof held>> = {};
    for (let cycle = 1; cycle <= 50; cycle++) {
      m.compile({ optimizer: new Adam({ learningRate: 1e-3 }), loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
      await m.fit(xs, ys, { epochs: 1, batchSize: 32, verbose: 0 });
      if (cycle === 5 || cycle === 50) at[cycle] = held(memory());
    }
    expect(at[50]).toEqual(at[5]);
    m.dispose();
  });
});
