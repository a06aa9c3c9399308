// Cross-entropy losses as fused ops (wgsl/losses.wgsl): each returns the loss per sample
// (Keras's loss functions before reduction) and records one backward kernel. Keras's
// epsilon is 1e-7. Mean squared / absolute error are compositions of elementwise ops.
// The op sparseCrossEntropyMean is recorded by the fast layer's loss tail (src/fast/
// fused-loss.ts: fit's and evaluate's mean sparse CE, penalty and sums in one kernel); its
// gradient, the mean's, is here with the others.
// Float64 references: tests/util/reference.ts sparseCE, categoricalCE, binaryCE.

import { kernelCode } from '../kernels/kernel-code.ts';
import lossesWgsl from '../kernels/wgsl/losses.wgsl?raw';
import { grid, params, rt } from '../kernels/runtime.ts';
import { shapeStr } from '../tensor/shape.ts';
import { emptyTensor, type Tensor } from '../tensor/tensor.ts';
import { abs, square, sub } from './elementwise.ts';
import { mean } from './reduce.ts';
import type { Rules } from './registry-types.ts';
import { record } from './tape.ts';

export const EPSILON = 1e-7;

// Built once: the runtime finds a pipeline by its code string, and hashing a freshly
// concatenated string costs ~8 µs per dispatch (measured).
export const LOSSES = kernelCode(lossesWgsl);

type LossKernel = 'sparse' | 'categorical' | 'binary';

/** `mean`: dloss is the gradient of sparseCrossentropyMean's mean (one value, times 1/rows). */
function run(kind: LossKernel, pass: 'fwd' | 'bwd', pred: Tensor, target: Tensor, dloss: Tensor | null, fromLogits: boolean, outShape: readonly number[], mean = false): Tensor {
  const C = kind === 'binary' ? 1 : pred.shape[pred.rank - 1];
  const rows = kind === 'binary' ? pred.size : pred.size / Math.max(C, 1);
  const out = emptyTensor(outShape);
  if (out.size) {
    const r = rt();
    r.dispatch(
      { label: `${kind}CrossEntropy:${pass}`, code: LOSSES, entry: `${kind}_${pass}`, constants: { FROM_LOGITS: Number(fromLogits), MEAN: Number(mean) } },
      [r.uniform(params([rows, C], [EPSILON, 1 / rows])), pred.buffer, target.buffer, (dloss ?? pred).buffer, out.buffer],
      grid(rows, 64),
    );
  }
  return out;
}

function checkRows(op: string, pred: Tensor, target: Tensor, targetShape: readonly number[]): void {
  if (target.rank !== targetShape.length || target.shape.some((d, i) => d !== targetShape[i])) {
    throw new RangeError(`${op}: targets ${shapeStr(target.shape)} do not match predictions ${shapeStr(pred.shape)} (expected targets ${shapeStr(targetShape)})`);
  }
}

/** Labels [N] or [N, 1] as [N], checked against predictions [N, C]. */
export function sparseTargets(op: string, labels: Tensor, pred: Tensor): Tensor {
  const rowsShape = pred.shape.slice(0, -1);
  const t = labels.rank === pred.rank && labels.shape[labels.rank - 1] === 1 ? labels.view(rowsShape) : labels;
  checkRows(op, pred, t, rowsShape);
  return t;
}

/** Integer class labels [N] (or [N,1]) against [N, C] probabilities or logits → loss [N]. */
export function sparseCategoricalCrossentropy(labels: Tensor, pred: Tensor, fromLogits = false): Tensor {
  const t = sparseTargets('sparseCategoricalCrossentropy', labels, pred);
  const out = run('sparse', 'fwd', pred, t, null, fromLogits, t.shape);
  return record('sparseCrossEntropy', [t, pred], out, { fromLogits });
}

/** One-hot (or soft) targets [N, C] → loss [N]. */
export function categoricalCrossentropy(target: Tensor, pred: Tensor, fromLogits = false): Tensor {
  checkRows('categoricalCrossentropy', pred, target, pred.shape);
  const out = run('categorical', 'fwd', pred, target, null, fromLogits, pred.shape.slice(0, -1));
  return record('categoricalCrossEntropy', [target, pred], out, { fromLogits });
}

/** Elementwise binary CE then the mean over the last axis (Keras) → loss [N]. */
export function binaryCrossentropy(target: Tensor, pred: Tensor, fromLogits = false): Tensor {
  checkRows('binaryCrossentropy', pred, target, pred.shape);
  const elementwise = record('binaryCrossEntropy', [target, pred], run('binary', 'fwd', pred, target, null, fromLogits, pred.shape), { fromLogits });
  return pred.rank > 1 ? mean(elementwise, -1) : elementwise;
}

export function meanSquaredError(target: Tensor, pred: Tensor): Tensor {
  return mean(square(sub(target, pred)), -1);
}

export function meanAbsoluteError(target: Tensor, pred: Tensor): Tensor {
  return mean(abs(sub(target, pred)), -1);
}

export const lossRules: Rules<'sparseCrossEntropy' | 'sparseCrossEntropyMean' | 'categoricalCrossEntropy' | 'binaryCrossEntropy'> = {
  sparseCrossEntropy: (dy, n) => [null, run('sparse', 'bwd', n.inputs[1], n.inputs[0], dy, n.attrs.fromLogits, n.inputs[1].shape)],
  // The penalty's gradient is dy, as add's rule gives it.
  sparseCrossEntropyMean: (dy, n) => [null, run('sparse', 'bwd', n.inputs[1], n.inputs[0], dy, n.attrs.fromLogits, n.inputs[1].shape, true), dy],
  categoricalCrossEntropy: (dy, n) => [null, run('categorical', 'bwd', n.inputs[1], n.inputs[0], dy, n.attrs.fromLogits, n.inputs[1].shape)],
  binaryCrossEntropy: (dy, n) => [null, run('binary', 'bwd', n.inputs[1], n.inputs[0], dy, n.attrs.fromLogits, n.inputs[1].shape)],
};

