// Reductions: sum, mean, max, min over any axes (or all), argmax/argmin, and sumTo (the
// gradient of broadcasting). Each axis is one pass of wgsl/reduce.wgsl; a multi-axis
// reduction is recorded on the tape as one op.

import nanWgsl from '../kernels/wgsl/nan.wgsl?raw';
import reduceWgsl from '../kernels/wgsl/reduce.wgsl?raw';
import { grid, params, rt } from '../kernels/runtime.ts';
import { normAxis, type Shape, shapeStr, sizeOf } from '../tensor/shape.ts';
import { emptyTensor, type Tensor } from '../tensor/tensor.ts';
import { div, equal, mul } from './elementwise.ts';
import { broadcastTo, reshape } from './layout.ts';
import type { Rules } from './registry-types.ts';
import { noGrad, record } from './tape.ts';

const REDUCE_CODE = nanWgsl + reduceWgsl;
/** Longest axis one invocation walks alone (measured on lavapipe: a bias gradient over a
 * batch of 32 went from ~300 to ~30 µs); longer axes get a workgroup each. */
export const SERIAL_MAX_LEN = 256;
const REDUCE_OPS = { sum: 0, max: 1, min: 2, argmax: 3, argmin: 4 } as const;
type ReduceOp = keyof typeof REDUCE_OPS;

/** One axis, keeping it as size 1. Not recorded (callers record). */
function reduceAxis(op: ReduceOp, x: Tensor, axis: number, scale = 1): Tensor {
  const outer = sizeOf(x.shape.slice(0, axis));
  const len = x.shape[axis];
  const inner = sizeOf(x.shape.slice(axis + 1));
  const shape = x.shape.map((d, i) => (i === axis ? 1 : d));
  if (len === 0 && op !== 'sum') throw new RangeError(`${op}: cannot reduce an empty axis of ${shapeStr(x.shape)}`);
  const out = emptyTensor(shape);
  const n = outer * inner;
  if (n) {
    const r = rt();
    // A walk per output for short axes, a workgroup tree per output for long ones (reduce.wgsl).
    const serial = len <= SERIAL_MAX_LEN;
    r.dispatch(
      { label: `reduce:${op}`, code: REDUCE_CODE, entry: serial ? 'serial' : 'main', constants: { OP: REDUCE_OPS[op] } },
      [r.uniform(params([outer, len, inner], [scale])), x.buffer, out.buffer],
      serial ? grid(n, 64) : grid(n, 1),
    );
  }
  return out;
}

function axesOf(op: string, x: Tensor, axis?: number | number[]): number[] {
  if (axis === undefined) return x.shape.map((_, i) => i);
  const list = (Array.isArray(axis) ? axis : [axis]).map((a) => normAxis(op, a, x.rank));
  return [...new Set(list)].sort((a, b) => a - b);
}

function reduced(x: Tensor, axes: number[], keepDims: boolean): number[] {
  return keepDims ? x.shape.map((d, i) => (axes.includes(i) ? 1 : d)) : x.shape.filter((_, i) => !axes.includes(i));
}

function reduceAll(op: ReduceOp, x: Tensor, axes: number[], keepDims: boolean, scale: number): Tensor {
  return noGrad(() => {
    let cur = x;
    for (const a of axes) {
      // The scale (mean = sum * 1/count) goes on the last pass: it is the one that always
      // writes the output, even when an earlier axis holds no elements.
      const next = reduceAxis(op, cur, a, a === axes[axes.length - 1] ? scale : 1);
      if (cur !== x) cur.dispose();
      cur = next;
    }
    if (cur === x) cur = reshape(x, x.shape); // no axes: a copy-free view
    const shape = reduced(x, axes, keepDims);
    const out = reshape(cur, shape);
    if (out !== cur) cur.dispose();
    return out;
  });
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
  const lead = dy.rank - shape.length;
  const axes = dy.shape.map((_, i) => i).filter((i) => i < lead || (shape[i - lead] === 1 && dy.shape[i] !== 1));
  return reshape(sum(dy, axes, true), shape);
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
