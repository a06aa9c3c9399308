// The type of a backward rule: given dL/d(output) and the tape node, return dL/d(input)
// for each input (null where an input needs none, e.g. labels or a condition, or one that
// the rule updated in place: fused-update.ts). The context carries backward's plans.

import type { Tensor } from '../tensor/tensor.ts';
import type { ActGrad } from './fused-act-grad.ts';
import type { FusedSgd } from './fused-update.ts';
import type { OpName, TapeNode } from './tape.ts';

/** What one backward pass tells every rule: fit's plain SGD to apply in place, if any, and
 * the outputs whose gradient arrives already multiplied by their activation's derivative. */
export interface BackwardContext {
  fusedSgd: FusedSgd | null;
  actGrads: ReadonlyMap<Tensor, ActGrad>;
}

export type Rule<K extends OpName> = (dy: Tensor, node: TapeNode<K>, ctx: BackwardContext) => (Tensor | null)[];
export type Rules<K extends OpName> = { [P in K]: Rule<P> };
