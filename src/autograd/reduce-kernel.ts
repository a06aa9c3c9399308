// The reduction kernel (wgsl/reduce.wgsl) and the one reduction backward rules of other
// families need, sumToShape (the gradient of a broadcast): below elementwise.ts, layout.ts
// and reduce.ts, so those import it without importing each other in a cycle. Not
// recorded on the tape. Op ids: kernels/op-names.ts. Float64 reference: tests/util/reference.ts
// reduce. Read next: reduce.ts (the recorded ops: sum, mean, max, ...).

import { kernelCode } from '../kernels/kernel-code.ts';
import { opId, type ReduceOp, wgslIds } from '../kernels/op-names.ts';
import reduceWgsl from '../kernels/wgsl/reduce.wgsl?raw';
import { grid, params, rt } from '../kernels/runtime.ts';
import { type Shape, shapeStr, sizeOf } from '../tensor/shape.ts';
import { emptyTensor, type Tensor } from '../tensor/tensor.ts';

const REDUCE_CODE = kernelCode(wgslIds('REDUCE'), reduceWgsl);
/** Longest axis one invocation walks alone (measured on lavapipe: a bias gradient over a
 * batch of 32 went from ~300 to ~30 µs); longer axes get a workgroup each. */
export const SERIAL_MAX_LEN = 256;

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
      { label: `reduce:${op}`, code: REDUCE_CODE, entry: serial ? 'serial' : 'main', constants: { OP: opId('REDUCE', op) } },
      [r.uniform(params([outer, len, inner], [scale])), x.buffer, out.buffer],
      serial ? grid(n, 64) : grid(n, 1),
    );
  }
  return out;
}

/** x's shape with `axes` reduced away (or kept as size 1). */
export function reduced(x: Tensor, axes: number[], keepDims: boolean): number[] {
  return keepDims ? x.shape.map((d, i) => (axes.includes(i) ? 1 : d)) : x.shape.filter((_, i) => !axes.includes(i));
}

/** `op` over `axes` by one dispatch per axis; not recorded (the ops in reduce.ts record). */
export function reduceAll(op: ReduceOp, x: Tensor, axes: number[], keepDims: boolean, scale: number): Tensor {
  let cur = x;
  for (const a of axes) {
    // The scale (mean = sum * 1/count) goes on the last pass: it is the one that always
    // writes the output, even when an earlier axis holds no elements.
    const next = reduceAxis(op, cur, a, a === axes[axes.length - 1] ? scale : 1);
    if (cur !== x) cur.dispose();
    cur = next;
  }
  if (cur === x) return x.view(reduced(x, axes, keepDims)); // no axes: a copy-free view
  const out = cur.view(reduced(x, axes, keepDims));
  cur.dispose();
  return out;
}

/** The axes of `from` that NumPy broadcasting added or stretched to reach it from `to`. */
export function broadcastAxes(from: Shape, to: Shape): number[] {
  const lead = from.length - to.length;
  return from.map((_, i) => i).filter((i) => i < lead || (to[i - lead] === 1 && from[i] !== 1));
}

/** Sums `dy` down to `shape` (undoing broadcasting), unrecorded: for backward rules. */
export function sumToShape(dy: Tensor, shape: Shape): Tensor {
  if (dy.shape.length === shape.length && dy.shape.every((d, i) => d === shape[i])) return dy;
  return reduceAll('sum', dy, broadcastAxes(dy.shape, shape), true, 1).view(shape);
}
