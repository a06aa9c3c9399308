// Reductions: sum, mean, max, min over any axes (or all), argmax/argmin, and sumTo (the
// gradient of broadcasting). Each axis is one pass of wgsl/reduce.wgsl; a multi-axis
// reduction is recorded on the tape as one op (the kernel: reduce-kernel.ts). Float64
// reference: tests/util/reference.ts reduce.

import { normAxis, type Shape } from '../tensor/shape.ts';
import type { Tensor } from '../tensor/tensor.ts';
import { div, equal, mul } from './elementwise.ts';
import { broadcastTo, reshape } from './layout.ts';
import { broadcastAxes, reduceAll, reduced } from './reduce-kernel.ts';
import type { Rules } from './registry-types.ts';
import { record } from './tape.ts';

export { SERIAL_MAX_LEN } from './reduce-kernel.ts';

function axesOf(op: string, x: Tensor, axis?: number | number[]): number[] {
  if (axis === undefined) return x.shape.map((_, i) => i);
  const list = (Array.isArray(axis) ? axis : [axis]).map((a) => normAxis(op, a, x.rank));
  return [...new Set(list)].sort((a, b) => a - b);
}

export function sum(x: Tensor, axis?: number | number[], keepDims = false): Tensor {
  const axes = axesOf('sum', x, axis);
  return record('sum', [x], reduceAll('sum', x, axes, keepDims, 1), { axes });
}

export function mean(x: Tensor, axis?: number | number[], keepDims = false): Tensor {
  const axes = axesOf('mean', x, axis);
  const count = axes.reduce((n, a) => n * x.shape[a], 1);
  return record('sum', [x], reduceAll('sum', x, axes, keepDims, 1 / count), { axes, scale: 1 / count });
}

export function max(x: Tensor, axis?: number | number[], keepDims = false): Tensor {
  const axes = axesOf('max', x, axis);
  return record('max', [x], reduceAll('max', x, axes, keepDims, 1), { axes });
}

export function min(x: Tensor, axis?: number | number[], keepDims = false): Tensor {
  const axes = axesOf('min', x, axis);
  return record('max', [x], reduceAll('min', x, axes, keepDims, 1), { axes });
}

/** Index of the largest value along `axis` (default: last), as float32. Ties: first. */
export function argmax(x: Tensor, axis = -1): Tensor {
  const a = normAxis('argmax', axis, x.rank);
  return reduceAll('argmax', x, [a], false, 1);
}

export function argmin(x: Tensor, axis = -1): Tensor {
  const a = normAxis('argmin', axis, x.rank);
  return reduceAll('argmin', x, [a], false, 1);
}

/** Sums `dy` down to `shape` (undoing NumPy broadcasting): the gradient of a broadcast. */
export function sumTo(dy: Tensor, shape: Shape): Tensor {
  if (dy.shape.length === shape.length && dy.shape.every((d, i) => d === shape[i])) return dy;
  return reshape(sum(dy, broadcastAxes(dy.shape, shape), true), shape);
}

export const reduceRules: Rules<'sum' | 'max'> = {
  sum: (dy, n) => {
    const x = n.inputs[0];
    const kept = reshape(dy, reduced(x, n.attrs.axes, true));
    const g = broadcastTo(kept, x.shape);
    return [n.attrs.scale === undefined ? g : mul(g, n.attrs.scale)];
  },
  // max and min: the gradient goes to the extreme elements, split evenly among ties (as TF).
  max: (dy, n) => {
    const x = n.inputs[0];
    const keep = reduced(x, n.attrs.axes, true);
    const mask = equal(x, reshape(n.output, keep));
    const count = sum(mask, n.attrs.axes, true);
    return [mul(mask, div(reshape(dy, keep), count))];
  },
};
