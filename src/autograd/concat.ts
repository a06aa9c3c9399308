// concat: tensors joined along one axis (Keras's Concatenate layer, np.concatenate). Each
// part is one copy into its columns of the output (wgsl/concat.wgsl); the backward rule
// copies each part's columns of the gradient back out. Float64 reference:
// tests/util/reference.ts concat.

import { kernelCode } from '../kernels/kernel-code.ts';
import concatWgsl from '../kernels/wgsl/concat.wgsl?raw';
import { grid, params, rt } from '../kernels/runtime.ts';
import { normAxis, shapeStr, sizeOf } from '../tensor/shape.ts';
import { emptyTensor, type Tensor } from '../tensor/tensor.ts';
import type { Rules } from './registry-types.ts';
import { record } from './tape.ts';

const CODE = kernelCode(concatWgsl);

/** The output shape of joining `shapes` along `axis` (every other dim must agree). */
export function concatShape(op: string, shapes: readonly (readonly number[])[], axis: number): number[] {
  const rank = shapes[0].length;
  const a = normAxis(op, axis, rank);
  const bad = shapes.find((s) => s.length !== rank || s.some((d, i) => i !== a && d !== shapes[0][i]));
  if (bad) {
    throw new RangeError(`${op}: shapes must match except along axis ${axis}, got ${shapes.map((s) => shapeStr(s)).join(', ')}`);
  }
  const out = [...shapes[0]];
  out[a] = shapes.reduce((n, s) => n + s[a], 0);
  return out;
}

/** One part's copy: `part` [outer, width] to or from columns [offset, offset + width) of `whole` [outer, total]. */
function copyPart(slice: boolean, part: Tensor, whole: Tensor, width: number, total: number, offset: number): void {
  if (!part.size) return;
  const r = rt();
  const [src, dst] = slice ? [whole, part] : [part, whole];
  r.dispatch(
    { label: slice ? 'concatSlice' : 'concat', code: CODE, constants: { SLICE: Number(slice) } },
    [r.uniform(params([part.size, width, total, offset])), src.buffer, dst.buffer],
    grid(part.size, 256),
  );
}

/** The column width of each part once the axis and the dims after it are folded together. */
function widths(shapes: readonly (readonly number[])[], axis: number): number[] {
  return shapes.map((s) => sizeOf(s.slice(axis)));
}

/** Joins `xs` along `axis` (negative counts from the end). */
export function concat(xs: Tensor[], axis: number): Tensor {
  if (xs.length === 0) throw new RangeError('concat: needs at least one tensor');
  const shape = concatShape('concat', xs.map((x) => x.shape), axis);
  const a = normAxis('concat', axis, shape.length);
  const out = emptyTensor(shape);
  const w = widths(xs.map((x) => x.shape), a);
  const total = w.reduce((n, v) => n + v, 0);
  let offset = 0;
  xs.forEach((x, i) => {
    copyPart(false, x, out, w[i], total, offset);
    offset += w[i];
  });
  return record('concat', xs, out, { axis: a });
}

export const concatRules: Rules<'concat'> = {
  concat: (dy, n) => {
    const w = widths(n.inputs.map((x) => x.shape), n.attrs.axis);
    const total = w.reduce((s, v) => s + v, 0);
    let offset = 0;
    return n.inputs.map((x, i) => {
      const dx = emptyTensor(x.shape);
      copyPart(true, dx, dy, w[i], total, offset);
      offset += w[i];
      return dx;
    });
  },
};
