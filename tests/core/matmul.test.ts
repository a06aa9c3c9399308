// matmul and dense (src/autograd/matmul.ts, kernels/matmul-kernels.ts) against the float64
// reference: every transpose combination, shapes that are not tile multiples, the fused
// bias + activation epilogue, and gradients by finite differences, on one tile and across
// several; the weight-gradient product that also yields the bias gradient (COL_SUMS).
// Each project runs the kernel its device picks (node: subgroups; chromium: blocked-8x8); the
// last block runs every kernel (naive, the spec, too) through the same reference.
import { beforeAll, describe, expect, test } from 'vitest';
import { denseParamGrads } from '../../src/autograd/matmul.ts';
import { ACTIVATIONS } from '../../src/kernels/op-names.ts';
import { currentGpu, ready } from '../../src/kernels/device.ts';
import { type MatmulKernelName, matmulKernelName } from '../../src/kernels/matmul-kernels.ts';
import { defaultMatmulKernel } from '../../src/kernels/matmul-tuned.ts';
import * as ops from '../../src/ops.ts';
import { tensor } from '../../src/tensor/create.ts';
import { expectClose, values } from '../util/check.ts';
import { checkOp } from '../util/op-harness.ts';
import * as R from '../util/reference.ts';

beforeAll(async () => {
  await ready();
});

const stored = (rows: number, cols: number, trans: boolean) => (trans ? [cols, rows] : [rows, cols]);
const flags = [
  [false, false],
  [true, false],
  [false, true],
  [true, true],
] as const;

/**
 * Forward tolerance for a length-K dot product of values in [-1, 1], summed in f32: each of
 * the K additions rounds a partial sum of typical size sqrt(k/9) by up to 2^-24 relative,
 * and those errors add as a random walk: about sqrt(K) * 2^-24 * sqrt(K)/3 = K/3 * 2^-24.
 * With a 4x margin that is K * 0.8e-7 (6e-5 at K = 784; measured: 2e-5). Below K = 100 the
 * default atol (1e-5) already covers it.
 */
const dotTol = (K: number) => ({ atol: Math.max(1e-5, K * 0.8e-7), rtol: 1e-4 });

