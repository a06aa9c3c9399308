// Activation gradients folded into the next Dense layer's dx product (src/fast/act-grads.ts,
// act-grads-io.wgsl): the kernel against a float64 reference and, bit for bit, against
// the unfused pair (matmul, then unary-grad) in every matmul kernel; gradients through
// stacked layers by finite differences, plain and with the fast plan; what the plan must not
// fold (a second reader, a kept .grad); and training (src/fast/backward-plan.ts): the folds
// give plain backward's weights bit for bit in fewer dispatches, and so does fit's SGD
// applied inside backward (against backward, then the optimizer's update).
import { beforeAll, expect, test } from 'vitest';
import { backward } from '../../src/autograd/backward.ts';
import { unary, unaryGrad } from '../../src/autograd/elementwise.ts';
import { noGrad } from '../../src/autograd/tape.ts';
import { type ActGrad, denseInputGrad, planActGrads } from '../../src/fast/act-grads.ts';
import { fastBackward, planBackward } from '../../src/fast/backward-plan.ts';
import { ACTIVATIONS, type UnaryOp } from '../../src/kernels/op-names.ts';
import { currentGpu, ready } from '../../src/kernels/device.ts';
import { type MatmulKernelName, matmulKernelName } from '../../src/kernels/matmul-kernels.ts';
import { runtimeStats } from '../../src/kernels/runtime.ts';
import { SGD } from '../../src/optim/sgd.ts';
import * as ops from '../../src/ops.ts';
import { tensor } from '../../src/tensor/create.ts';
import { tidy } from '../../src/tensor/memory.ts';
import type { Tensor } from '../../src/tensor/tensor.ts';
import { expectClose, values } from '../util/check.ts';
import { checkOp } from '../util/op-harness.ts';
import * as R from '../util/reference.ts';

beforeAll(async () => {
  await ready();
});

const gpu = (a: R.Arr) => tensor(Float32Array.from(a.data), a.shape);
const bits = async (t: Tensor) => Array.from(new Uint32Array(Float32Array.from(await t.data()).buffer));
/** The first element where two tensors' bits differ, or null (a short message, not a diff of 235,200 numbers). */
const firstDifference = (a: number[][], b: number[][]) => {
  for (let i = 0; i < a.length; i++) {
    const j = a[i].findIndex((v, k) => v !== b[i][k]);
    if (j >= 0 || a[i].length !== b[i].length) return `tensor ${i} element ${j}`;
  }
  return null;
};
/** Every op a product can fold: a Dense layer's activations (from y) and unary ops (gelu, silu: from x). */
const FOLDED: UnaryOp[] = [...ACTIVATIONS.filter((a) => a !== 'linear'), 'gelu', 'silu'];
/** op'(x) in float64, by central differences of the reference op (no kink lies within h of the inputs). */
const derivative = (op: UnaryOp, x: number, h = 1e-6) => (R.unaryRef[op](x + h) - R.unaryRef[op](x - h)) / (2 * h);

test('dz·wᵀ ⊙ op\'(x, y) in every kernel: the float64 reference, and the unfused matmul + unary-grad bit for bit', async () => {
  const s = currentGpu().subgroupSizes;
  const names: MatmulKernelName[] = s?.min === 8 && s.max === 8 ? ['naive', 'blocked', 'blocked-8x8', 'subgroups'] : ['naive', 'blocked', 'blocked-8x8'];
  // Every foldable op on the device's own kernel; on the others (the epilogue is the same
  // store()), one op read from y and one from x: each (kernel, op) is a pipeline to compile.
  const device = matmulKernelName();
  // [batch, out, in]: the product dz [batch, out] · wᵀ ([in, out] stored) is [batch, in];
  // 70 x 66 spans 2-3 tiles of every kernel in each direction.
  for (const [M, K, N] of [[70, 40, 66], [3, 5, 33], [1, 1, 1]]) {
    const dz = R.arr(values(M * K, 1), [M, K]);
    const w = R.arr(values(N * K, 2), [N, K]);
    const x = R.arr(values(M * N, 3, -3.5, 3.5), [M, N]);
    const dy = R.matmul(dz, w, false, true);
    for (const name of names) {
      const g = globalThis as Record<string, unknown>;
      g.WEBGRAD_MATMUL = name;
      try {
        expect(matmulKernelName()).toBe(name);
        for (const op of name === device ? FOLDED : (['selu', 'gelu'] as const)) {
          const [tx, tdz, tw] = [gpu(x), gpu(dz), gpu(w)];
          const ty = unary(op, tx);
          // As the plan binds them: a Dense layer's activation reads its output alone.
          const f: ActGrad = (ACTIVATIONS as readonly string[]).includes(op) ? { op, x: ty, y: ty } : { op, x: tx, y: ty };
          const fused = denseInputGrad(tdz, tw, f);
          const want = R.zip(dy, x, (d, xi) => d * derivative(op, xi)).data;
          expectClose(await fused.data(), want, { atol: 1e-5 + K * 2e-7, rtol: 2e-4 }, `${name} ${op} ${M}x${K}x${N}`);
          const unfused = unaryGrad(op, f.x, f.y, ops.matmul(tdz, tw, false, true));
          const differ = firstDifference([await bits(fused)], [await bits(unfused)]);
          expect(differ, `${name} ${op} ${M}x${K}x${N}: the same bits as matmul + unary-grad`).toBeNull();
        }
      } finally {
        delete g.WEBGRAD_MATMUL;
      }
    }
  }
  const [a, b] = [tensor(new Float32Array(6), [2, 3]), tensor(new Float32Array(12), [4, 3])];
  expect(() => denseInputGrad(a, b, { op: 'selu', x: a, y: a })).toThrow(
    "denseInputGrad: the activation's [2,3] input and [2,3] output do not match the product [2,4]",
  );
});

