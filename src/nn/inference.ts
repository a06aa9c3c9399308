// evaluate() and predict(): the forward pass in batches without the tape. Loss and metric
// sums stay on the GPU until the end (one readback), and predict writes each batch into
// one output tensor. batchLoss (shared with fit) computes the commonest case, sparse CE
// with accuracy, in one kernel. The first batch of each size is captured and later ones replay it
// (captured-steps.ts), the batch offset read from a cursor. Any Network runs here: data come
// as one array per input and per output (a Sequential has one of each).

import { add, mul } from '../autograd/elementwise.ts';
import { sparseCrossentropyMean } from '../autograd/losses.ts';
import { mean, SERIAL_MAX_LEN, sum } from '../autograd/reduce.ts';
import { reshape } from '../autograd/layout.ts';
import { noGrad } from '../autograd/tape.ts';
import { ready } from '../kernels/device.ts';
import { flush } from '../kernels/runtime.ts';
import { zeros } from '../tensor/create.ts';
import { gatherBatch, type RowCursor } from '../tensor/gather.ts';
import { assign, assignRowsAt } from '../tensor/assign.ts';
import { CapturedSteps } from './captured-steps.ts';
import { keep, tidy } from '../tensor/memory.ts';
import { emptyTensor, type Tensor } from '../tensor/tensor.ts';
import { checkAllFinite, checkAllTargets, checkInput, checkOnGpu, checkPositiveInt, dataNames } from './model/checks.ts';
import { type Compiled, evaluateOrder, logNames, lossTerms } from './model/compile.ts';
import { checkPair, type Input, type Inputs, type Resident, rowOrder, toList, upload } from './model/data-feed.ts';
import type { Network } from './model/network.ts';
import type { Logs } from '../optim/callback.ts';
import { sparseInput } from './losses.ts';
import { isSparseAccuracy } from './model/metrics.ts';
import { Rng } from '../tensor/random.ts';
import { type DryLoop, precompile } from './precompile.ts';

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

/** A one-output model's built-in sparse CE with at most the sparse accuracy, on a batch that fits one workgroup: sparseCrossentropyMean's case. */
function fusable(c: Compiled, pred: Tensor): boolean {
  const [rows, C] = pred.shape;
  const [o] = c.outputs;
  return c.outputs.length === 1 && o.weight === null && pred.rank === 2 && rows > 0 && rows <= SERIAL_MAX_LEN && C > 0 && o.metrics.length <= 1 && o.metrics.every(isSparseAccuracy);
}

/**
 * One batch's loss (each output's mean loss times its weight, summed, plus the penalties);
 * adds its contributions into the epoch sums `acc` (in logNames order: loss, the metrics, the
 * per-output losses). Keras's epoch loss is the mean of batch losses weighted by batch size;
 * metrics are means over samples. So it sums loss * n and the per-sample metric values.
 */
export function batchLoss(model: Network, c: Compiled, preds: Tensor[], ybs: (Tensor | null)[], acc: readonly Tensor[]): Tensor {
  const ys = c.outputs.map((o, i) => (ybs[i] ? matchTargets(ybs[i], preds[i], o.loss?.name ?? '') : null));
  const reg = regularization(model);
  const ce = fusable(c, preds[0]) ? sparseInput(c.outputs[0].loss!, preds[0]) : null;
  if (ce) return sparseCrossentropyMean(ys[0]!, ce.input, ce.fromLogits, preds[0], reg, { loss: acc[0], hits: acc[1] ?? null });
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
  const captured = new CapturedSteps('evaluate', model.layers);
  const names = logNames(c);
  try {
    const X = uploadAll('evaluate x', xs, uploaded) as Tensor[];
    const Y = uploadAll('evaluate y', ys, uploaded);
    await precompile(model, [evaluateLoop(model, c, X, Y, batchSize)]);
    acc = names.map(() => keep(zeros([])));
    for (let start = 0; start < n; start += batchSize) {
      const count = Math.min(batchSize, n - start);
      cursor.start = start;
      captured.run(`batch ${count}`, '', () => evaluateBatch(model, c, acc, X, Y, cursor, count));
      flush();
    }
    const totals = await Promise.all(acc.map((t) => t.item()));
    return Object.fromEntries(names.map((k, i) => [k, totals[i] / n]));
  } finally {
    captured.dispose();
    for (const t of [...acc, order]) t.dispose();
    for (const r of uploaded) if (r.owned) r.data.dispose();
  }
}

/** `count` rows at the cursor of each array (null stays null). */
export const gatherAll = (arrays: (Tensor | null)[], cursor: RowCursor, count: number): (Tensor | null)[] =>
  arrays.map((a) => (a ? gatherBatch(a, cursor, count) : null));

/** One batch of evaluate: `count` rows of (X, Y) at the cursor, without the tape; sums into `acc`. */
function evaluateBatch(model: Network, c: Compiled, acc: Tensor[], X: Tensor[], Y: (Tensor | null)[], cursor: RowCursor, count: number): void {
  noGrad(() =>
    tidy(() => {
      const preds = model.forward(gatherAll(X, cursor, count) as Tensor[], false);
      batchLoss(model, c, preds, gatherAll(Y, cursor, count), acc);
    }),
  );
}

/** evaluate's loop over resident (X, Y), for a dry run ahead of it (precompile.ts). */
export function evaluateLoop(model: Network, c: Compiled, X: Tensor[], Y: (Tensor | null)[], batchSize: number): DryLoop {
  const step = (acc: Tensor[], order: Tensor, rows: number) => evaluateBatch(model, c, acc, X, Y, { order, start: 0 }, rows);
  return { step, sums: logNames(c).length, n: X[0].shape[0], batchSize };
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
  const captured = new CapturedSteps('predict', model.layers);
  try {
    const X = uploadAll('predict x', xs, uploaded) as Tensor[];
    for (let start = 0; start < n; start += batchSize) {
      const count = Math.min(batchSize, n - start);
      cursor.start = start;
      captured.run(`batch ${count}, training ${training}`, '', () =>
        noGrad(() =>
          tidy(() => {
            const preds = model.forward(gatherAll(X, cursor, count) as Tensor[], training);
            preds.forEach((p, i) => assignRowsAt(outs[i], p, cursor));
          }),
        ),
      );
      flush();
    }
    return outs;
  } catch (e) {
    for (const o of outs) o.dispose();
    throw e;
  } finally {
    captured.dispose();
    order.dispose();
    for (const r of uploaded) if (r.owned) r.data.dispose();
  }
}
