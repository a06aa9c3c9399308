// evaluate() and predict(): the forward pass in batches without the tape. Loss and metric
// sums stay on the GPU until the end (one readback), and predict writes each batch into
// one output tensor. batchLoss (shared with fit) computes the commonest case, sparse CE
// with accuracy, in one kernel. The first batch of each size is captured and later ones replay it
// (captured-steps.ts), the batch offset read from a cursor.

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
import { checkFinite, checkInput, checkOnGpu, checkPositiveInt, checkTargets } from './checks.ts';
import { checkPair, type Input, rowOrder, upload } from './data-feed.ts';
import { sparseInput } from './losses.ts';
import { isSparseAccuracy } from './metrics.ts';
import { Rng } from '../tensor/random.ts';
import type { Compiled, Sequential } from './sequential.ts';
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
export function regularization(model: Sequential): Tensor | null {
  let total: Tensor | null = null;
  for (const w of model.weights) {
    if (!w.regularizer) continue;
    const p = w.regularizer.penalty(w.tensor);
    total = total ? add(total, p) : p;
  }
  return total;
}

/** A built-in sparse CE with at most the sparse accuracy, on a batch that fits one workgroup: sparseCrossentropyMean's case. */
function fusable(c: Compiled, pred: Tensor): boolean {
  const [rows, C] = pred.shape;
  return pred.rank === 2 && rows > 0 && rows <= SERIAL_MAX_LEN && C > 0 && c.metrics.length <= 1 && c.metrics.every(isSparseAccuracy);
}

/**
 * One batch's loss (mean + penalties); adds its contributions into the epoch sums `acc`
 * (loss, then each metric). Keras's epoch loss is the mean of batch losses weighted by batch
 * size; metrics are means over samples. So it sums loss * n and the per-sample metric values.
 */
export function batchLoss(model: Sequential, c: Compiled, pred: Tensor, yb: Tensor, acc: readonly Tensor[]): Tensor {
  const y = matchTargets(yb, pred, c.loss.name);
  const reg = regularization(model);
  const ce = fusable(c, pred) ? sparseInput(c.loss, pred) : null;
  if (ce) return sparseCrossentropyMean(y, ce.input, ce.fromLogits, pred, reg, { loss: acc[0], hits: acc[1] ?? null });
  const perSample = c.loss.perSample(y, pred);
  const loss = reg ? add(mean(perSample), reg) : mean(perSample);
  const sums = [mul(loss, pred.shape[0]), ...c.metrics.map((m) => sum(m.perSample(y, pred)))];
  // In place: the running sums keep their buffers (a captured step writes them).
  sums.forEach((v, i) => assign(acc[i], add(acc[i], v)));
  return loss;
}

/** `checked`: fit's validation data, which fit checked before its first epoch (no GPU check again). */
export async function evaluateModel(model: Sequential, x: Input, y: Input, { batchSize = 32 }: EvaluateOptions = {}, checked = false): Promise<number[]> {
  await ready();
  const c = model.compiled;
  if (!c) throw new Error(`evaluate: model '${model.name}' must be compiled first (model.compile({...}))`);
  checkPositiveInt('evaluate', 'batchSize', batchSize);
  checkPair('evaluate', x, y);
  checkInput('evaluate', model, x);
  model.build(x.shape.slice(1));
  checkTargets('evaluate', model, y, c.loss.name);
  checkFinite('evaluate', 'x', x);
  checkFinite('evaluate', 'y', y);
  if (!checked) await checkOnGpu('evaluate', model, x, y, c.loss.name);
  const X = upload('evaluate x', x);
  const Y = upload('evaluate y', y);
  const n = x.shape[0];
  const order = rowOrder(n, false, new Rng(0));
  let acc: Tensor[] = [];
  const cursor: RowCursor = { order, start: 0 };
  const captured = new CapturedSteps('evaluate', model.layers);
  try {
    await precompile(model, [evaluateLoop(model, c, X.data, Y.data, batchSize)]);
    acc = [0, ...c.metrics].map(() => keep(zeros([])));
    for (let start = 0; start < n; start += batchSize) {
      const count = Math.min(batchSize, n - start);
      cursor.start = start;
      captured.run(`batch ${count}`, '', () => evaluateBatch(model, c, acc, X.data, Y.data, cursor, count));
      flush();
    }
    const totals = await Promise.all(acc.map((t) => t.item()));
    return totals.map((v) => v / n);
  } finally {
    captured.dispose();
    for (const t of [...acc, order]) t.dispose();
    if (X.owned) X.data.dispose();
    if (Y.owned) Y.data.dispose();
  }
}

/** One batch of evaluate: `count` rows of (X, Y) at the cursor, without the tape; sums into `acc`. */
function evaluateBatch(model: Sequential, c: Compiled, acc: Tensor[], X: Tensor, Y: Tensor, cursor: RowCursor, count: number): void {
  noGrad(() =>
    tidy(() => {
      const pred = model.call(gatherBatch(X, cursor, count), false);
      batchLoss(model, c, pred, gatherBatch(Y, cursor, count), acc);
    }),
  );
}

/** evaluate's loop over resident (X, Y), for a dry run ahead of it (precompile.ts). */
export function evaluateLoop(model: Sequential, c: Compiled, X: Tensor, Y: Tensor, batchSize: number): DryLoop {
  const step = (acc: Tensor[], order: Tensor, rows: number) => evaluateBatch(model, c, acc, X, Y, { order, start: 0 }, rows);
  return { step, sums: c.metrics.length + 1, n: X.shape[0], batchSize };
}

export async function predictModel(model: Sequential, x: Input, { batchSize = 32, training = false }: PredictOptions = {}): Promise<Tensor> {
  await ready();
  checkPositiveInt('predict', 'batchSize', batchSize);
  checkInput('predict', model, x);
  checkFinite('predict', 'x', x);
  model.build(x.shape.slice(1));
  await checkOnGpu('predict', model, x, null, null);
  const X = upload('predict x', x);
  const n = x.shape[0];
  const outShape = [n, ...(model.layerShapes().at(-1) ?? [])];
  const out = emptyTensor(outShape);
  const order = rowOrder(n, false, new Rng(0));
  const cursor: RowCursor = { order, start: 0 };
  const captured = new CapturedSteps('predict', model.layers);
  try {
    for (let start = 0; start < n; start += batchSize) {
      const count = Math.min(batchSize, n - start);
      cursor.start = start;
      captured.run(`batch ${count}, training ${training}`, '', () =>
        noGrad(() =>
          tidy(() => {
            const pred = model.call(gatherBatch(X.data, cursor, count), training);
            assignRowsAt(out, pred, cursor);
          }),
        ),
      );
      flush();
    }
    return out;
  } catch (e) {
    out.dispose();
    throw e;
  } finally {
    captured.dispose();
    order.dispose();
    if (X.owned) X.data.dispose();
  }
}
