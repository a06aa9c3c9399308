// The tape: an op whose inputs need gradients records a TapeNode on its output (the op's
// name, its inputs, and whatever its backward rule needs). backward.ts walks these nodes
// in reverse. Which ops exist, and what each records, is declared once in OpAttrs; the
// registry (registry.ts) must give every one of them a backward rule or it fails to compile.
// Read next: registry.ts, backward.ts, then any op family (elementwise.ts, matmul.ts, ...).

import type { Tensor } from '../tensor/tensor.ts';
import type { SeedCell } from './dropout.ts';
import type { Activation, BinaryOp, ParamActivation, UnaryOp } from '../kernels/op-names.ts';

/** What each differentiable op saves for its backward rule. */
export interface OpAttrs {
  unary: { op: UnaryOp };
  binary: { op: BinaryOp };
  where: Record<string, never>;
  matmul: { transA: boolean; transB: boolean };
  dense: { activation: Activation };
  reshape: Record<string, never>;
  broadcast: Record<string, never>;
  transpose: { perm: number[] };
  concat: { axis: number };
  sum: { axes: number[]; scale?: number };
  max: { axes: number[] };
  softmax: { axis: number };
  logSoftmax: { axis: number };
  sparseCrossEntropy: { fromLogits: boolean };
  sparseCrossEntropyMean: { fromLogits: boolean };
  binaryCrossEntropy: { fromLogits: boolean };
  categoricalCrossEntropy: { fromLogits: boolean };
  dropout: { rate: number; seed: SeedCell; alpha: boolean };
  paramActivation: { op: ParamActivation; a: number };
  batchNorm: { gamma: Tensor | null; beta: Tensor | null; epsilon: number; mean: Tensor; variance: Tensor; batchStats: boolean };
}
export type OpName = keyof OpAttrs;

export interface TapeNode<K extends OpName = OpName> {
  op: K;
  inputs: Tensor[];
  /** The op's output (some rules are cheaper written in terms of it). */
  output: Tensor;
  attrs: OpAttrs[K];
}

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
