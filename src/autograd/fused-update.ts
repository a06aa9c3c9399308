// Optimizer steps applied inside the backward pass. When fit trains with plain SGD (no
// momentum, no clipping), a Dense layer's weight-gradient product can write the updated
// weights directly instead of the gradients (matmul-io.wgsl's UPDATE): the optimizer's own
// update dispatch, and the gradient's round trip through memory, disappear. Keras
// semantics stay: every update in the step still uses gradients of the same weights,
// because a layer's backward computes dx from its weights before it updates them, and no
// other op reads them after. fit marks the weights that qualify (trainStep); the `dense`
// backward rule asks here. Outside fit nothing is marked and backward fills .grad as usual.

import type { Tensor } from '../tensor/tensor.ts';

/** The marked weights, each with its step's optimizer scalars (optim/kernels.ts uploadStep). */
const marked = new WeakMap<Tensor, Tensor>();

/** Lets backward apply plain SGD to `weights` with these step scalars, until unmarked. */
export function markFusedUpdate(weights: readonly Tensor[], scalars: Tensor): void {
  for (const w of weights) marked.set(w, scalars);
}

export function unmarkFusedUpdate(weights: readonly Tensor[]): void {
  for (const w of weights) marked.delete(w);
}

/** The step scalars when backward should update `w` in place instead of filling w.grad. */
export function fusedUpdateOf(w: Tensor): Tensor | null {
  return marked.get(w) ?? null;
}
