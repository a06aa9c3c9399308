// concat (wgsl/concat.wgsl) and the merge layers built on it and on the elementwise ops:
// forward against a float64 reference, gradients against finite differences of it.
import { beforeAll, describe, expect, test } from 'vitest';
import { ready } from '../../src/kernels/device.ts';
import { Add, Average, Concatenate, type Layer, Maximum, Minimum, Multiply, Subtract } from '../../src/index.ts';
import { concat } from '../../src/ops.ts';
import { tensor } from '../../src/tensor/create.ts';
import { checkOp } from '../util/op-harness.ts';
import * as R from '../util/reference.ts';

beforeAll(async () => {
  await ready();
});

describe('concat', () => {
  const cases: [number[][], number][] = [
    [[[3, 4], [3, 2]], -1],
    [[[2, 3, 4], [2, 1, 4], [2, 2, 4]], 1],
    [[[2, 3], [4, 3]], 0],
    [[[2, 2, 3], [2, 2, 5]], 2],
  ];
  for (const [shapes, axis] of cases) {
    test(`${JSON.stringify(shapes)} along axis ${axis}`, async () => {
      await checkOp({
        name: 'concat',
        inputs: shapes.map((shape) => ({ shape })),
        gpu: (ts) => concat(ts, axis),
        ref: (xs) => R.concat(xs, axis),
      });
    });
  }

  test('shapes that differ off the axis are a named error', () => {
    expect(() => concat([tensor([1, 2, 3, 4], [2, 2]), tensor([1, 2, 3], [3, 1])], -1)).toThrow(/shapes must match except along axis -1, got \[2,2\], \[3,1\]/);
  });
});

describe('merge layers (Keras semantics): forward and finite-difference gradients', () => {
  const elementwise: [string, () => Layer, (xs: number[]) => number, number][] = [
    ['Add', () => new Add(), (v) => v.reduce((a, b) => a + b), 3],
    ['Subtract', () => new Subtract(), (v) => v[0] - v[1], 2],
    ['Multiply', () => new Multiply(), (v) => v.reduce((a, b) => a * b), 3],
    ['Average', () => new Average(), (v) => v.reduce((a, b) => a + b) / v.length, 3],
    ['Maximum', () => new Maximum(), (v) => Math.max(...v), 3],
    ['Minimum', () => new Minimum(), (v) => Math.min(...v), 3],
  ];
  for (const [name, make, f, count] of elementwise) {
    test(`${name} of ${count} inputs [4, 5] (one broadcast along a size-1 dim)`, async () => {
      const shapes = Array.from({ length: count }, (_, i) => (i === 1 ? [4, 1] : [4, 5]));
      const layer = make();
      await checkOp({
        name,
        inputs: shapes.map((shape) => ({ shape, lo: -2, hi: 2 })),
        gpu: (ts) => layer.applyInputs(ts, false),
        ref: (xs) => {
          // Each input broadcast to the output's shape, then f across them per element.
          const shape = xs.map((x) => x.shape).reduce(R.broadcastShape);
          const full = R.arr(new Float64Array(R.size(shape)), shape);
          const wide = xs.map((x) => R.zip(x, full, (a) => a));
          return { data: full.data.map((_, i) => f(wide.map((w) => w.data[i]))), shape };
        },
      });
    });
  }

  test('Concatenate along the last feature axis and along an inner one', async () => {
    await checkOp({
      name: 'Concatenate(axis=-1)',
      inputs: [{ shape: [3, 4] }, { shape: [3, 2] }],
      gpu: (ts) => new Concatenate().applyInputs(ts, false),
      ref: (xs) => R.concat(xs, 1),
    });
    await checkOp({
      name: 'Concatenate(axis=1)',
      inputs: [{ shape: [2, 3, 2] }, { shape: [2, 1, 2] }],
      gpu: (ts) => new Concatenate({ axis: 1 }).applyInputs(ts, false),
      ref: (xs) => R.concat(xs, 1),
    });
  });
});
