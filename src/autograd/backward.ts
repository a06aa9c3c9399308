// Reverse-mode differentiation over the tape: from a scalar loss, visit the nodes that
// produced it in reverse topological order, apply each op's rule (registry.ts), and add
// the results into `.grad` of every tensor with `requiresGrad` (gradients accumulate, as
// in PyTorch, until the caller disposes or zeroes them). Intermediate gradients are freed
// as soon as they are consumed.
// The fast layer's one hook is `plan` (a BackwardPlan, built by src/fast/backward-plan.ts
// for fit's step): for some tape nodes, a rule to run instead of the registry's. Without
// it (grad(), a user's backward()) every node gets its plain rule.

import { fill } from '../tensor/create.ts';
import { keep, tidy, track } from '../tensor/memory.ts';
import { shapeStr } from '../tensor/shape.ts';
import type { Tensor } from '../tensor/tensor.ts';
import { add } from './elementwise.ts';
import { ruleFor } from './registry.ts';
import { noGrad, tapeOrder, type TapeNode } from './tape.ts';

/**
 * The fast layer's rewrites of one backward pass: for a tape node, the rule to run instead
 * of its plain one, closed over that node (it gets only dy). A node that has none gets its
 * plain rule. The plan must give each input the same gradient as the plain rule, or take
 * over what the caller would have done with it (src/fast/fused-sgd.ts updates weights).
 */
export type BackwardPlan = ReadonlyMap<TapeNode, (dy: Tensor) => (Tensor | null)[]>;

/**
 * Accumulates d(loss)/d(t) into t.grad for every tensor t with requiresGrad that loss
 * depends on. `loss` must have one element (or pass `seed`, the gradient of loss).
 * `plan`: the fast layer's replacement rules (BackwardPlan above); none by default.
 */
export function backward(loss: Tensor, seed?: Tensor, plan?: BackwardPlan): void {
  if (!seed && loss.size !== 1) {
    throw new RangeError(`backward: the loss must be a scalar, got ${shapeStr(loss.shape)} (pass an explicit gradient seed)`);
  }
  noGrad(() =>
    tidy(() => {
      const grads = new Map<Tensor, Tensor>();
      const owned = new Set<Tensor>(); // tensors already handed out as someone's .grad
      grads.set(loss, seed ?? fill(loss.shape, 1));
      for (const t of tapeOrder(loss)) {
        const g = grads.get(t);
        if (!g) continue;
        if (t.requiresGrad) {
          const prev = t.grad;
          // A rule may pass its dy through unchanged (add, reshape): copy rather than alias.
          t.grad = keep(prev ? add(prev, g) : g === seed || owned.has(g) ? add(g, 0) : g);
          owned.add(t.grad);
          prev?.dispose();
        }
        const node = t.node;
        if (!node) continue;
        const planned = plan?.get(node);
        const inGrads = planned ? planned(g) : ruleFor(node.op)(g, node as never);
        node.inputs.forEach((input, i) => {
          const gi = inGrads[i];
          if (!gi || !(input.requiresGrad || input.node)) return;
          const prev = grads.get(input);
          grads.set(input, prev ? add(prev, gi) : gi);
        });
        grads.delete(t);
      }
    }),
  );
}

/** d(f(xs))/d(xs) for a scalar function, without touching anyone's `.grad`. */
export function grad(f: (...xs: Tensor[]) => Tensor, xs: Tensor[]): Tensor[] {
  const saved = xs.map((x) => [x.requiresGrad, x.grad] as const);
  xs.forEach((x) => {
    x.requiresGrad = true;
    x.grad = null;
  });
  try {
    const out = tidy(() => {
      backward(f(...xs));
      return xs.map((x) => x.grad!);
    });
    out.forEach(track); // owned by the caller's scope, like any op result
    return out;
  } finally {
    xs.forEach((x, i) => {
      x.requiresGrad = saved[i][0];
      x.grad = saved[i][1];
    });
  }
}
