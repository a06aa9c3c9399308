// The type of a backward rule: given dL/d(output) and the tape node, return dL/d(input)
// for each input (null where an input needs none, e.g. labels or a condition). Nothing else
// reaches a rule: the fast layer's rewrites replace rules (backward.ts's BackwardPlan).

import type { Tensor } from '../tensor/tensor.ts';
import type { OpName, TapeNode } from './tape.ts';

export type Rule<K extends OpName> = (dy: Tensor, node: TapeNode<K>) => (Tensor | null)[];
export type Rules<K extends OpName> = { [P in K]: Rule<P> };
