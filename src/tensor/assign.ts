// In-place writes into an existing tensor (a layer's weight keeps its identity, so layers
// that share it, and the optimizer's slots keyed by it, stay valid). A GPU-side copy
// recorded in the open command encoder, ordered with every dispatch around it.

import { rt } from '../kernels/runtime.ts';
import { sameShape, shapeStr } from './shape.ts';
import type { Tensor } from './tensor.ts';

export function assign(dst: Tensor, src: Tensor): void {
  if (!sameShape(dst.shape, src.shape) || dst.dtype !== src.dtype) {
    throw new RangeError(`assign: cannot write ${src.describe()} into ${dst.describe()} (expected ${shapeStr(dst.shape)})`);
  }
  if (dst.size && dst.buffer !== src.buffer) rt().copy(src.buffer, dst.buffer, dst.size * 4);
}
