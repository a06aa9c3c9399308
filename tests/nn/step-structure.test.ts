// The training loop's structure (issue 7): each fit() step is recorded into one command
// encoder and submitted once, and nothing is read back per batch — only the epoch's sums
// at its end. Counted with the runtime's submit/dispatch counters.
import { beforeAll, expect, test } from 'vitest';
import { Dense, ndarray, NDArray, ready, runtimeStats, Sequential, SGD, setSeed } from '../../src/index.ts';

beforeAll(async () => {
  await ready();
});

test('fit submits once per training step and reads back only at the end of the epoch (without batch-log consumers)', async () => {
  setSeed(3);
  const n = 48;
  const batch = 8;
  const steps = n / batch;
  const x = new NDArray(Float32Array.from({ length: n * 5 }, (_, i) => Math.sin(i)), [n, 5]);
  const y = ndarray(Float32Array.from({ length: n }, (_, i) => i % 3));
  const m = new Sequential([new Dense(7, { activation: 'relu', inputShape: [5] }), new Dense(3, { activation: 'softmax' })]);
  m.compile({ optimizer: new SGD({ learningRate: 0.05 }), loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  await m.fit(x, y, { batchSize: batch, epochs: 1, verbose: 0 }); // compiles the pipelines
  const before = runtimeStats();
  await m.fit(x, y, { batchSize: batch, epochs: 1, verbose: 0 });
  const after = runtimeStats();
  // One submit per step (each step must submit at least once: it ends with a flush), then
  // one readback for each of the epoch's two sums (loss, accuracy): nothing per batch.
  expect(after.submits - before.submits).toBe(steps + 2);
  m.dispose();
});