/** act(x·w + b) in float64; 'gelu' and 'silu' as a linear Dense followed by the op. */
const layerRef = (act: UnaryOp, x: R.Arr, w: R.Arr, b: R.Arr) => R.map(R.zip(R.matmul(x, w), b, (u, v) => u + v), R.unaryRef[act]);
const layer = (act: UnaryOp, x: Tensor, w: Tensor, b: Tensor) =>
  (ACTIVATIONS as readonly string[]).includes(act) ? ops.dense(x, w, b, act as (typeof ACTIVATIONS)[number]) : unary(act, ops.dense(x, w, b));

/** The fast plan for y's tape with folds only (no SGD), as a checkOp `plan`. */
const foldsOnly = (y: Tensor) => planBackward(y, new Set(), null).plan;

for (const acts of [['selu', 'tanh', 'sigmoid'], ['gelu', 'elu', 'silu'], ['relu', 'softplus', 'leaky_relu']] as UnaryOp[][]) {
  test(`three stacked layers (${acts.join(', ')}): gradients of every input by finite differences, plain and with two activations folded`, async () => {
    for (const fast of [false, true]) {
      await checkOp({
        name: `dense ${acts.join(' → ')}${fast ? ' (folded)' : ''}`,
        inputs: [{ shape: [5, 7] }, { shape: [7, 6] }, { shape: [6] }, { shape: [6, 8] }, { shape: [8] }, { shape: [8, 4] }, { shape: [4] }],
        gpu: ([x, w1, b1, w2, b2, w3, b3]) => {
          const h1 = layer(acts[0], x, w1, b1);
          const h2 = layer(acts[1], h1, w2, b2);
          const y = layer(acts[2], h2, w3, b3);
          expect([...planActGrads(y).keys()]).toEqual([h2, h1]);
          return y;
        },
        ref: ([x, w1, b1, w2, b2, w3, b3]) => layerRef(acts[2], layerRef(acts[1], layerRef(acts[0], x, w1, b1), w2, b2), w3, b3),
        plan: fast ? foldsOnly : undefined,
      });
    }
  });
}

test('an output with a second reader is not folded, and its gradient sums both paths', async () => {
  await checkOp({
    name: 'dense selu read twice',
    inputs: [{ shape: [5, 7] }, { shape: [7, 6] }, { shape: [6] }, { shape: [6, 4] }, { shape: [4] }],
    gpu: ([x, w1, b1, w2, b2]) => {
      const h = ops.dense(x, w1, b1, 'selu');
      const y = ops.mul(ops.dense(h, w2, b2, 'tanh'), ops.sum(h, 1, true));
      expect(planActGrads(y).size).toBe(0);
      return y;
    },
    plan: foldsOnly,
    ref: ([x, w1, b1, w2, b2]) => {
      const h = layerRef('selu', x, w1, b1);
      const rowSums = R.reduce(h, [1], (a, v) => a + v, 0, true);
      return R.zip(layerRef('tanh', h, w2, b2), rowSums, (u, v) => u * v);
    },
  });
});

test("an output that keeps its own .grad is not folded: its .grad is dy, not dy ⊙ act'(y)", async () => {
  const [x, w1, b1, w2] = [R.arr(values(15, 1), [5, 3]), R.arr(values(12, 2), [3, 4]), R.arr(values(4, 3), [4]), R.arr(values(8, 4), [4, 2])];
  const seed = R.arr(values(10, 5), [5, 2]);
  const [tw1, tb1, tw2] = [gpu(w1), gpu(b1), gpu(w2)];
  for (const t of [tw1, tb1, tw2]) t.requiresGrad = true;
  const h = ops.dense(gpu(x), tw1, tb1, 'elu');
  h.requiresGrad = true;
  const y = ops.dense(h, tw2, null);
  expect(planActGrads(y).size).toBe(0);
  fastBackward(y, gpu(seed), new Set(), null);
  const dy = R.matmul(seed, w2, false, true);
  expectClose(await h.grad!.data(), dy.data, {}, 'h.grad');
  const hRef = layerRef('elu', x, w1, b1);
  const dz = R.zip(dy, R.zip(R.matmul(x, w1), b1, (u, v) => u + v), (d, z) => d * derivative('elu', z));
  expectClose(await tw1.grad!.data(), R.matmul(x, dz, true, false).data, {}, 'w1.grad');
  expectClose(await tw2.grad!.data(), R.matmul(hRef, seed, true, false).data, {}, 'w2.grad');
});

