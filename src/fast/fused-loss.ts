// The fused loss tail: a one-output model's built-in sparse cross-entropy (with at most the
// sparse accuracy), the weight penalty and the epoch sums of fit's and evaluate's step in ONE
// dispatch (losses.wgsl sparse_mean), where the plain path runs the loss, mean, add and
// metric ops one by one. It records the tape op sparseCrossEntropyMean, whose backward rule
// (autograd/losses.ts) is one dispatch too. Read next: nn/model/inference.ts (batchLoss, its caller).

import { EPSILON, LOSSES, sparseTargets } from '../autograd/losses.ts';
import { SERIAL_MAX_LEN } from '../autograd/reduce.ts';
import { record } from '../autograd/tape.ts';
import { params, rt } from '../kernels/runtime.ts';
import type { Compiled } from '../nn/model/compile.ts';
import { sparseInput } from '../nn/model/losses.ts';
import { isSparseAccuracy } from '../nn/model/metrics.ts';
import { shapeStr } from '../tensor/shape.ts';
import { emptyTensor, type Tensor } from '../tensor/tensor.ts';

/**
 * mean(sparseCategoricalCrossentropy(labels, pred, fromLogits)) + `penalty` in ONE dispatch
 * that also adds into `sums`, for a batch pred [rows <= SERIAL_MAX_LEN, C]; its backward is one
 * dispatch too. Bit for bit the unfused ops' values (losses.wgsl sparse_mean). `output`: the
 * model's output (pred itself, or the softmax of the logits `pred`), whose argmax the hits
 * compare with the labels. `sums.loss` gets the loss times the rows, `sums.hits` the hits.
 */
export function sparseCrossentropyMean(labels: Tensor, pred: Tensor, fromLogits: boolean, output: Tensor, penalty: Tensor | null, sums: { loss: Tensor; hits: Tensor | null }): Tensor {
  const [rows, C] = pred.shape;
  if (pred.rank !== 2 || !(rows > 0 && rows <= SERIAL_MAX_LEN) || !C || output.size !== pred.size) {
    throw new RangeError(`sparseCrossentropyMean: needs predictions [1..${SERIAL_MAX_LEN}, C >= 1] and an output of their size, got ${shapeStr(pred.shape)} and ${shapeStr(output.shape)}`);
  }
  const t = sparseTargets('sparseCategoricalCrossentropy', labels, pred);
  const out = emptyTensor([]);
  const r = rt();
  const constants = { FROM_LOGITS: Number(fromLogits), HAS_PENALTY: Number(!!penalty), HAS_HITS: Number(!!sums.hits) };
  r.dispatch(
    { label: 'sparseCrossEntropy:mean', code: LOSSES, entry: 'sparse_mean', constants },
    [r.uniform(params([rows, C], [EPSILON, 1 / rows])), pred.buffer, t.buffer, output.buffer, out.buffer, (penalty ?? pred).buffer, sums.loss.buffer, sums.hits?.buffer ?? r.unusedStorage()],
    [1],
  );
  return record('sparseCrossEntropyMean', penalty ? [t, pred, penalty] : [t, pred], out, { fromLogits });
}


/**
 * batchLoss's fast tail: the loss of `preds` against the targets `ys` plus the penalty `reg`,
 * with loss and hit sums added into `acc` (batchLoss's order), by sparseCrossentropyMean when
 * the model and batch allow it (one output of a built-in sparse CE, no loss weight, at most
 * the sparse accuracy, a batch of 1..SERIAL_MAX_LEN rows); null otherwise (run the plain ops).
 */
export function fusedLossTail(c: Compiled, preds: Tensor[], ys: (Tensor | null)[], reg: Tensor | null, acc: readonly Tensor[]): Tensor | null {
  const [o] = c.outputs;
  const [pred, y] = [preds[0], ys[0]];
  const [rows, C] = pred.shape;
  const fits = c.outputs.length === 1 && o.weight === null && pred.rank === 2 && rows > 0 && rows <= SERIAL_MAX_LEN && C > 0;
  if (!fits || !y || !o.loss || o.metrics.length > 1 || !o.metrics.every(isSparseAccuracy)) return null;
  const ce = sparseInput(o.loss, pred);
  return ce && sparseCrossentropyMean(y, ce.input, ce.fromLogits, pred, reg, { loss: acc[0], hits: acc[1] ?? null });
}
