// Activations by name (Keras spellings) or as functions. The elementwise ones can be fused
// into Dense's matmul epilogue; softmax is a row op applied after it.

import { ACTIVATIONS, type Activation } from '../autograd/op-names.ts';
import { unary } from '../autograd/elementwise.ts';
import { softmax as softmaxOp } from '../autograd/softmax.ts';
import type { Tensor } from '../tensor/tensor.ts';
import { lookup } from '../lookup.ts';

export type ActivationName = Activation | 'softmax';
export type ActivationFn = (x: Tensor) => Tensor;
export type ActivationSpec = ActivationName | ActivationFn | null | undefined;

const table: Record<ActivationName, ActivationName> = Object.fromEntries(
  [...ACTIVATIONS, 'softmax'].map((a) => [a, a]),
) as Record<ActivationName, ActivationName>;

/** The canonical activation name (throws for unknown names, listing the valid ones). */
export function activationName(spec: string | null | undefined): ActivationName {
  return spec == null ? 'linear' : lookup('activation', spec, table);
}

export function isFusable(a: ActivationName): a is Activation {
  return a !== 'softmax';
}

/** Applies an activation by name. */
export function activate(a: ActivationName, x: Tensor): Tensor {
  if (a === 'softmax') return softmaxOp(x);
  return a === 'linear' ? x : unary(a, x);
}

/** The activations as functions (`activations.selu(x)`), like keras.activations. */
export const activations: Record<ActivationName, ActivationFn> = Object.fromEntries(
  (Object.keys(table) as ActivationName[]).map((a) => [a, (x: Tensor) => activate(a, x)]),
) as Record<ActivationName, ActivationFn>;
