// End to end: a 2-layer MLP trained for 200 steps of plain gradient descent with ops and
// backward() only (updates are ops inside noGrad/tidy), checked against the same training
// run in float64 on the CPU, with backpropagation written out by hand.
import { beforeAll, expect, test } from 'vitest';
import { backward } from '../../src/autograd/backward.ts';
import { noGrad } from '../../src/autograd/tape.ts';
import { ready } from '../../src/kernels/device.ts';
import { flush } from '../../src/kernels/runtime.ts';
import * as ops from '../../src/ops.ts';
import { tensor } from '../../src/tensor/create.ts';
import { keep, tidy } from '../../src/tensor/memory.ts';
import type { Tensor } from '../../src/tensor/tensor.ts';
import { values } from '../util/check.ts';

beforeAll(async () => {
  await ready();
});

const N = 48; // points
const D = 2; // inputs
const H = 16; // hidden units (tanh)
const C = 3; // classes
const LR = 0.5;
const STEPS = 200;

/** Three noisy blobs around the vertices of a triangle; label = blob. */
function dataset(): { x: Float64Array; y: number[] } {
  const noise = values(N * D, 101, -1, 1);
  const x = new Float64Array(N * D);
  const y: number[] = [];
  for (let i = 0; i < N; i++) {
    const c = i % C;
    const angle = (2 * Math.PI * c) / C;
    x[i * D] = Math.fround(Math.cos(angle) + noise[i * D]);
    x[i * D + 1] = Math.fround(Math.sin(angle) + noise[i * D + 1]);
    y.push(c);
  }
  return { x, y };
}

interface Params {
  w1: Float64Array;
  b1: Float64Array;
  w2: Float64Array;
  b2: Float64Array;
}

function initialParams(): Params {
  return {
    w1: values(D * H, 7, -1, 1),
    b1: values(H, 8, -0.1, 0.1),
    w2: values(H * C, 9, -0.5, 0.5),
    b2: new Float64Array(C),
  };
}

/** Mean sparse CE from logits of the MLP, and (if asked) its gradients, in float64. */
function refStep(p: Params, x: Float64Array, y: number[], withGrad: boolean): { loss: number; grads?: Params } {
  const h = new Float64Array(N * H);
  for (let i = 0; i < N; i++)
    for (let j = 0; j < H; j++) {
      let s = p.b1[j];
      for (let k = 0; k < D; k++) s += x[i * D + k] * p.w1[k * H + j];
      h[i * H + j] = Math.tanh(s);
    }
  const dz = new Float64Array(N * C);
  let loss = 0;
  for (let i = 0; i < N; i++) {
    const z = Array.from({ length: C }, (_, c) => {
      let s = p.b2[c];
      for (let j = 0; j < H; j++) s += h[i * H + j] * p.w2[j * C + c];
      return s;
    });
    const m = Math.max(...z);
    const lse = m + Math.log(z.reduce((s, v) => s + Math.exp(v - m), 0));
    loss += (lse - z[y[i]]) / N;
    for (let c = 0; c < C; c++) dz[i * C + c] = (Math.exp(z[c] - lse) - (c === y[i] ? 1 : 0)) / N;
  }
  if (!withGrad) return { loss };
  const g: Params = { w1: new Float64Array(D * H), b1: new Float64Array(H), w2: new Float64Array(H * C), b2: new Float64Array(C) };
  for (let i = 0; i < N; i++)
    for (let j = 0; j < H; j++) {
      let dh = 0;
      for (let c = 0; c < C; c++) {
        g.w2[j * C + c] += h[i * H + j] * dz[i * C + c];
        dh += dz[i * C + c] * p.w2[j * C + c];
      }
      const da = dh * (1 - h[i * H + j] ** 2);
      g.b1[j] += da;
      for (let k = 0; k < D; k++) g.w1[k * H + j] += x[i * D + k] * da;
    }
  for (let i = 0; i < N; i++) for (let c = 0; c < C; c++) g.b2[c] += dz[i * C + c];
  return { loss, grads: g };
}

function trainReference(x: Float64Array, y: number[]): { first: number; last: number } {
  const p = initialParams();
  let first = 0;
  for (let s = 0; s < STEPS; s++) {
    const { loss, grads } = refStep(p, x, y, true);
    if (s === 0) first = loss;
    for (const k of ['w1', 'b1', 'w2', 'b2'] as const) for (let i = 0; i < p[k].length; i++) p[k][i] -= LR * grads![k][i];
  }
  return { first, last: refStep(p, x, y, false).loss };
}

test('a 2-layer MLP trained for 200 GD steps on the GPU ends within 1e-4 of the float64 run', async () => {
  const { x, y } = dataset();
  const ref = trainReference(x, y);

  const init = initialParams();
  const xt = tensor(Float32Array.from(x), [N, D]);
  const yt = tensor(y);
  let params: Tensor[] = [
    tensor(Float32Array.from(init.w1), [D, H]),
    tensor(Float32Array.from(init.b1), [H]),
    tensor(Float32Array.from(init.w2), [H, C]),
    tensor(Float32Array.from(init.b2), [C]),
  ];
  params.forEach((t) => (t.requiresGrad = true));
  const lossOf = ([w1, b1, w2, b2]: Tensor[]) => ops.mean(ops.sparseCategoricalCrossentropy(yt, ops.dense(ops.dense(xt, w1, b1, 'tanh'), w2, b2), true));

  let first: Tensor | null = null;
  for (let s = 0; s < STEPS; s++) {
    tidy(() => {
      const loss = lossOf(params);
      if (s === 0) first = keep(loss);
      backward(loss);
      params = noGrad(() =>
        params.map((p) => {
          const next = keep(ops.sub(p, ops.mul(p.grad!, LR)));
          next.requiresGrad = true;
          p.grad!.dispose();
          p.dispose();
          return next;
        }),
      );
    });
    flush();
  }
  const last = noGrad(() => tidy(() => lossOf(params)));
  const gpuFirst = await first!.item();
  const gpuLast = await last.item();

  expect(Math.abs(gpuFirst - ref.first), `first loss ${gpuFirst} vs float64 ${ref.first}`).toBeLessThan(1e-5);
  expect(ref.last).toBeLessThan(0.3 * ref.first); // the task is learnable in 200 steps
  // The float64 run ends near 0.153; f32 rounding over 200 steps moved it by 2e-8 when this
  // was written. A wrong gradient anywhere moves it by far more than the 1e-4 allowed.
  expect(Math.abs(gpuLast - ref.last), `final loss ${gpuLast} vs float64 ${ref.last}`).toBeLessThan(1e-4);
});