describe('matmul: op(A) op(B) for every transpose combination', () => {
  // [M, K, N]; none of the larger ones is a multiple of a tile side.
  // The last spans several tiles of every kernel in each of its backward products.
  const withGrad: [number, number, number][] = [
    [1, 1, 1],
    [7, 33, 5],
    [33, 34, 65],
  ];
  const forwardOnly: [number, number, number][] = [
    [33, 257, 9],
    [70, 19, 129],
  ];
  for (const [tA, tB] of flags) {
    const name = `${tA ? 'Aᵀ' : 'A'}·${tB ? 'Bᵀ' : 'B'}`;
    for (const [M, K, N] of withGrad) {
      test(`${name} ${M}x${K} · ${K}x${N}, forward and gradient`, async () => {
        await checkOp({
          name,
          inputs: [{ shape: stored(M, K, tA) }, { shape: stored(K, N, tB) }],
          gpu: ([a, b]) => ops.matmul(a, b, tA, tB),
          ref: ([a, b]) => R.matmul(a, b, tA, tB),
        });
      });
    }
    for (const [M, K, N] of forwardOnly) {
      test(`${name} ${M}x${K} · ${K}x${N}, forward`, async () => {
        await checkOp({
          name,
          inputs: [{ shape: stored(M, K, tA) }, { shape: stored(K, N, tB) }],
          gpu: ([a, b]) => ops.matmul(a, b, tA, tB),
          ref: ([a, b]) => R.matmul(a, b, tA, tB),
          tol: dotTol(K),
          noGrad: true,
        });
      });
    }
  }

  test('32x784 · 784x300 (a Dense layer on Fashion-MNIST), and its backward products', async () => {
    // K = 784: atol 6.3e-5 from dotTol (outputs are about +-10).
    await checkOp({
      name: '32x784·784x300',
      inputs: [{ shape: [32, 784] }, { shape: [784, 300] }],
      gpu: ([a, b]) => ops.matmul(a, b),
      ref: ([a, b]) => R.matmul(a, b),
      tol: dotTol(784),
      noGrad: true,
    });
    // The weight gradient xᵀ·dy (K = 32) and the input gradient dy·Wᵀ (K = 300).
    await checkOp({
      name: '784x32ᵀ·32x300',
      inputs: [{ shape: [32, 784] }, { shape: [32, 300] }],
      gpu: ([a, b]) => ops.matmul(a, b, true, false),
      ref: ([a, b]) => R.matmul(a, b, true, false),
      tol: dotTol(32),
      noGrad: true,
    });
    await checkOp({
      name: '32x300·784x300ᵀ',
      inputs: [{ shape: [32, 300] }, { shape: [784, 300] }],
      gpu: ([a, b]) => ops.matmul(a, b, false, true),
      ref: ([a, b]) => R.matmul(a, b, false, true),
      tol: dotTol(300),
      noGrad: true,
    });
  });

  test('the kernel follows the subgroup size, and handles its tile edges', async () => {
    const { adapter, subgroupSizes: s } = currentGpu();
    expect(matmulKernelName()).toBe(defaultMatmulKernel(adapter.architecture, s));
    // Around the subgroup kernel's 32 x 32 tile (and the blocked one's 32 x 64): K = 1, one
    // row or column past a tile, one short of it, and a lone partial lane group.
    const shapes: [number, number, number, boolean, boolean][] = [
      [33, 1, 31, false, false],
      [31, 1, 33, true, true],
      [65, 3, 40, true, false],
      [9, 5, 65, false, true],
    ];
    for (const [M, K, N, tA, tB] of shapes) {
      await checkOp({
        name: `${M}x${K}x${N} ${tA ? 'Aᵀ' : 'A'}·${tB ? 'Bᵀ' : 'B'}`,
        inputs: [{ shape: stored(M, K, tA) }, { shape: stored(K, N, tB) }],
        gpu: ([a, b]) => ops.matmul(a, b, tA, tB),
        ref: ([a, b]) => R.matmul(a, b, tA, tB),
        noGrad: true,
      });
    }
  });

  test('xᵀ·dz with the column sums of dz in one dispatch (a Dense layer\'s dW and db)', async () => {
    // M = x's columns: the row of ones is the last of a tile (31, 15), the first of a new
    // one (32, 16, 64), or inside a tile (40); the real sizes of model A's first layer too.
    for (const [batch, M, N] of [[3, 31, 5], [4, 32, 33], [2, 15, 70], [5, 16, 8], [7, 40, 9], [6, 64, 1], [32, 784, 300]]) {
      const xv = Float32Array.from(values(batch * M, M + N, -1, 1));
      const dzv = Float32Array.from(values(batch * N, M * N, -1, 1));
      const [dW, db] = denseParamGrads(tensor(xv, [batch, M]), tensor(dzv, [batch, N]));
      expect(dW.shape).toEqual([M, N]);
      expect(db.shape).toEqual([N]);
      const dz = R.arr(dzv, [batch, N]);
      const what = `batch ${batch}, ${M} x ${N}`;
      expectClose(await dW.data(), R.matmul(R.arr(xv, [batch, M]), dz, true, false).data, dotTol(batch), `dW, ${what}`);
      expectClose(await db.data(), R.reduce(dz, [0], (a, v) => a + v, 0, false).data, dotTol(batch), `db, ${what}`);
    }
  });

  test('NaN in A spreads to its row of the product, and through the fused activation', async () => {
    const a = tensor([1, NaN, 2, 3], [2, 2]);
    const b = tensor([1, 2, 3, 4], [2, 2]);
    for (const y of [await ops.matmul(a, b).data(), await ops.dense(a, b, tensor([0, 0]), 'sigmoid').data()]) {
      expect(Array.from(y, Number.isNaN)).toEqual([true, true, false, false]);
    }
  });

  test('an empty inner dimension gives zeros', async () => {
    const c = ops.matmul(tensor(new Float32Array(0), [3, 0]), tensor(new Float32Array(0), [0, 2]));
    expect(Array.from(await c.data())).toEqual([0, 0, 0, 0, 0, 0]);
  });

  test('shape errors name the op, the shapes and the mismatch', () => {
    const a = tensor(new Float32Array(32 * 784), [32, 784]);
    const b = tensor(new Float32Array(300 * 100), [300, 100]);
    expect(() => ops.matmul(a, b)).toThrow('matmul: [32,784] x [300,100]: inner dimensions 784 != 300');
    expect(() => ops.matmul(a, tensor([1, 2, 3]))).toThrow('matmul: expected 2-D operands, got [32,784] x [3]');
    expect(() => ops.dense(a, tensor(new Float32Array(784 * 10), [784, 10]), tensor([1, 2]))).toThrow(
      'dense: bias [2] does not match 10 output units',
    );
  });
});

