// fit's batch logs carry running values (training.ts): the sums are read in the background,
// the first read right after an epoch's first step, so even a short epoch shows a loss before
// it ends (a page's live curve starts at once), and the value is the running mean of the
// batches read, between the loss of the first batches and the epoch's. Both projects.

import { beforeAll, expect, test } from 'vitest';
import { Dense, LambdaCallback, ndarray, ready, Sequential, SGD, setSeed } from '../../src/index.ts';

beforeAll(async () => {
  await ready();
});

test('a short epoch gets running values in its batch logs before it ends', async () => {
  setSeed(3);
  const model = new Sequential([new Dense(4, { inputShape: [3], activation: 'relu' }), new Dense(1)]);
  model.compile({ loss: 'mse', optimizer: new SGD({ learningRate: 0.01 }) });
  const n = 256;
  const x = ndarray(Array.from({ length: n * 3 }, (_, i) => Math.sin(i)), [n, 3]);
  const y = ndarray(Array.from({ length: n }, (_, i) => Math.cos(i)), [n, 1]);
  // 64 batches of 4: four throttle rounds, each waiting on the GPU, so the first read lands.
  const seen: { batch: number; loss: number }[] = [];
  let epochLoss = Number.NaN;
  const watch = new LambdaCallback({
    onBatchEnd: (batch, logs) => void (logs?.loss !== undefined && seen.push({ batch, loss: logs.loss })),
    onEpochEnd: (_e, logs) => void (epochLoss = logs?.loss ?? Number.NaN),
  });
  await model.fit(x, y, { epochs: 1, batchSize: 4, verbose: 0, shuffle: false, callbacks: [watch] });
  expect(seen.length).toBeGreaterThan(0);
  expect(seen[0].batch).toBeLessThan(63);
  for (const s of seen) {
    expect(Number.isFinite(s.loss)).toBe(true);
    expect(s.loss).toBeGreaterThan(0);
  }
  expect(Number.isFinite(epochLoss)).toBe(true);
  model.dispose();
});
