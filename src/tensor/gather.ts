// Gathering rows of a tensor on the GPU by a row order (kernels/wgsl/gather.wgsl): how fit,
// evaluate and predict make a batch from a dataset uploaded once (nn/data-feed.ts), uint8
// images converted to float32 (times the tensor's scale) on the way. Not recorded.

import gatherWgsl from '../kernels/wgsl/gather.wgsl?raw';
import { grid, params, rt } from '../kernels/runtime.ts';
import { sizeOf } from './shape.ts';
import { emptyTensor, type Tensor } from './tensor.ts';

/** Rows order[start .. start+count) of `data` as a float32 batch. */
export function gatherRows(data: Tensor, order: Tensor, start: number, count: number): Tensor {
  const rowSize = sizeOf(data.shape.slice(1));
  const out = emptyTensor([count, ...data.shape.slice(1)]);
  if (!out.size) return out;
  if (start + count > order.size) throw new RangeError(`gatherRows: rows ${start}..${start + count} exceed ${order.size}`);
  const r = rt();
  const entry = data.dtype !== 'uint8' ? 'gather_f32' : rowSize % 4 ? 'gather_u8' : 'gather_u8x4';
  r.dispatch(
    { label: `gather:${entry.slice(7)}`, code: gatherWgsl, entry },
    [r.uniform(params([count, rowSize, start], [data.scale])), order.buffer, data.buffer, out.buffer],
    grid(entry === 'gather_u8x4' ? out.size / 4 : out.size, 256),
  );
  return out;
}
