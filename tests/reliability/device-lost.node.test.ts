// Device lost mid-fit, with a ModelCheckpoint on disk (node only: files). fit rejects with a
// DeviceLostError; the checkpoint of the last finished epoch is intact (a save the loss
// interrupts leaves it as it was); on a new device it loads with its optimizer state and
// training resumes from it.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { DeviceLostError, Dense, LambdaCallback, loadModel, ModelCheckpoint, ndarray, ready, Sequential, SGD, setSeed } from '../../src/index.ts';
import { expectError } from '../util/expect-error.ts';

let dir = '';
beforeEach(async () => {
  await ready();
  dir = await mkdtemp(join(tmpdir(), 'webgrad-lost-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const n = 64;
const batchSize = 8;
const x = ndarray(Array.from({ length: n * 4 }, (_, i) => Math.sin(i * 0.3)), [n, 4]);
const y = ndarray(Array.from({ length: n }, (_, i) => (x.at(i * 4) > 0 ? 1 : 0) + (x.at(i * 4 + 1) > 0.5 ? 1 : 0)));

function model(): Sequential {
  setSeed(7);
  const m = new Sequential([new Dense(8, { activation: 'tanh', inputShape: [4] }), new Dense(3, { activation: 'softmax' })]);
  m.compile({ optimizer: new SGD({ learningRate: 0.1, momentum: 0.9 }), loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  return m;
}

const weightsOf = async (m: Sequential) => (await m.getWeights()).map((w) => Array.from(w.data));

/** Destroys the device and waits until it is reported lost (as a real loss arrives). */
async function loseDevice(): Promise<void> {
  const gpu = await ready();
  gpu.device.destroy();
  await gpu.device.lost;
}

describe('device lost during fit with a ModelCheckpoint', () => {
  test('mid-epoch: fit rejects, the last checkpoint loads on a new device with its optimizer state, and training resumes', async () => {
    const path = join(dir, 'ckpt.keras');
    const m = model();
    let epochNow = 0;
    let atCheckpoint: number[][] = [];
    const callbacks = [
      new ModelCheckpoint({ filepath: path }),
      new LambdaCallback({
        onEpochBegin: (epoch) => void (epochNow = epoch),
        onEpochEnd: async (epoch) => {
          if (epoch === 0) atCheckpoint = await weightsOf(m);
        },
        onBatchEnd: async (batch) => {
          if (epochNow === 1 && batch === 3) await loseDevice();
        },
      }),
    ];
    await expectError(() => m.fit(x, y, { epochs: 3, batchSize, verbose: 0, callbacks }), DeviceLostError, /the GPU device was lost/);
    m.dispose();

    await ready();
    const resumed = (await loadModel(path)) as Sequential;
    expect(await weightsOf(resumed)).toEqual(atCheckpoint);
    expect(resumed.compiled?.optimizer.iterations).toBe(n / batchSize);
    const h = await resumed.fit(x, y, { epochs: 2, initialEpoch: 1, batchSize, verbose: 0 });
    expect(h.epoch).toEqual([1]);
    expect(Number.isFinite(h.history.loss[0])).toBe(true);
    expect(resumed.compiled?.optimizer.iterations).toBe((2 * n) / batchSize);
    expect(await weightsOf(resumed)).not.toEqual(atCheckpoint);
    resumed.dispose();
  });

  test('lost just before a checkpoint save: the save fails and the previous checkpoint is left intact', async () => {
    const path = join(dir, 'ckpt.h5');
    const m = model();
    let saved: Buffer | null = null;
    const callbacks = [
      new LambdaCallback({
        onEpochEnd: async (epoch) => {
          if (epoch === 0) return;
          saved = await readFile(path); // the file epoch 0 wrote
          await loseDevice();
        },
      }),
      new ModelCheckpoint({ filepath: path }),
    ];
    await expectError(() => m.fit(x, y, { epochs: 3, batchSize, verbose: 0, callbacks }), DeviceLostError, /the GPU device was lost/);
    m.dispose();
    expect(saved).not.toBeNull();
    expect(await readFile(path)).toEqual(saved);
    expect(await readdir(dir)).toEqual(['ckpt.h5']);
    await ready();
    const loaded = await loadModel(path);
    expect(loaded.compiled?.optimizer.iterations).toBe(n / batchSize);
    loaded.dispose();
  });
});
