// What the tape records: which differentiable ops exist, what each saves for its backward
// rule (OpAttrsOf), and the node an op leaves on its output (TapeNodeOf). The registry
// (registry.ts) must give every op here a backward rule or it fails to compile.
// Read next: tape.ts (recording; its OpAttrs and TapeNode are these over Tensor).

import type { Activation, BinaryOp, ParamActivation, UnaryOp } from '../kernels/op-names.ts';

/** A dropout mask's seed: `draw` gives a fresh one per forward call (and per replay); backward reads `value`. */
export type SeedCell = { draw: () => number; value: number };

// Why over a type T: a Tensor holds the node that made it and the node holds Tensors. Written
// over T, this file imports no tensor, so tensor.ts and tape.ts both take the node from here and
// no import leads back to where it started (T is always tensor.ts's Tensor). Chosen over moving
// these types into tensor.ts (the op table is autograd's, not the tensor's) and over a minimal
// node type there (each reader of `t.node` would need a cast to see its op's attrs).

/** What each differentiable op saves for its backward rule (T: the tensor type). */
export interface OpAttrsOf<T> {
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
  batchNorm: { gamma: T | null; beta: T | null; epsilon: number; mean: T; variance: T; batchStats: boolean };
}
export type OpName = keyof OpAttrsOf<unknown>;

export interface TapeNodeOf<T, K extends OpName = OpName> {
  op: K;
  inputs: T[];
  /** The op's output (some rules are cheaper written in terms of it). */
  output: T;
  attrs: OpAttrsOf<T>[K];
}
