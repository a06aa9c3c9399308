// Plain SGD applied inside backward (src/autograd/fused-update.ts, matmul-io.wgsl UPDATE):
// fit must train exactly as with the separate optimizer dispatch. The control is the same
// SGD with clipvalue 1e30, which never clips but is not plain descent, so it takes the
// usual path (gradients, then one update dispatch per weight).
import { beforeAll, expect, test } from 'vitest';
import { Dense, ExponentialDecay, l2, NDArray, ndarray, ready, runtimeStats, Sequential, SGD, setSeed, type SGDOptions } from '../../src/index.ts';
import { expectClose } from '../util/check.ts';

beforeAll(async () => {
  await ready();
});

const n = 40;
const x = new NDArray(Float32Array.from({ length: n * 6 }, (_, i) => Math.sin(i * 0.7)), [n, 6]);
const y = ndarray(Float32Array.from({ length: n }, (_, i) => i % 3));

/**
 * Trains a fresh model (same seed: same initial weights) for 3 epochs of 5 steps; returns
 * its weights, the epoch losses and the dispatches per step of the last epoch.
 */
async function train(options: SGDOptions, build: () => Dense[]) {
  setSeed(11);
  const m = new Sequential(build());
  m.compile({ optimizer: new SGD(options), loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  const first = await m.fit(x, y, { batchSize: 8, epochs: 2, verbose: 0 });
  const before = runtimeStats().dispatches;
  const last = await m.fit(x, y, { batchSize: 8, epochs: 3, initialEpoch: 2, verbose: 0 });
  const dispatchesPerStep = (runtimeStats().dispatches - before) / 5;
  const weights = await m.getWeights();
  const iterations = m.compiled!.optimizer.iterations;
  m.dispose();
  return { weights, dispatchesPerStep, iterations, loss: [...first.history.loss, ...last.history.loss] };
}

const layers = (reg = false) => () => [
  new Dense(9, { activation: 'selu', inputShape: [6], kernelRegularizer: reg ? l2(0.01) : undefined }),
  new Dense(5, { activation: 'tanh' }),
  new Dense(3, { activation: 'softmax' }),
];

async function compare(options: SGDOptions, build: () => Dense[]) {
  const fused = await train(options, build);
  const control = await train({ ...options, clipvalue: 1e30 }, build);
  fused.weights.forEach((w, i) => expectClose(w.toFloat32(), control.weights[i].toFloat32(), { atol: 1e-6, rtol: 1e-5 }, `weight ${i}`));
  expectClose(fused.loss, control.loss, { atol: 1e-6, rtol: 1e-5 }, 'epoch losses');
  expect(fused.iterations).toBe(15); // every step counted, as the schedule needs
  expect(control.iterations).toBe(15);
  return { fused, control };
}

test('plain SGD inside backward trains as the separate update does, with one dispatch fewer per weight', async () => {
  const { fused, control } = await compare({ learningRate: 0.1 }, layers());
  // 3 Dense layers: 6 updates folded into the weight-gradient products.
  expect(control.dispatchesPerStep - fused.dispatchesPerStep).toBe(6);
});

test('with weight decay and a learning-rate schedule (the step scalars change every step)', async () => {
  const learningRate = new ExponentialDecay(0.2, 3, 0.5);
  await compare({ learningRate, weightDecay: 0.05 }, layers());
});

test('a regularized kernel is left to the optimizer (its penalty adds to its gradient), the others are fused', async () => {
  const { fused, control } = await compare({ learningRate: 0.1 }, layers(true));
  expect(control.dispatchesPerStep - fused.dispatchesPerStep).toBe(4);
});
