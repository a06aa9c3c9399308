// Reductions (src/autograd/reduce.ts, wgsl/reduce.wgsl) against the float64 reference:
// sum/mean/max/min over each axis, several axes and all, keepDims; argmax/argmin with ties;
// NaN propagation; both strategies (walk, workgroup tree); gradients, with max/min ties split.
import { beforeAll, describe, expect, test } from 'vitest';
import { backward } from '../../src/autograd/backward.ts';
import { SERIAL_MAX_LEN } from '../../src/autograd/reduce.ts';
import { ready } from '../../src/kernels/device.ts';
import * as ops from '../../src/ops.ts';
import { tensor } from '../../src/tensor/create.ts';
import { values } from '../util/check.ts';
import { checkOp } from '../util/op-harness.ts';
import * as R from '../util/reference.ts';

beforeAll(async () => {
  await ready();
});

type Axes = number | number[] | undefined;
const SHAPE = [3, 4, 5];
const allAxes = (axis: Axes) => (axis === undefined ? SHAPE.map((_, i) => i) : (Array.isArray(axis) ? axis : [axis]).map((a) => (a < 0 ? a + SHAPE.length : a)));

const refs = {
  sum: (x: R.Arr, axes: number[], keep: boolean) => R.reduce(x, axes, (s, v) => s + v, 0, keep),
  mean: (x: R.Arr, axes: number[], keep: boolean) => {
    const n = axes.reduce((c, a) => c * x.shape[a], 1);
    return R.map(R.reduce(x, axes, (s, v) => s + v, 0, keep), (v) => v / n);
  },
  max: (x: R.Arr, axes: number[], keep: boolean) => R.reduce(x, axes, (m, v) => (v > m || Number.isNaN(v) ? v : m), -Infinity, keep),
  min: (x: R.Arr, axes: number[], keep: boolean) => R.reduce(x, axes, (m, v) => (v < m || Number.isNaN(v) ? v : m), Infinity, keep),
};

describe('sum, mean, max, min: forward and gradient', () => {
  const cases: [string, Axes, boolean][] = [
    ['axis 0', 0, false],
    ['axis 1', 1, false],
    ['axis 2', 2, false],
    ['axis -1, keepDims', -1, true],
    ['axes [0, 2]', [0, 2], false],
    ['axes [1, 2], keepDims', [1, 2], true],
    ['all', undefined, false],
    ['all, keepDims', undefined, true],
  ];
  for (const op of ['sum', 'mean', 'max', 'min'] as const) {
    for (const [label, axis, keep] of cases) {
      test(`${op} ${label}`, async () => {
        await checkOp({
          name: `${op} ${label}`,
          inputs: [{ shape: SHAPE }],
          gpu: ([x]) => {
            const y = ops[op](x, axis, keep);
            const axes = allAxes(axis);
            expect(y.shape).toEqual(keep ? SHAPE.map((d, i) => (axes.includes(i) ? 1 : d)) : SHAPE.filter((_, i) => !axes.includes(i)));
            return y;
          },
          ref: ([x]) => refs[op](x, allAxes(axis), keep),
        });
      });
    }
  }

  test('output shapes follow keepDims', () => {
    const x = tensor(new Float32Array(60), SHAPE);
    expect(ops.sum(x, 1).shape).toEqual([3, 5]);
    expect(ops.sum(x, [0, 2], true).shape).toEqual([1, 4, 1]);
    expect(ops.mean(x).shape).toEqual([]);
    expect(ops.max(x, undefined, true).shape).toEqual([1, 1, 1]);
  });

  test('a long axis (4,099 elements) is summed exactly enough', async () => {
    await checkOp({
      name: 'sum of 4099',
      inputs: [{ shape: [2, 4099] }],
      gpu: ([x]) => ops.sum(x, 1),
      ref: ([x]) => refs.sum(x, [1], false),
      tol: { atol: 1e-4, rtol: 1e-4 }, // 4,099 f32 additions of values in [-1, 1]
      noGrad: true,
    });
  });

  test('max and min send the gradient to the extremes, split evenly among ties', async () => {
    const x = tensor([1, 3, 3, 2, 5, -1, -1, 5], [2, 4]);
    x.requiresGrad = true;
    backward(ops.sum(ops.max(x, 1)));
    expect(Array.from(await x.grad!.data())).toEqual([0, 0.5, 0.5, 0, 0.5, 0, 0, 0.5]);
    x.grad = null;
    backward(ops.sum(ops.min(x, 1)));
    expect(Array.from(await x.grad!.data())).toEqual([1, 0, 0, 0, 0, 0.5, 0.5, 0]);
    x.grad = null;
    backward(ops.max(x)); // over everything: the two 5s share
    expect(Array.from(await x.grad!.data())).toEqual([0, 0, 0, 0, 0.5, 0, 0, 0.5]);
  });

  test('out-of-range axes and empty max name the problem', () => {
    const x = tensor(new Float32Array(60), SHAPE);
    expect(() => ops.sum(x, 3)).toThrow('sum: axis 3 is out of range for a tensor of rank 3');
    expect(() => ops.max(tensor(new Float32Array(0), [2, 0]), 1)).toThrow('max: cannot reduce an empty axis of [2,0]');
  });
});

