// The tape: an op whose inputs need gradients records a TapeNode on its output (the op's
// name, its inputs, and whatever its backward rule needs). backward.ts walks these nodes
// in reverse. Which ops exist, and what each records, is declared once in OpAttrs
// (tape-node.ts); the registry (registry.ts) must give every one a backward rule or it fails
// to compile. Read next: tape-node.ts, registry.ts, backward.ts, then any op family.

import type { Tensor } from '../tensor/tensor.ts';
import type { OpAttrsOf, OpName, TapeNodeOf } from './tape-node.ts';

export type { OpName, SeedCell } from './tape-node.ts';
export type OpAttrs = OpAttrsOf<Tensor>;
export type TapeNode<K extends OpName = OpName> = TapeNodeOf<Tensor, K>;

let gradDepth = 0;

/** Runs fn without recording anything on the tape (inference, optimizer updates). */
export function noGrad<T>(fn: () => T): T {
  gradDepth++;
  try {
    return fn();
  } finally {
    gradDepth--;
  }
}

/** Records `output = op(inputs)` if any input takes part in a gradient computation. */
export function record<K extends OpName>(op: K, inputs: Tensor[], output: Tensor, attrs: OpAttrs[K]): Tensor {
  if (gradDepth === 0 && inputs.some((t) => t.requiresGrad || t.node)) {
    output.node = { op, inputs, output, attrs } as TapeNode;
  }
  return output;
}

/** Whether a gradient must flow into `t` (rules skip the work for inputs that need none). */
export function needsGrad(t: Tensor): boolean {
  return t.requiresGrad || t.node !== null;
}

/** The tensors `root` depends on through the tape, root first, each after all its consumers. */
export function tapeOrder(root: Tensor): Tensor[] {
  const order: Tensor[] = [];
  const seen = new Set<Tensor>();
  const stack: [Tensor, boolean][] = [[root, false]];
  while (stack.length) {
    const [t, expanded] = stack.pop()!;
    if (expanded) {
      order.push(t);
      continue;
    }
    if (seen.has(t)) continue;
    seen.add(t);
    stack.push([t, true]);
    for (const i of t.node?.inputs ?? []) if (!seen.has(i)) stack.push([i, false]);
  }
  return order.reverse(); // root first
}

/** Each tensor `root` depends on, with the tape nodes that read it (the backward plans' census). */
export function tapeReaders(root: Tensor): Map<Tensor, TapeNode[]> {
  const readers = new Map<Tensor, TapeNode[]>();
  for (const t of tapeOrder(root)) {
    for (const input of t.node?.inputs ?? []) readers.set(input, [...(readers.get(input) ?? []), t.node!]);
  }
  return readers;
}
