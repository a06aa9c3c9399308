// Plain SGD applied inside the backward pass. When fit trains with plain SGD (no momentum,
// no clipping), a Dense layer's weight-gradient product can write the updated weight and
// bias instead of their gradients (the dense-backward-with-SGD kernel, kernels/wgsl/
// dense-sgd-io.wgsl): the optimizer's two update dispatches, and the gradients' round trip
// through memory, disappear. Keras semantics stay only if nothing reads the weight after
// its update, so planFusedSgd checks that on the tape before backward runs: a weight and its
// bias qualify when each feeds exactly one node, the same dense node, whose rule reads the
// weight (for dx) before it dispatches the update. Any other trained tensor (shared by two
// layers, read by a regularizer's penalty, ...) gets its .grad and the optimizer as usual.
// Read next: matmul.ts (the dense rule, denseSgd), nn/training.ts (trainStep plans it).

import type { Tensor } from '../tensor/tensor.ts';
import { tapeReaders } from './tape.ts';

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
