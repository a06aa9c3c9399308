// Gathering rows of a tensor on the GPU by a row order (kernels/wgsl/gather.wgsl): how fit,
// evaluate and predict make a batch from a dataset uploaded once (nn/model/data-feed.ts), uint8
// images converted to float32 (times the tensor's scale) on the way. Not recorded. The row
// offset is per-step data (src/fast/capture.ts): a replayed step reads its cursor's `start`.
// Float64 reference: tests/util/reference.ts gatherRows.

import { kernelCode } from '../kernels/kernel-code.ts';
import gatherWgsl from '../kernels/wgsl/gather.wgsl?raw';
import { grid, params, rt } from '../kernels/runtime.ts';
import { sizeOf } from './shape.ts';
import { emptyTensor, type Tensor } from './tensor.ts';

const CODE = kernelCode(gatherWgsl);

/** Where a loop's next batch starts in its row order; the loop moves `start` each step. */
export interface RowCursor {
  order: Tensor;
  start: number;
}

/** Rows order[start .. start+count) of `data` as a float32 batch. */
export function gatherRows(data: Tensor, order: Tensor, start: number, count: number): Tensor {
  return gatherBatch(data, { order, start }, count);
}

/** The `count` rows at the cursor; a captured step re-reads `cursor.start` at each replay. */
export function gatherBatch(data: Tensor, cursor: RowCursor, count: number): Tensor {
  const { order, start } = cursor;
  const rowSize = sizeOf(data.shape.slice(1));
  const out = emptyTensor([count, ...data.shape.slice(1)]);
  if (!out.size) return out;
  if (start + count > order.size) throw new RangeError(`gatherRows: rows ${start}..${start + count} exceed ${order.size}`);
  const r = rt();
  const entry = data.dtype !== 'uint8' ? 'gather_f32' : rowSize % 4 ? 'gather_u8' : 'gather_u8x4';
  r.dispatch(
    { label: `gather:${entry.slice(7)}`, code: CODE, entry },
    [r.stepUniform(() => params([count, rowSize, cursor.start], [data.scale])), order.buffer, data.buffer, out.buffer],
    grid(entry === 'gather_u8x4' ? out.size / 4 : out.size, 256),
  );
  return out;
}
