// Bad data already on the GPU (Tensors, not host arrays) gets the same named errors, with the
// same messages, as the same data on the host (bad-input.test.ts): a label out of range or
// fractional, NaN or Infinity in x or y, in fit, its validation data, evaluate and predict.
// Good GPU data passes (values near the float32 limit included) and the check leaks nothing.
// Rows of docs/errors.md ("Bad input").

import { beforeAll, expect, test } from 'vitest';
import { ndarray, type NDArray, ready, Sequential, Dense, SGD, setSeed } from '../../src/index.ts';
import { memory } from '../../src/kernels/runtime.ts';
import { tensor, tensorU8 } from '../../src/tensor/create.ts';
import type { Tensor } from '../../src/tensor/tensor.ts';
import { caught } from '../util/expect-error.ts';

beforeAll(async () => {
  await ready();
});

const n = 8;
const x = ndarray(Array.from({ length: n * 4 }, (_, i) => Math.sin(i)), [n, 4]);
const labels = ndarray(Array.from({ length: n }, (_, i) => i % 8));
const quiet = { verbose: 0 } as const;

/** Dense(5) on [4] features, then an 8-class softmax (labels 0..7). */
function model(): Sequential {
  setSeed(3);
  const m = new Sequential([new Dense(5, { activation: 'relu', inputShape: [4] }), new Dense(8, { activation: 'softmax' })], { name: 'net' });
  m.compile({ optimizer: new SGD(), loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  return m;
}

const onGpu = (a: NDArray): Tensor => tensor(a.toFloat32(), [...a.shape]);

/** The error of `run` on host arrays and on the same data as GPU tensors: both RangeErrors with one message. */
async function sameError(run: (x: NDArray | Tensor, y: NDArray | Tensor) => unknown, xs: NDArray, ys: NDArray): Promise<string> {
  const host = await caught(() => run(xs, ys));
  const [gx, gy] = [onGpu(xs), onGpu(ys)];
  const gpu = await caught(() => run(gx, gy));
  gx.dispose();
  gy.dispose();
  expect([gpu.name, gpu.message]).toEqual([host.name, host.message]);
  expect(gpu).toBeInstanceOf(RangeError);
  return gpu.message;
}

test('a label of 8 or -1 for an 8-class model, and a fractional label: fit and evaluate', async () => {
  const m = model();
  const nine = ndarray([0, 1, 2, 3, 4, 8, 6, 7]);
  expect(await sameError((a, b) => m.fit(a, b, quiet), x, nine)).toBe('fit: label 8 at index 5 is not a class id in [0, 8) for a model with 8 outputs');
  expect(await sameError((a, b) => m.evaluate(a, b), x, ndarray([0, -1, 2, 3, 4, 5, 6, 7]))).toMatch(/^evaluate: label -1 at index 1 is not a class id in \[0, 8\)/);
  expect(await sameError((a, b) => m.fit(a, b, quiet), x, ndarray([0, 1, 1.5, 3, 4, 5, 6, 7]))).toBe('fit: label 1.5 at index 2 is not an integer; sparse_categorical_crossentropy takes class ids 0..7');
  m.dispose();
});

test('NaN or Infinity in x, NaN in the labels: fit, evaluate and predict', async () => {
  const m = model();
  const xs = x.toFloat32().slice();
  xs[9] = Number.NaN;
  const withNaN = ndarray(xs, [n, 4]);
  expect(await sameError((a, b) => m.fit(a, b, quiet), withNaN, labels)).toBe('fit: x contains NaN at sample 2 (flat index 9); clean the data first');
  await sameError((a, b) => m.evaluate(a, b), withNaN, labels);
  xs[9] = 0;
  xs[30] = Number.NEGATIVE_INFINITY;
  const withInf = ndarray(xs, [n, 4]);
  expect(await sameError((a) => m.predict(a), withInf, labels)).toBe('predict: x contains -Infinity at sample 7 (flat index 30); clean the data first');
  expect(await sameError((a, b) => m.evaluate(a, b), x, ndarray([0, 1, 2, Number.NaN, 4, 5, 6, 7]))).toMatch(/^evaluate: label NaN at index 3 is not an integer/);
  m.dispose();
});

test('validation data on the GPU, and uint8 labels on the GPU', async () => {
  const m = model();
  const gx = onGpu(x);
  const bad = tensor(new Float32Array([0, 1, 2, 3, 4, 5, 6, 9]), [n]);
  const error = await caught(() => m.fit(x, labels, { ...quiet, validationData: [gx, bad] }));
  expect(error.message).toBe('fit (validation data): label 9 at index 7 is not a class id in [0, 8) for a model with 8 outputs');
  const bytes = tensorU8(new Uint8Array([0, 1, 2, 3, 4, 5, 200, 7]), [n]);
  expect((await caught(() => m.evaluate(gx, bytes))).message).toMatch(/^evaluate: label 200 at index 6 is not a class id/);
  for (const t of [gx, bad, bytes]) t.dispose();
  m.dispose();
});

test('good GPU data passes (values near the float32 limit too), gives the host figures, and the check leaks nothing', async () => {
  const m = model();
  const big = ndarray(x.toFloat32().map((v, i) => (i === 5 ? 3e38 : i === 6 ? -3e38 : v)), [n, 4]);
  const [gx, gy, gBig] = [onGpu(x), onGpu(labels), onGpu(big)];
  const host = await m.evaluate(x, labels);
  const inUse = () => ({ bytes: memory().bytesInUse, buffers: memory().buffersInUse });
  const before = inUse();
  expect(await m.evaluate(gx, gy)).toEqual(host);
  (await m.predict(gBig)).dispose();
  expect(inUse()).toEqual(before);
  const history = await m.fit(gx, gy, { ...quiet, validationData: [gx, gy] });
  expect(Number.isFinite(history.history.loss[0])).toBe(true);
  for (const t of [gx, gy, gBig]) t.dispose();
  m.dispose();
});