describe('dense: activation(x · W + b) in one kernel', () => {
  const denseRef = (act: string, x: R.Arr, w: R.Arr, b?: R.Arr) => {
    const z = R.matmul(x, w);
    return R.map(b ? R.zip(z, b, (u, v) => u + v) : z, R.unaryRef[act]);
  };
  for (const act of ACTIVATIONS) {
    test(`${act}: forward and gradients of x, W and b`, async () => {
      await checkOp({
        name: `dense ${act}`,
        inputs: [{ shape: [5, 9] }, { shape: [9, 6] }, { shape: [6] }],
        gpu: ([x, w, b]) => ops.dense(x, w, b, act),
        ref: ([x, w, b]) => denseRef(act, x, w, b),
      });
    });
  }

  test('without bias', async () => {
    await checkOp({
      name: 'dense tanh, no bias',
      inputs: [{ shape: [4, 7] }, { shape: [7, 3] }],
      gpu: ([x, w]) => ops.dense(x, w, null, 'tanh'),
      ref: ([x, w]) => denseRef('tanh', x, w),
    });
  });

  test('selu across several tiles: forward and gradients of x, W and b', async () => {
    await checkOp({
      name: 'dense selu 33x34x65',
      inputs: [{ shape: [33, 34] }, { shape: [34, 65] }, { shape: [65] }],
      gpu: ([x, w, b]) => ops.dense(x, w, b, 'selu'),
      ref: ([x, w, b]) => denseRef('selu', x, w, b),
    });
  });

  test('large shape with bias and selu matches the reference', async () => {
    const [M, K, N] = [32, 300, 100];
    const x = R.arr(values(M * K, 3), [M, K]);
    const w = R.arr(values(K * N, 4, -0.2, 0.2), [K, N]);
    const b = R.arr(values(N, 5), [N]);
    const y = ops.dense(tensor(Float32Array.from(x.data), x.shape), tensor(Float32Array.from(w.data), w.shape), tensor(Float32Array.from(b.data), b.shape), 'selu');
    expectClose(await y.data(), denseRef('selu', x, w, b).data, dotTol(K), 'dense 32x300x100 selu');
  });
});

describe('every kernel (naive, the spec; blocked; blocked-8x8; subgroups where the device runs it) against one reference', () => {
  const names = (): MatmulKernelName[] => {
    const s = currentGpu().subgroupSizes;
    return s?.min === 8 && s.max === 8 ? ['naive', 'blocked', 'blocked-8x8', 'subgroups'] : ['naive', 'blocked', 'blocked-8x8'];
  };
  /** Runs fn with WEBGRAD_MATMUL=name (env.ts reads a global of that name too). */
  const withKernel = async (name: MatmulKernelName, fn: () => Promise<void>) => {
    const g = globalThis as Record<string, unknown>;
    g.WEBGRAD_MATMUL = name;
    try {
      expect(matmulKernelName()).toBe(name);
      await fn();
    } finally {
      delete g.WEBGRAD_MATMUL;
    }
  };

  test('products, the dense epilogue and the column sums, around and across tile edges', async () => {
    for (const name of names()) {
      await withKernel(name, async () => {
        for (const [M, K, N, tA, tB] of [[1, 1, 1, false, false], [33, 7, 65, true, false], [70, 19, 129, false, true], [9, 5, 31, true, true]] as const) {
          await checkOp({
            name: `${name} ${M}x${K}x${N} ${tA ? 'Aᵀ' : 'A'}·${tB ? 'Bᵀ' : 'B'}`,
            inputs: [{ shape: stored(M, K, tA) }, { shape: stored(K, N, tB) }],
            gpu: ([a, b]) => ops.matmul(a, b, tA, tB),
            ref: ([a, b]) => R.matmul(a, b, tA, tB),
            noGrad: true,
          });
        }
        const [x, w, b] = [R.arr(values(40 * 9, 3), [40, 9]), R.arr(values(9 * 66, 4), [9, 66]), R.arr(values(66, 5), [66])];
        const t = (a: R.Arr) => tensor(Float32Array.from(a.data), a.shape);
        const z = R.zip(R.matmul(x, w), b, (u, v) => u + v);
        expectClose(await ops.dense(t(x), t(w), t(b), 'tanh').data(), R.map(z, Math.tanh).data, {}, `${name} dense tanh`);
        const [dW, db] = denseParamGrads(t(x), t(R.arr(values(40 * 66, 6), [40, 66])));
        const dz = R.arr(values(40 * 66, 6), [40, 66]);
        expectClose(await dW.data(), R.matmul(x, dz, true, false).data, dotTol(40), `${name} dW`);
        expectClose(await db.data(), R.reduce(dz, [0], (a, v) => a + v, 0, false).data, dotTol(40), `${name} db`);
      });
    }
  });

  test('each adapter gets its kernel: lavapipe (8 lanes) subgroups, SwiftShader blocked-8x8, others blocked', () => {
    expect(defaultMatmulKernel('llvmpipe', { min: 8, max: 8 })).toBe('subgroups');
    expect(defaultMatmulKernel('swiftshader', { min: 4, max: 4 })).toBe('blocked-8x8');
    expect(defaultMatmulKernel('swiftshader', null)).toBe('blocked-8x8');
    expect(defaultMatmulKernel('ampere', { min: 32, max: 32 })).toBe('blocked');
    expect(defaultMatmulKernel('', null)).toBe('blocked');
  });

  test('an unknown or unavailable WEBGRAD_MATMUL is refused by name', () => {
    const g = globalThis as Record<string, unknown>;
    g.WEBGRAD_MATMUL = 'fast';
    try {
      expect(() => matmulKernelName()).toThrow('WEBGRAD_MATMUL=fast names no matmul kernel; use one of naive, blocked, blocked-8x8, subgroups');
    } finally {
      delete g.WEBGRAD_MATMUL;
    }
  });
});
