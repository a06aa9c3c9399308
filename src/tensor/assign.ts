// In-place writes into an existing tensor, whole (assign) or a run of rows (assignRows) (a layer's weight keeps its identity, so layers
// that share it, and the optimizer's slots keyed by it, stay valid). A GPU-side copy
// recorded in the open command encoder, ordered with every dispatch around it.

import { rt } from '../kernels/runtime.ts';
import { sameShape, shapeStr, sizeOf } from './shape.ts';
import type { Tensor } from './tensor.ts';

export function assign(dst: Tensor, src: Tensor): void {
  if (!sameShape(dst.shape, src.shape) || dst.dtype !== src.dtype) {
    throw new RangeError(`assign: cannot write ${src.describe()} into ${dst.describe()} (expected ${shapeStr(dst.shape)})`);
  }
  if (dst.size && dst.buffer !== src.buffer) rt().copy(src.buffer, dst.buffer, dst.size * 4);
}

/** Writes `src` into rows row .. row + src.shape[0] of `dst` (predict's output, a batch at a time). */
export function assignRows(dst: Tensor, src: Tensor, row: number): void {
  assignRowsAt(dst, src, { start: row });
}

/** assignRows at a cursor's row, which a captured step re-reads at each replay (src/fast/capture.ts). */
export function assignRowsAt(dst: Tensor, src: Tensor, cursor: { readonly start: number }): void {
  const row = cursor.start;
  const fits = sameShape(dst.shape.slice(1), src.shape.slice(1)) && dst.dtype === src.dtype;
  if (!fits || row < 0 || row + (src.shape[0] ?? 1) > (dst.shape[0] ?? 1) || src.rank === 0) {
    throw new RangeError(`assignRows: cannot write ${src.describe()} into ${dst.describe()} at row ${row}`);
  }
  const rowBytes = sizeOf(dst.shape.slice(1)) * 4;
  if (src.size) rt().copy(src.buffer, dst.buffer, src.size * 4, 0, () => cursor.start * rowBytes);
}
