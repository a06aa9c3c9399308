// Activations by name (Keras spellings) or as functions. The elementwise ones whose
// derivative follows from the output can be fused into Dense's matmul epilogue; gelu and
// silu (alias swish) and the row op softmax are applied after it.

import { ACTIVATIONS, type Activation, INPUT_ACTIVATIONS } from '../../kernels/op-names.ts';
import { unary } from '../../autograd/elementwise.ts';
import { softmax as softmaxOp } from '../../autograd/softmax.ts';
import type { Tensor } from '../../tensor/tensor.ts';
import { lookup } from '../../lookup.ts';

export type ActivationName = Activation | (typeof INPUT_ACTIVATIONS)[number] | 'softmax';
export type ActivationFn = (x: Tensor) => Tensor;
export type ActivationSpec = ActivationName | ActivationFn | null | undefined;

const NAMES: readonly ActivationName[] = [...ACTIVATIONS, ...INPUT_ACTIVATIONS, 'softmax'];
/** Keras's names, with its alias swish = silu (keras.activations.ALL_OBJECTS_DICT). */
const table: Record<string, ActivationName> = { ...Object.fromEntries(NAMES.map((a) => [a, a])), swish: 'silu' };

/** The canonical activation name (throws for unknown names, listing the valid ones). */
export function activationName(spec: string | null | undefined): ActivationName {
  return spec == null ? 'linear' : lookup('activation', spec, table);
}

export function isFusable(a: ActivationName): a is Activation {
  return (ACTIVATIONS as readonly string[]).includes(a);
}

/** Applies an activation by name. */
export function activate(a: ActivationName, x: Tensor): Tensor {
  if (a === 'softmax') return softmaxOp(x);
  return a === 'linear' ? x : unary(a, x);
}

/** The activations as functions (`activations.selu(x)`), like keras.activations. */
export const activations: Record<ActivationName, ActivationFn> = Object.fromEntries(
  NAMES.map((a) => [a, (x: Tensor) => activate(a, x)]),
) as Record<ActivationName, ActivationFn>;
