// fit's backward pass, fast: the plain backward (autograd/backward.ts) handed a BackwardPlan
// that rewrites a few rules. Dense nodes fold the activation gradient of the layer before
// into their dx product (act-grads.ts) and apply fit's plain SGD to their weight and bias in
// their weight-gradient product (fused-sgd.ts); a unary op whose gradient was folded passes
// dy through. The weights come out the same as plain backward's (bit for bit for the folds;
// bit for bit where measured for the SGD, which claims only float rounding: tests/core/fast-act-grads.test.ts,
// tests/nn/fused-update.test.ts).

import { backward, type BackwardPlan } from '../autograd/backward.ts';
import { activationGrad } from '../autograd/elementwise.ts';
import { denseWeightGrads, matmul } from '../autograd/matmul.ts';
import { needsGrad, tapeOrder, type TapeNode } from '../autograd/tape.ts';
import type { Tensor } from '../tensor/tensor.ts';
import { type ActGrad, denseInputGrad, planActGrads } from './act-grads.ts';
import { denseSgd, type FusedSgd, planFusedSgd } from './fused-sgd.ts';

/** The dense rule (autograd/matmul.ts) with the plans applied: dy may already be dz, dx may fold act', w and b may be updated here. */
function denseRule(n: TapeNode<'dense'>, folds: ReadonlyMap<Tensor, ActGrad>, sgd: FusedSgd | null) {
  const [x, w, b] = n.inputs;
  const act = n.attrs.activation;
  const fold = folds.get(x);
  return (dy: Tensor): (Tensor | null)[] => {
    // The product of the layer after may have applied act'(y) already.
    const dz = act === 'linear' || folds.has(n.output) ? dy : activationGrad(act, n.output, dy);
    const dx = !needsGrad(x) ? null : fold ? denseInputGrad(dz, w, fold) : matmul(dz, w, false, true);
    // dx above already read w, and the plan made sure this node is the only reader of w and b.
    if (b && sgd?.pairs.get(w) === b) {
      denseSgd(x, dz, w, b, sgd.scalars);
      return [dx, null, null];
    }
    return [dx, ...denseWeightGrads(n, dz)];
  };
}

/**
 * The plan for loss's tape: the activation gradients to fold (unless `fold` is false), and, given this step's plain-SGD
 * `sgdScalars` (else null), the weight → bias pairs among `trained` to update in backward.
 */
export function planBackward(loss: Tensor, trained: ReadonlySet<Tensor>, sgdScalars: Tensor | null, fold = true): { plan: BackwardPlan; sgd: FusedSgd | null } {
  const folds = fold ? planActGrads(loss) : new Map<Tensor, ActGrad>();
  const sgd = sgdScalars ? planFusedSgd(loss, trained, sgdScalars) : null;
  const plan = new Map<TapeNode, (dy: Tensor) => (Tensor | null)[]>();
  for (const t of tapeOrder(loss)) {
    const n = t.node;
    if (n?.op === 'unary' && folds.has(t)) plan.set(n, (dy) => [dy]);
    if (n?.op === 'dense') plan.set(n, denseRule(n as TapeNode<'dense'>, folds, sgd));
  }
  return { plan, sgd };
}

/**
 * backward(loss, seed) as fit's step runs it, with planBackward's plan. Returns the weights and
 * biases it updated in place (they get no .grad: the optimizer skips them).
 */
export function fastBackward(loss: Tensor, seed: Tensor | undefined, trained: ReadonlySet<Tensor>, sgdScalars: Tensor | null, fold = true): ReadonlySet<Tensor> {
  const { plan, sgd } = planBackward(loss, trained, sgdScalars, fold);
  backward(loss, seed, plan);
  return new Set([...(sgd?.pairs ?? [])].flat());
}