describe('argmax and argmin', () => {
  const argRef = (x: R.Arr, axis: number, better: (a: number, b: number) => boolean) => {
    const outer = R.size(x.shape.slice(0, axis));
    const len = x.shape[axis];
    const inner = R.size(x.shape.slice(axis + 1));
    const out: number[] = [];
    for (let o = 0; o < outer; o++)
      for (let i = 0; i < inner; i++) {
        let best = 0;
        for (let k = 1; k < len; k++) if (better(x.data[(o * len + k) * inner + i], x.data[(o * len + best) * inner + i])) best = k;
        out.push(best);
      }
    return out;
  };
  for (const axis of [0, 1, 2]) {
    test(`along axis ${axis} of [3,4,5]`, async () => {
      const x = R.arr(values(60, 11 + axis), SHAPE);
      const t = tensor(Float32Array.from(x.data), SHAPE);
      expect(Array.from(await ops.argmax(t, axis).data())).toEqual(argRef(x, axis, (a, b) => a > b));
      expect(Array.from(await ops.argmin(t, axis).data())).toEqual(argRef(x, axis, (a, b) => a < b));
      expect(ops.argmax(t, axis).shape).toEqual(SHAPE.filter((_, i) => i !== axis));
    });
  }

  // Both strategies of reduce.wgsl: one invocation walking the axis, and (past
  // SERIAL_MAX_LEN) a 64-wide workgroup tree, where a tie spans invocations.
  for (const len of [70, 4 * SERIAL_MAX_LEN]) {
    test(`ties give the first index (as NumPy); default axis is the last (${len} per row)`, async () => {
      const row = new Float32Array(len).fill(0);
      row[len - 4] = 7;
      row[3] = 7;
      row[len - 5] = -2;
      row[5] = -2;
      const x = tensor(row, [1, len]);
      expect(Array.from(await ops.argmax(x).data())).toEqual([3]);
      expect(Array.from(await ops.argmin(x).data())).toEqual([5]);
      expect(Array.from(await ops.max(x, 1).data())).toEqual([7]);
      expect(Array.from(await ops.min(x, 1).data())).toEqual([-2]);
    });

    test(`NaN is the extreme (its first index), as NumPy (${len} per row)`, async () => {
      const row = new Float32Array(len).fill(1);
      row[len - 2] = NaN;
      row[len - 9] = NaN;
      const x = tensor(row, [len]);
      expect(Array.from(await ops.argmax(x).data())).toEqual([len - 9]);
      expect(Array.from(await ops.argmin(x).data())).toEqual([len - 9]);
      expect(Number.isNaN((await ops.max(x).data())[0])).toBe(true);
    });
  }

  test('ties and NaN on short rows; a constant row gives index 0', async () => {
    expect(Array.from(await ops.argmax(tensor([2, 2, 2])).data())).toEqual([0]);
    const x = tensor([1, NaN, 3, NaN, -1], [5]);
    expect(Array.from(await ops.argmax(x).data())).toEqual([1]);
    expect(Array.from(await ops.argmin(x).data())).toEqual([1]);
  });
});

describe('special values and large outputs', () => {
  test('NaN propagates through sum, mean, max and min; Infinity is ordinary', async () => {
    const x = tensor([1, NaN, 3, 4, 5, 6, -Infinity, 2, Infinity], [3, 3]);
    for (const op of ['sum', 'mean', 'max', 'min'] as const) {
      const y = Array.from(await ops[op](x, 1).data());
      expect(Number.isNaN(y[0]), `${op} of a row with NaN`).toBe(true);
      expect(Number.isNaN(y[1]), `${op} of a finite row`).toBe(false);
    }
    expect(Array.from(await ops.max(x, 1).data()).slice(1)).toEqual([6, Infinity]);
    expect(Array.from(await ops.min(x, 1).data()).slice(1)).toEqual([4, -Infinity]);
    expect(Number.isNaN((await ops.sum(x, 1).data())[2])).toBe(true); // -inf + inf
  });

  test('65,600 outputs of a short axis are right at both ends', async () => {
    // One invocation per output (the serial strategy). The 2-D grids of both strategies
    // are in tests/reliability/large-grids.node.test.ts.
    const rows = 65_600;
    const data = new Float32Array(rows * 3);
    for (let r = 0; r < rows; r++) data.set([r % 97, 1, -(r % 13)], r * 3);
    const s = await ops.sum(tensor(data, [rows, 3]), 1).data();
    expect(s.length).toBe(rows);
    for (const r of [0, 1, 65_534, 65_535, 65_536, rows - 2, rows - 1]) {
      expect(s[r], `row ${r}`).toBe((r % 97) + 1 - (r % 13));
    }
  });
});
