// Cross-entropy losses as fused ops (wgsl/losses.wgsl): each returns the loss per sample
// (Keras's loss functions before reduction) and records one backward kernel. Keras's
// epsilon is 1e-7. Mean squared / absolute error are compositions of elementwise ops.

import lossesWgsl from '../kernels/wgsl/losses.wgsl?raw';
import nanWgsl from '../kernels/wgsl/nan.wgsl?raw';
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
const LOSSES = nanWgsl + lossesWgsl;

type LossKernel = 'sparse' | 'categorical' | 'binary';

function run(kind: LossKernel, pass: 'fwd' | 'bwd', pred: Tensor, target: Tensor, dloss: Tensor | null, fromLogits: boolean, outShape: readonly number[]): Tensor {
  const C = kind === 'binary' ? 1 : pred.shape[pred.rank - 1];
  const rows = kind === 'binary' ? pred.size : pred.size / Math.max(C, 1);
  const out = emptyTensor(outShape);
  if (out.size) {
    const r = rt();
    r.dispatch(
      { label: `${kind}CrossEntropy:${pass}`, code: LOSSES, entry: `${kind}_${pass}`, constants: { FROM_LOGITS: Number(fromLogits) } },
      [r.uniform(params([rows, C], [EPSILON])), pred.buffer, target.buffer, (dloss ?? pred).buffer, out.buffer],
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

/** Integer class labels [N] (or [N,1]) against [N, C] probabilities or logits → loss [N]. */
export function sparseCategoricalCrossentropy(labels: Tensor, pred: Tensor, fromLogits = false): Tensor {
  const rowsShape = pred.shape.slice(0, -1);
  const t = labels.rank === pred.rank && labels.shape[labels.rank - 1] === 1 ? labels.view(rowsShape) : labels;
  checkRows('sparseCategoricalCrossentropy', pred, t, rowsShape);
  const out = run('sparse', 'fwd', pred, t, null, fromLogits, rowsShape);
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

export const lossRules: Rules<'sparseCrossEntropy' | 'categoricalCrossEntropy' | 'binaryCrossEntropy'> = {
  sparseCrossEntropy: (dy, n) => [null, run('sparse', 'bwd', n.inputs[1], n.inputs[0], dy, n.attrs.fromLogits, n.inputs[1].shape)],
  categoricalCrossEntropy: (dy, n) => [null, run('categorical', 'bwd', n.inputs[1], n.inputs[0], dy, n.attrs.fromLogits, n.inputs[1].shape)],
  binaryCrossEntropy: (dy, n) => [null, run('binary', 'bwd', n.inputs[1], n.inputs[0], dy, n.attrs.fromLogits, n.inputs[1].shape)],
};

