// evaluate() and predict(): the forward pass in batches without the tape. Loss and metric
// sums stay on the GPU until the end (one readback), and predict writes each batch into
// one output tensor; batchLoss is shared with fit. The speed-ups (compiling ahead, capture
// and replay, the fused loss tail) come from `fast` (src/fast/loop.ts, null under
// WEBGRAD_PLAIN) at the marked points. Any Network runs here: data come as one array per
// input and per output (a Sequential has one of each). Read next: training.ts (fit).

import { add, mul } from '../../autograd/elementwise.ts';
import { mean, sum } from '../../autograd/reduce.ts';
import { reshape } from '../../autograd/layout.ts';
import { noGrad } from '../../autograd/tape.ts';
import { ready } from '../../kernels/device.ts';
import { flush } from '../../kernels/runtime.ts';
import { zeros } from '../../tensor/create.ts';
import { gatherBatch, type RowCursor } from '../../tensor/gather.ts';
import { assign, assignRowsAt } from '../../tensor/assign.ts';
import { keep, tidy } from '../../tensor/memory.ts';
import { emptyTensor, type Tensor } from '../../tensor/tensor.ts';
import { checkAllFinite, checkAllTargets, checkInput, checkOnGpu, checkPositiveInt, dataNames } from './checks.ts';
import { type Compiled, evaluateOrder, logNames, lossTerms } from './compile.ts';
import { checkPair, type Input, type Inputs, type Resident, rowOrder, toList, upload } from './data-feed.ts';
import type { Network } from './network.ts';
import type { Logs } from '../../optim/callback.ts';
import { Rng } from '../../tensor/random.ts';
import { type LoopSpeedups, loopSpeedups } from '../../fast/loop.ts';
import type { DryLoop } from '../../fast/precompile.ts';

export interface EvaluateOptions {
  batchSize?: number;
}

export interface PredictOptions {
  batchSize?: number;
  /** Run layers in training mode (dropout on), e.g. for MC Dropout. */
  training?: boolean;
}

/** Reshapes y [n] to [n, 1] when the output is [n, 1] (Keras squeezes/expands to match). */
export function matchTargets(y: Tensor, pred: Tensor, lossName: string): Tensor {
  if (lossName !== 'sparse_categorical_crossentropy' && y.rank === pred.rank - 1) return reshape(y, [...y.shape, 1]);
  return y;
}

/** Sum of all weight penalties (Keras adds model.losses to the loss, in fit and evaluate). */
export function regularization(model: Network): Tensor | null {
  let total: Tensor | null = null;
  for (const w of model.weights) {
    if (!w.regularizer) continue;
    const p = w.regularizer.penalty(w.tensor);
    total = total ? add(total, p) : p;
  }
  return total;
}

/**
 * One batch's loss (each output's mean loss times its weight, summed, plus the penalties);
 * adds its contributions into the epoch sums `acc` (in logNames order: loss, the metrics, the
 * per-output losses). Keras's epoch loss is the mean of batch losses weighted by batch size;
 * metrics are means over samples. So it sums loss * n and the per-sample metric values.
 */
export function batchLoss(model: Network, c: Compiled, preds: Tensor[], ybs: (Tensor | null)[], acc: readonly Tensor[], fast: LoopSpeedups | null): Tensor {
  const ys = c.outputs.map((o, i) => (ybs[i] ? matchTargets(ybs[i], preds[i], o.loss?.name ?? '') : null));
  const reg = regularization(model);
  const fused = fast?.lossTail(c, preds, ys, reg, acc);
  if (fused) return fused;
  const n = preds[0].shape[0];
  const means = c.outputs.map((o, i) => (o.loss ? mean(o.loss.perSample(ys[i]!, preds[i])) : null));
  const weighted = c.outputs.flatMap((o, i) => (means[i] === null ? [] : [o.weight === null ? means[i] : mul(means[i], o.weight)]));
  const total = weighted.reduce((a, b) => add(a, b));
  const loss = reg ? add(total, reg) : total;
  const metricSums = c.outputs.flatMap((o, i) => o.metrics.map((m) => sum(m.perSample(ys[i]!, preds[i]))));
  const termSums = lossTerms(c).map((o) => mul(means[c.outputs.indexOf(o)]!, n));
  const sums = [mul(loss, n), ...metricSums, ...termSums];
  // In place: the running sums keep their buffers (a captured step writes them).
  sums.forEach((v, i) => assign(acc[i], add(acc[i], v)));
  return loss;
}

/** x and y of fit or evaluate as one array per input and per output (null: an output without a loss and no target). */
export function dataLists(op: string, model: Network, c: Compiled, x: Inputs, y: Inputs): [Input[], (Input | null)[]] {
  const xs = toList(op, 'x', model.name, model.inputNames, x) as Input[];
  const ys = toList(op, 'y', model.name, model.outputNames, y, c.outputs.map((o) => o.loss !== null));
  checkPair(op, xs, ys.filter((a): a is Input => a !== null), dataNames('x', model.inputNames), dataNames('y', model.outputNames).filter((_, i) => ys[i]));
  return [xs, ys];
}

/** Builds the model for the data's input shapes (a Sequential without inputShape learns it here). */
export function buildForData(model: Network, xs: Input[]): void {
  model.buildFor(xs.map((x) => x.shape.slice(1)));
}

/** Uploads each array that is not on the GPU yet (null stays null); `uploaded` collects the residents to free. */
export function uploadAll(what: string, arrays: (Input | null)[], uploaded: Resident[]): (Tensor | null)[] {
  return arrays.map((a, i) => {
    if (!a) return null;
    const r = upload(arrays.length === 1 ? what : `${what}[${i}]`, a);
    uploaded.push(r);
    return r.data;
  });
}

