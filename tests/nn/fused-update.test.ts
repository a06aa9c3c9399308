// Plain SGD applied inside backward (src/fast/fused-sgd.ts, the dense-backward-with-
// SGD kernel): fit must train exactly as with the separate optimizer dispatch. The control
// is the same SGD with clipvalue 1e30, which never clips but is not plain descent, so it
// takes the usual path (gradients, then one update dispatch per weight). Below fit: the
// kernel against w − lr·(xᵀ·dz + wd·w) across tile edges, and the plan's fallback for a
// weight that two dense nodes read.
import { beforeAll, expect, test } from 'vitest';
import { Dense, ExponentialDecay, l2, NDArray, ndarray, ready, runtimeStats, Sequential, SGD, setSeed, type SGDOptions } from '../../src/index.ts';
import { backward } from '../../src/autograd/backward.ts';
import { planBackward } from '../../src/fast/backward-plan.ts';
import { denseSgd } from '../../src/fast/fused-sgd.ts';
import { currentGpu } from '../../src/kernels/device.ts';
import { type MatmulKernelName, matmulKernelName } from '../../src/kernels/matmul-kernels.ts';
import * as ops from '../../src/ops.ts';
import { tensor } from '../../src/tensor/create.ts';
import { expectClose, values } from '../util/check.ts';
import * as R from '../util/reference.ts';

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

const sgdScalars = (lr: number, wd: number) => new SGD({ learningRate: lr, weightDecay: wd }).plainSgdScalars()!;
const gpu = (a: R.Arr) => tensor(Float32Array.from(a.data), a.shape);

test('the dense-backward-with-SGD kernel is w − lr·(xᵀ·dz + wd·w) and b − lr·(Σ dz + wd·b), across tiles, in every kernel', async () => {
  const s = currentGpu().subgroupSizes;
  const names: MatmulKernelName[] = s?.min === 8 && s.max === 8 ? ['naive', 'blocked', 'blocked-8x8', 'subgroups'] : ['naive', 'blocked', 'blocked-8x8'];
  const [lr, wd] = [0.05, 0.1];
  // [batch, in, out]: out spans 2-3 column tiles, in + 1 (the bias row) 2 row tiles.
  for (const [K, M, N] of [[70, 40, 66], [3, 31, 33], [1, 1, 1]]) {
    const x = R.arr(values(K * M, 1), [K, M]);
    const dz = R.arr(values(K * N, 2), [K, N]);
    const w = R.arr(values(M * N, 3), [M, N]);
    const b = R.arr(values(N, 4), [N]);
    const g = R.matmul(x, dz, true, false);
    const gb = R.reduce(dz, [0], (a, v) => a + v, 0, false);
    const wantW = R.zip(w, g, (wi, gi) => wi - lr * (gi + wd * wi)).data;
    const wantB = R.zip(b, gb, (bi, gi) => bi - lr * (gi + wd * bi)).data;
    for (const name of names) {
      const gl = globalThis as Record<string, unknown>;
      gl.WEBGRAD_MATMUL = name;
      try {
        expect(matmulKernelName()).toBe(name);
        const [tw, tb, scalars] = [gpu(w), gpu(b), sgdScalars(lr, wd)];
        denseSgd(gpu(x), gpu(dz), tw, tb, scalars);
        expectClose(await tw.data(), wantW, { atol: 2e-6 * K, rtol: 1e-5 }, `${name} weight ${K}x${M}x${N}`);
        expectClose(await tb.data(), wantB, { atol: 2e-6 * K, rtol: 1e-5 }, `${name} bias ${K}x${M}x${N}`);
      } finally {
        delete gl.WEBGRAD_MATMUL;
      }
    }
  }
});

test('a weight shared by two dense layers keeps its gradient (the optimizer updates it); a weight read once is updated in backward', async () => {
  const [lr, wd] = [0.1, 0.01];
  const init = { w: R.arr(values(16, 5), [4, 4]), b1: R.arr(values(4, 6), [4]), b2: R.arr(values(4, 7), [4]), w3: R.arr(values(12, 8), [4, 3]), b3: R.arr(values(3, 9), [3]) };
  const x = gpu(R.arr(values(20, 10), [5, 4]));
  const run = (fuse: boolean) => {
    const p = Object.fromEntries(Object.entries(init).map(([k, v]) => [k, gpu(v)]));
    for (const t of Object.values(p)) t.requiresGrad = true;
    // The same w in two layers, then a layer of its own.
    const h = ops.dense(ops.dense(x, p.w, p.b1, 'tanh'), p.w, p.b2, 'tanh');
    const y = ops.dense(h, p.w3, p.b3);
    const loss = ops.sum(ops.mul(y, y));
    const fast = fuse ? planBackward(loss, new Set(Object.values(p)), sgdScalars(lr, wd)) : null;
    backward(loss, undefined, fast?.plan);
    return { p, sgd: fast?.sgd };
  };
  const control = run(false);
  const fused = run(true);
  expect([...fused.sgd!.pairs]).toEqual([[fused.p.w3, fused.p.b3]]);
  for (const k of ['w', 'b1', 'b2']) {
    expectClose(await fused.p[k].grad!.data(), await control.p[k].grad!.data(), { atol: 1e-6, rtol: 1e-5 }, `${k} gradient`);
  }
  expect(fused.p.w3.grad).toBeNull();
  expect(fused.p.b3.grad).toBeNull();
  for (const k of ['w3', 'b3']) {
    const g = await control.p[k].grad!.data();
    const want = Array.from(init[k as 'w3' | 'b3'].data, (v, i) => v - lr * (g[i] + wd * v));
    expectClose(await fused.p[k].data(), want, { atol: 1e-6, rtol: 1e-5 }, `${k} updated in backward`);
  }
});
