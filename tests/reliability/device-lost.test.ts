// The GPU device lost (simulated with device.destroy(), as a driver reset or a background
// tab would): a read in flight, every later op on the lost device's tensors, a fit in
// progress and releaseDevice() all end in a DeviceLostError, promptly, never a hang or an
// unhandled rejection; disposing old tensors is harmless; ready() gives a new device that
// works. Checkpoint and resume: device-lost.node.test.ts.
import { beforeEach, describe, expect, test } from 'vitest';
import { DeviceLostError, Dense, fill, LambdaCallback, ndarray, ops, ready, releaseDevice, Sequential, SGD, setSeed, tensor } from '../../src/index.ts';
import { expectError, lit } from '../util/expect-error.ts';

/** `p`, or a failure if it has not settled within `ms` (a hang is a failure, not a timeout). */
function settles<T>(p: Promise<T>, ms = 30_000): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`still pending after ${ms} ms: a hang`)), ms);
  });
  return Promise.race([p, hang]).finally(() => clearTimeout(timer));
}

const LOST = /the GPU device was lost \(destroyed\)/;

beforeEach(async () => {
  await ready();
});

describe('device lost', () => {
  test('a read in flight rejects with DeviceLostError; later ops say the device was lost; ready() gives a new one', async () => {
    const gpu = await ready();
    const a = fill([1 << 20], 1);
    const sum = ops.sum(ops.mul(ops.add(a, a), a));
    const reading = sum.data();
    gpu.device.destroy();
    await expectError(() => settles(reading), DeviceLostError, LOST, lit('`await ready()` for a new device, then reload the model'));
    await expectError(() => ops.add(a, a), DeviceLostError, LOST);
    await expectError(() => tensor([1, 2]), DeviceLostError, LOST);
    a.dispose(); // harmless: the buffer went with the device
    sum.dispose();

    const fresh = await ready();
    expect(fresh).not.toBe(gpu);
    const b = tensor([1, 2, 3]);
    expect(Array.from(await ops.add(b, b).data())).toEqual([2, 4, 6]);
    b.dispose();
  });

  test('a tensor of the lost device used with the new one is a DeviceLostError naming it', async () => {
    const old = tensor([1, 2], [2]);
    old.name = 'kept/from/before';
    const gpu = await ready();
    gpu.device.destroy();
    // The loss is reported asynchronously (device.lost), as a real one is; until then ready() returns the same device.
    await settles(gpu.device.lost);
    const fresh = await ready();
    expect(fresh).not.toBe(gpu);
    const b = tensor([1, 2]);
    await expectError(() => ops.add(old, b), DeviceLostError, lit("webgrad: tensor 'kept/from/before' [2] lived on a GPU device that is gone"), LOST);
    await expectError(() => old.data(), DeviceLostError, /lived on a GPU device that is gone/);
    old.dispose();
    expect(Array.from(await b.data())).toEqual([1, 2]);
    expect(fresh.lost).toBeNull();
    b.dispose();
  });

  test('lost mid-fit: fit rejects with DeviceLostError within seconds; a new model trains on the new device', async () => {
    const n = 64;
    const x = ndarray(Array.from({ length: n * 4 }, (_, i) => Math.sin(i)), [n, 4]);
    const y = ndarray(Array.from({ length: n }, (_, i) => i % 3));
    const make = () => {
      setSeed(1);
      const m = new Sequential([new Dense(8, { name: 'hidden', activation: 'relu', inputShape: [4] }), new Dense(3, { activation: 'softmax' })]);
      m.compile({ optimizer: new SGD({ learningRate: 0.1 }), loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
      return m;
    };
    const m = make();
    let epoch = 0;
    const kill = new LambdaCallback({
      onEpochBegin: (e) => void (epoch = e),
      onBatchEnd: async (batch) => {
        if (epoch === 1 && batch === 2) (await ready()).device.destroy();
      },
    });
    const start = performance.now();
    await expectError(() => settles(m.fit(x, y, { epochs: 4, batchSize: 8, verbose: 0, callbacks: [kill] })), DeviceLostError, LOST);
    expect(performance.now() - start).toBeLessThan(30_000);
    await expectError(() => m.predict(x), DeviceLostError, lit("tensor 'hidden/kernel' [4,8] lived on a GPU device that is gone"));
    m.dispose(); // its weights went with the device: disposing them is harmless

    const again = make();
    const h = await again.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0 });
    expect(Number.isFinite(h.history.loss[0])).toBe(true);
    again.dispose();
  });

  test('lost while fit paces itself on the GPU (a throttle round, 16 steps): fit rejects with DeviceLostError, no hang', async () => {
    const n = 96;
    const x = ndarray(Array.from({ length: n * 4 }, (_, i) => Math.cos(i)), [n, 4]);
    const y = ndarray(Array.from({ length: n }, (_, i) => i % 3));
    setSeed(1);
    const m = new Sequential([new Dense(8, { activation: 'relu', inputShape: [4] }), new Dense(3, { activation: 'softmax' })]);
    m.compile({ optimizer: new SGD({ learningRate: 0.1 }), loss: 'sparse_categorical_crossentropy' });
    // 48 steps of 2: rounds end at steps 15, 31 and 47; the loss comes between the first two.
    const kill = new LambdaCallback({ onBatchEnd: async (batch) => void (batch === 20 && (await ready()).device.destroy()) });
    await expectError(() => settles(m.fit(x, y, { epochs: 2, batchSize: 2, verbose: 0, callbacks: [kill] })), DeviceLostError, LOST);
    m.dispose();
  });

  test('releaseDevice(): the released device refuses work by name; ready() gives a new one', async () => {
    const t = tensor([5]);
    releaseDevice();
    await expectError(() => ops.neg(t), DeviceLostError, lit('webgrad: the GPU device was released (releaseDevice())'));
    t.dispose();
    await ready();
    expect(await tensor([5]).item()).toBe(5);
  });
});