export async function evaluateModel(model: Network, x: Inputs, y: Inputs, { batchSize = 32 }: EvaluateOptions = {}): Promise<number[]> {
  await ready();
  const c = model.compiled;
  if (!c) throw new Error(`evaluate: model '${model.name}' must be compiled first (model.compile({...}))`);
  checkPositiveInt('evaluate', 'batchSize', batchSize);
  const [xs, ys] = dataLists('evaluate', model, c, x, y);
  checkInput('evaluate', model, xs);
  buildForData(model, xs);
  checkAllTargets('evaluate', model, ys);
  checkAllFinite('evaluate', model, xs, ys);
  await checkOnGpu('evaluate', model, xs, ys);
  const logs = await evaluateLogs(model, c, xs, ys, batchSize);
  const names = logNames(c);
  return evaluateOrder(c, names).map((i) => logs[names[i]]);
}

/** evaluate's loop on checked data (fit's validation data comes here directly): the logs by logNames. */
export async function evaluateLogs(model: Network, c: Compiled, xs: Input[], ys: (Input | null)[], batchSize: number): Promise<Logs> {
  const uploaded: Resident[] = [];
  const n = xs[0].shape[0];
  const order = rowOrder(n, false, new Rng(0));
  let acc: Tensor[] = [];
  const cursor: RowCursor = { order, start: 0 };
  const fast = loopSpeedups('evaluate', model);
  const names = logNames(c);
  try {
    const X = uploadAll('evaluate x', xs, uploaded) as Tensor[];
    const Y = uploadAll('evaluate y', ys, uploaded);
    await fast?.prepare([evaluateLoop(model, c, X, Y, batchSize, fast)]);
    acc = names.map(() => keep(zeros([])));
    for (let start = 0; start < n; start += batchSize) {
      const count = Math.min(batchSize, n - start);
      cursor.start = start;
      const run = () => tidy(() => evaluateBatch(model, c, fast, acc, gatherAll(X, cursor, count) as Tensor[], gatherAll(Y, cursor, count)));
      if (fast) fast.step(`batch ${count}`, run);
      else run();
      flush();
    }
    const totals = await Promise.all(acc.map((t) => t.item()));
    return Object.fromEntries(names.map((k, i) => [k, totals[i] / n]));
  } finally {
    fast?.dispose();
    for (const t of [...acc, order]) t.dispose();
    for (const r of uploaded) if (r.owned) r.data.dispose();
  }
}

/** `count` rows at the cursor of each array (null stays null). */
export const gatherAll = (arrays: (Tensor | null)[], cursor: RowCursor, count: number): (Tensor | null)[] =>
  arrays.map((a) => (a ? gatherBatch(a, cursor, count) : null));

/** One batch of evaluate (inside the caller's tidy): the batch of each input and output, without the tape; sums into `acc`. */
function evaluateBatch(model: Network, c: Compiled, fast: LoopSpeedups | null, acc: Tensor[], xbs: Tensor[], ybs: (Tensor | null)[]): void {
  noGrad(() => batchLoss(model, c, model.forward(xbs, false), ybs, acc, fast));
}

/** evaluate's loop over resident (X, Y), for a dry run ahead of it (fast.prepare). */
export function evaluateLoop(model: Network, c: Compiled, X: Tensor[], Y: (Tensor | null)[], batchSize: number, fast: LoopSpeedups): DryLoop {
  const step = (dry: Compiled, xbs: Tensor[], ybs: (Tensor | null)[], acc: Tensor[]) => evaluateBatch(model, dry, fast, acc, xbs, ybs);
  return { step, X, Y, sums: logNames(c).length, batchSize };
}

/** One tensor per output: the predictions of every row of x (one array per input, or a list, or an object by input name). */
export async function predictModel(model: Network, x: Inputs, { batchSize = 32, training = false }: PredictOptions = {}): Promise<Tensor[]> {
  await ready();
  checkPositiveInt('predict', 'batchSize', batchSize);
  const xs = toList('predict', 'x', model.name, model.inputNames, x) as Input[];
  checkPair('predict', xs, [], dataNames('x', model.inputNames));
  checkInput('predict', model, xs);
  checkAllFinite('predict', model, xs, []);
  buildForData(model, xs);
  await checkOnGpu('predict', model, xs, null);
  const uploaded: Resident[] = [];
  const n = xs[0].shape[0];
  const outs = model.outputShapes().map((s) => emptyTensor([n, ...(s ?? [])]));
  const order = rowOrder(n, false, new Rng(0));
  const cursor: RowCursor = { order, start: 0 };
  const fast = loopSpeedups('predict', model);
  try {
    const X = uploadAll('predict x', xs, uploaded) as Tensor[];
    for (let start = 0; start < n; start += batchSize) {
      const count = Math.min(batchSize, n - start);
      cursor.start = start;
      const run = () =>
        noGrad(() =>
          tidy(() => {
            const preds = model.forward(gatherAll(X, cursor, count) as Tensor[], training);
            preds.forEach((p, i) => assignRowsAt(outs[i], p, cursor));
          }),
        );
      if (fast) fast.step(`batch ${count}, training ${training}`, run);
      else run();
      flush();
    }
    return outs;
  } catch (e) {
    for (const o of outs) o.dispose();
    throw e;
  } finally {
    fast?.dispose();
    order.dispose();
    for (const r of uploaded) if (r.owned) r.data.dispose();
  }
}
