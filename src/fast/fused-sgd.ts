// Plain SGD applied inside the backward pass. When fit trains with plain SGD (no momentum,
// no clipping), a Dense layer's weight-gradient product can write the updated weight and
// bias instead of their gradients (the dense-backward-with-SGD kernel, kernels/wgsl/
// fused-sgd-io.wgsl): the optimizer's two update dispatches, and the gradients' round trip
// through memory, disappear. Keras semantics stay only if nothing reads the weight after
// its update, so planFusedSgd checks that on the tape before backward runs: a weight and its
// bias qualify when each feeds exactly one node, the same dense node, whose rule reads the
// weight (for dx) before it dispatches the update. Any other trained tensor (shared by two
// layers, read by a regularizer's penalty, ...) gets its .grad and the optimizer as usual.
// Read next: backward-plan.ts (the dense rule that calls denseSgd), nn/model/training.ts (fit's step).

import fusedSgdIoWgsl from './fused-sgd-io.wgsl?raw';
import sgdRuleWgsl from './sgd-rule.wgsl?raw';
import { productShape } from '../autograd/matmul.ts';
import { tapeReaders } from '../autograd/tape.ts';
import { MATMUL_PARAMS_WGSL, runMatmul } from '../kernels/matmul-kernels.ts';
import { STEP_STRUCT } from '../kernels/optim-step.ts';
import { shapeStr } from '../tensor/shape.ts';
import type { Tensor } from '../tensor/tensor.ts';

/** fused-sgd-io.wgsl with what it calls (the Step scalars and sgd_rule): the interface the matmul kernels read here. */
const DENSE_SGD_IO = `alias V = f32;\n${STEP_STRUCT}${sgdRuleWgsl}${MATMUL_PARAMS_WGSL}${fusedSgdIoWgsl}`;

/** What backward applies itself: plain SGD with `scalars` to each weight → bias pair. */
export interface FusedSgd {
  /** This step's scalars (kernels/optim-step.ts's layout), from Optimizer.plainSgdScalars. */
  scalars: Tensor;
  /** Each weight that backward updates, with its bias (updated by the same dispatch). */
  pairs: Map<Tensor, Tensor>;
}

/** The weight → bias pairs among `trained` whose only reader on loss's tape is one dense node. */
export function planFusedSgd(loss: Tensor, trained: ReadonlySet<Tensor>, scalars: Tensor): FusedSgd {
  const readers = tapeReaders(loss);
  const pairs = new Map<Tensor, Tensor>();
  for (const w of trained) {
    const [node, ...others] = readers.get(w) ?? [];
    if (!node || others.length || node.op !== 'dense' || node.inputs[1] !== w) continue;
    const b = node.inputs[2];
    if (b && trained.has(b) && readers.get(b)?.length === 1 && w.requiresGrad && b.requiresGrad) pairs.set(w, b);
  }
  return { scalars, pairs };
}

/**
 * Plain SGD on a Dense layer's weight w and bias b from their gradients xᵀ·dz and the
 * column sums of dz, which are never stored (the dense-backward-with-SGD kernel,
 * fused-sgd-io.wgsl; `scalars` laid out by kernels/optim-step.ts). Backward only.
 */
export function denseSgd(x: Tensor, dz: Tensor, w: Tensor, b: Tensor, scalars: Tensor): void {
  const [M, K, N] = productShape('denseSgd', x, dz, true, false);
  if (w.rank !== 2 || w.shape[0] !== M || w.shape[1] !== N || b.rank !== 1 || b.shape[0] !== N) {
    throw new RangeError(`denseSgd: weight ${shapeStr(w.shape)} and bias ${shapeStr(b.shape)} do not fit ${shapeStr(x.shape)}ᵀ x ${shapeStr(dz.shape)}`);
  }
  if (M && N) runMatmul('dense-sgd', DENSE_SGD_IO, [M, N, K], [x.buffer, dz.buffer, w.buffer, b.buffer, scalars.buffer], undefined, M + 1);
}