/**
 * How a step runs backward: 'plain' (backward(loss), then the optimizer), 'folds' (the fast
 * plan without SGD: the activation gradients folded, then the optimizer), 'fast' (fit's: the
 * folds, and the SGD update inside backward for every weight it can take).
 */
type Path = 'plain' | 'folds' | 'fast';

/**
 * Trains a stack of layers for a few steps of SGD (with weight decay); returns the weights'
 * bits and backward's dispatches per step. SGD inside backward runs the same product and
 * sgd_rule as the optimizer's update, so the bits match too (measured: lavapipe, SwiftShader).
 */
async function train(sizes: number[], acts: UnaryOp[], batch: number, path: Path) {
  const params = sizes.slice(1).flatMap((n, i) => [gpu(R.arr(values(sizes[i] * n, 10 + i, -0.3, 0.3), [sizes[i], n])), gpu(R.arr(values(n, 30 + i, -0.1, 0.1), [n]))]);
  for (const p of params) p.requiresGrad = true;
  const x = gpu(R.arr(values(batch * sizes[0], 7), [batch, sizes[0]]));
  const target = gpu(R.arr(values(batch * sizes.at(-1)!, 8), [batch, sizes.at(-1)!]));
  const sgd = new SGD({ learningRate: 0.05, weightDecay: 0.01 });
  let dispatches = 0;
  let folded = 0;
  for (let step = 0; step < 3; step++) {
    tidy(() => {
      let h = x;
      for (let i = 0; i < acts.length; i++) h = layer(acts[i], h, params[2 * i], params[2 * i + 1]);
      const loss = ops.mean(ops.square(ops.sub(h, target)));
      folded = path === 'plain' ? 0 : planActGrads(loss).size;
      const scalars = path === 'fast' ? sgd.plainSgdScalars() : null;
      const before = runtimeStats().dispatches;
      let updated: ReadonlySet<Tensor> = new Set();
      if (path === 'plain') backward(loss);
      else updated = fastBackward(loss, undefined, new Set(params), scalars);
      dispatches = runtimeStats().dispatches - before;
      scalars?.dispose();
      if (path === 'fast') expect(updated.size).toBe(params.length);
      noGrad(() => {
        sgd.recordUpdates(params.filter((p) => p.grad).map((p) => [p.grad!, p] as const));
        sgd.countStep();
      });
      for (const p of params) {
        p.grad?.dispose();
        p.grad = null;
      }
    });
  }
  return { weights: await Promise.all(params.map(bits)), dispatches, folded };
}

test('training with the folds gives plain backward\'s weights bit for bit, one dispatch fewer per fold; and with SGD inside backward too', async () => {
  const acts: UnaryOp[] = ['selu', 'relu', 'elu', 'gelu', 'tanh', 'sigmoid', 'silu', 'softplus', 'leaky_relu', 'hard_sigmoid', 'linear'];
  const sizes = [12, 16, 14, 12, 12, 10, 10, 9, 9, 8, 8, 3];
  const plain = await train(sizes, acts, 24, 'plain');
  const folds = await train(sizes, acts, 24, 'folds');
  expect(firstDifference(folds.weights, plain.weights)).toBeNull();
  expect(folds.folded).toBe(acts.length - 1); // every layer but the last feeds the next
  expect(plain.dispatches - folds.dispatches).toBe(folds.folded);
  // The SGD kernel computes the same product and sgd_rule, but in one dispatch.
  const fast = await train(sizes, acts, 24, 'fast');
  expect(firstDifference(fast.weights, plain.weights), 'the SGD update inside backward, bit for bit').toBeNull();
});

test("model A's backward (784-300-100-50-50-50-8 SELU, batch 32): 5 activation gradients folded, 5 dispatches fewer, the same weights, with SGD inside backward too", async () => {
  const acts: UnaryOp[] = ['selu', 'selu', 'selu', 'selu', 'selu', 'linear'];
  const sizes = [784, 300, 100, 50, 50, 50, 8];
  const plain = await train(sizes, acts, 32, 'plain');
  const folds = await train(sizes, acts, 32, 'folds');
  expect(firstDifference(folds.weights, plain.weights)).toBeNull();
  expect(folds.folded).toBe(5);
  expect(plain.dispatches - folds.dispatches).toBe(5);
  const fast = await train(sizes, acts, 32, 'fast');
  expect(firstDifference(fast.weights, plain.weights), 'the SGD update inside backward, bit for bit').toBeNull();
});
