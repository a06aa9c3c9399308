// fit(): Keras's training loop: epochs, batches, callbacks. The dataset is uploaded once;
// each epoch uploads only a row order. A step — gather the batch, forward, loss + penalties,
// backward, the optimizer's updates, constraints, metric sums — is recorded into ONE command
// encoder and submitted (flush). Loss and metrics are summed on the GPU and read back once
// per epoch (the progress bar reads them now and then without stopping the loop).
// The loop's speed-ups (compiling ahead, capture and replay, pacing, and backward's plans:
// folded activation gradients and the fused SGD update; the fused loss tail is batchLoss's,
// in inference.ts) come from ONE object, `fast` (src/fast/loop.ts), used at the points
// marked `fast.`; under WEBGRAD_PLAIN it is null and this file's plain code is all that runs.
// Any Network trains here (a Sequential, or a Model with several inputs and outputs: one
// resident array per input and per output, gathered by the same row order).
// Read next: inference.ts (batchLoss, shared with evaluate), src/optim/optimizer.ts.

import { backward } from '../../autograd/backward.ts';
import { noGrad } from '../../autograd/tape.ts';
import { ready } from '../../kernels/device.ts';
import { flush, rt } from '../../kernels/runtime.ts';
import { NDArray } from '../../data/ndarray.ts';
import { Callback, type Logs, type TrainingContext } from '../../optim/callback.ts';
import { assign } from '../../tensor/assign.ts';
import { zeros } from '../../tensor/create.ts';
import type { RowCursor } from '../../tensor/gather.ts';
import { keep, tidy } from '../../tensor/memory.ts';
import { Rng } from '../../tensor/random.ts';
import type { Tensor } from '../../tensor/tensor.ts';
import { checkAllFinite, checkAllTargets, checkCount, checkInput, checkOnGpu, checkPositiveInt } from './checks.ts';
import { type Compiled, logNames } from './compile.ts';
import { type Input, type Inputs, type Resident, rowOrder } from './data-feed.ts';
import { History } from '../callbacks/history.ts';
import { type LoopSpeedups, loopSpeedups } from '../../fast/loop.ts';
import { batchLoss, buildForData, dataLists, evaluateLogs, evaluateLoop, gatherAll, uploadAll } from './inference.ts';
import { ProgbarLogger } from '../callbacks/progbar.ts';
import type { Network } from './network.ts';

export interface FitOptions {
  batchSize?: number;
  epochs?: number;
  /** Shuffle the training rows every epoch (seeded: see `seed` and setSeed). */
  shuffle?: boolean;
  /** (x, y) to evaluate after each epoch, in any form fit takes x and y. */
  validationData?: [Inputs, Inputs];
  /** Fraction of the data (the last rows, before shuffling, as Keras) held out for validation; ignored when validationData is given. */
  validationSplit?: number;
  callbacks?: Callback[];
  /** 0 silent, 1 progress bar, 2 one line per epoch. */
  verbose?: 0 | 1 | 2;
  initialEpoch?: number;
  /** Seed for the shuffles of this fit (default: from the global seed). */
  seed?: number;
}

/** What callbacks see during fit: the optimizer, the stop flag, and the model. */
export interface FitContext extends TrainingContext {
  model: Network;
}

const warnedTrainable = new WeakSet<Compiled>();

/**
 * Keras fixes the trained weights at compile(); if `trainable` flags changed since, fit
 * trains the compiled set and warns once (tf.keras 2's "Discrepancy between trainable
 * weights and collected trainable weights" warning).
 */
function warnIfTrainableChanged(model: Network, c: Compiled): void {
  const now = model.trainableWeights;
  const same = now.length === c.trainable.length && now.every((w, i) => w === c.trainable[i]);
  if (same || warnedTrainable.has(c)) return;
  warnedTrainable.add(c);
  console.warn(
    `webgrad: layer trainable flags of model '${model.name}' changed after compile(); as in Keras, fit() trains the weights chosen at compile() until you compile() again.`,
  );
}

/** How often (ms) the running sums are read for batch logs (the progress bar, a page's live curves). */
const LIVE_READ_MS = 500;

/** The last `fraction` of the rows of every array (before shuffling, as Keras) as validation data. */
function splitValidation(xs: Input[], ys: (Input | null)[], fraction: number): [Input[], (Input | null)[], Input[], (Input | null)[]] {
  if (![...xs, ...ys].every((a) => a === null || a instanceof NDArray)) throw new TypeError('fit: validationSplit needs host data (NDArray)');
  if (!(fraction > 0 && fraction < 1)) throw new RangeError(`fit: validationSplit must be in (0, 1), got ${fraction}`);
  const cut = Math.floor(xs[0].shape[0] * (1 - fraction));
  const part = <T extends Input | null>(a: T, from: number, to?: number) => (a === null ? null : (a as NDArray).slice(from, to)) as T;
  return [xs.map((a) => part(a, 0, cut)), ys.map((a) => part(a, 0, cut)), xs.map((a) => part(a, cut)), ys.map((a) => part(a, cut))];
}

/**
 * One training step (Keras's train_step), recorded, not yet submitted; adds the batch's loss
 * and metric sums into `acc`. Returns whether the optimizer updated a weight (fit then
 * counts the step, as Keras's apply_gradients does).
 */
function trainStep(model: Network, c: Compiled, fast: LoopSpeedups | null, xbs: Tensor[], ybs: (Tensor | null)[], acc: Tensor[]): boolean {
  const loss = batchLoss(model, c, model.forward(xbs, true), ybs, acc, fast);
  let updatedInBackward = 0; // weights the fast backward updated itself (the fused SGD update)
  if (fast) updatedInBackward = fast.backward(loss, c);
  else backward(loss);
  return noGrad(() => {
    const pairs = c.trainable.filter((w) => w.tensor.grad).map((w) => [w.tensor.grad!, w.tensor] as const);
    c.optimizer.recordUpdates(pairs);
    for (const w of c.trainable) {
      w.tensor.grad?.dispose();
      w.tensor.grad = null;
      if (w.constraint) assign(w.tensor, w.constraint.apply(w.tensor));
    }
    return pairs.length > 0 || updatedInBackward > 0;
  });
}

async function readSums(acc: Tensor[], n: number, names: string[], background = false): Promise<Logs> {
  // In the background (the progress bar's read), nobody waits: the read polls (runtime.read).
  const read = async (t: Tensor) => (background ? new Float32Array(await rt().read(t.buffer, 4, 'progress', true))[0] : t.item());
  const values = await Promise.all(acc.map(read));
  return Object.fromEntries(names.map((k, i) => [k, values[i] / n]));
}

export async function fitModel(model: Network, x: Inputs, y: Inputs, options: FitOptions = {}): Promise<History> {
  await ready();
  const c = model.compiled;
  if (!c) throw new Error(`fit: model '${model.name}' must be compiled first (model.compile({ optimizer, loss, metrics }))`);
  const { batchSize = 32, epochs = 1, shuffle = true, callbacks = [], verbose = 1, initialEpoch = 0 } = options;
  checkPositiveInt('fit', 'batchSize', batchSize);
  checkCount('fit', 'epochs', epochs);
  checkCount('fit', 'initialEpoch', initialEpoch);
  let [xs, ys] = dataLists('fit', model, c, x, y);
  let val = options.validationData ? dataLists('fit (validation data)', model, c, ...options.validationData) : null;
  // As Keras: validationData wins over validationSplit, and a split of 0 means none.
  if (options.validationSplit && !val) {
    const [xt, yt, xv, yv] = splitValidation(xs, ys, options.validationSplit);
    [xs, ys, val] = [xt, yt, [xv, yv]];
  }
  checkInput('fit', model, xs);
  buildForData(model, xs);
  warnIfTrainableChanged(model, c);
  checkAllTargets('fit', model, ys);
  checkAllFinite('fit', model, xs, ys);
  await checkOnGpu('fit', model, xs, ys);
  if (val) {
    checkInput('fit (validation data)', model, val[0]);
    checkAllTargets('fit (validation data)', model, val[1]);
    await checkOnGpu('fit (validation data)', model, val[0], val[1]);
  }

  const names = logNames(c);
  const n = xs[0].shape[0];
  const steps = Math.ceil(n / batchSize);
  const history = new History();
  const all = [...callbacks, history];
  if (verbose) all.push(new ProgbarLogger(steps, epochs, undefined, verbose === 1 ? undefined : false));
  const context: FitContext = { optimizer: c.optimizer, stopTraining: false, model };
  // Running values are read in the background only for someone who looks at batch logs:
  // the progress bar, or a callback with its own onBatchEnd.
  const wantsLive = all.some((cb) => cb.onBatchEnd !== Callback.prototype.onBatchEnd);
  for (const cb of all) cb.context = context;

  const uploaded: Resident[] = [];
  const X = uploadAll('fit x', xs, uploaded) as Tensor[];
  const Y = uploadAll('fit y', ys, uploaded);
  const valData = val ? ([uploadAll('validation x', val[0], uploaded) as Tensor[], uploadAll('validation y', val[1], uploaded)] as const) : null;
  const rng = new Rng(options.seed);
  for (const w of c.trainable) w.tensor.requiresGrad = true;
  model.stopTraining = false;
  // Keras's stop_training: a callback may set it on the context or the model; fit ends the
  // epoch after the current batch (its logs cover the batches run) and stops.
  const stopped = () => context.stopTraining || model.stopTraining;
  let trainingLogs: Logs | undefined;
  const kept: Tensor[] = [];
  const fast = loopSpeedups('fit', model);
  try {
    if (fast) {
      // The pipelines of the steps and of validation, made ahead (a dry run of each).
      const train = { step: (dry: Compiled, xbs: Tensor[], ybs: (Tensor | null)[], acc: Tensor[]) => void trainStep(model, dry, fast, xbs, ybs, acc), X, Y, sums: names.length, batchSize };
      await fast.prepare(valData ? [train, evaluateLoop(model, c, valData[0], valData[1], batchSize, fast)] : [train]);
    }
    // Kept for the whole fit (captured steps bind their buffers): refilled each epoch.
    const cursor: RowCursor = { order: keep(zeros([n])), start: 0 };
    const acc = names.map(() => keep(zeros([])));
    kept.push(cursor.order, ...acc);
    for (const cb of all) await cb.onTrainBegin();
    for (let epoch = initialEpoch; epoch < epochs && !stopped(); epoch++) {
      for (const cb of all) await cb.onEpochBegin(epoch);
      const order = rowOrder(n, shuffle, rng);
      assign(cursor.order, order);
      order.dispose();
      tidy(() => acc.forEach((a) => assign(a, zeros([]))));
      let live: Logs = {};
      // The first read follows the epoch's first step: a live value within a step of the start.
      let lastRead = -Infinity;
      let reading = false;
      // A failed background read (a lost device) fails fit at the next step, never unhandled.
      let readError: unknown = null;
      let seen = 0;
      for (let step = 0; step < steps; step++) {
        const start = step * batchSize;
        const count = Math.min(batchSize, n - start);
        const beginLogs: Logs = { batch: step, size: count };
        for (const cb of all) await cb.onBatchBegin(step, beginLogs);
        cursor.start = start;
        const run = () => tidy(() => trainStep(model, c, fast, gatherAll(X, cursor, count) as Tensor[], gatherAll(Y, cursor, count), acc));
        if (fast ? fast.step(`batch ${count}`, run) : run()) c.optimizer.countStep();
        if (fast) await fast.endStep(step);
        else flush();
        seen = start + count;
        if (wantsLive && !reading && performance.now() - lastRead > LIVE_READ_MS) {
          // A progress read. The fast loop does not wait for it (it lands during a pacing
          // round); the plain one, which has no rounds, waits, as Keras's progress bar does.
          reading = true;
          const read = readSums(acc, seen, names, fast !== null).then(
            (l) => {
              live = l;
              reading = false;
              lastRead = performance.now();
            },
            (e: unknown) => {
              readError = e;
            },
          );
          if (!fast) await read;
        }
        if (readError) throw readError;
        // One logs object for every callback, as Keras's CallbackList: a callback may add to it.
        const batchLogs: Logs = { batch: step, size: count, ...live };
        for (const cb of all) await cb.onBatchEnd(step, batchLogs);
        if (stopped()) break;
      }
      const logs = await readSums(acc, seen, names);
      if (valData) {
        const v = await evaluateLogs(model, c, valData[0], valData[1], batchSize);
        for (const k of names) logs[`val_${k}`] = v[k];
      }
      if (c.optimizer.schedule) logs.learning_rate = c.optimizer.learningRate;
      for (const cb of all) await cb.onEpochEnd(epoch, logs);
      trainingLogs = logs;
    }
    for (const cb of all) await cb.onTrainEnd(trainingLogs);
  } finally {
    fast?.dispose();
    for (const t of kept) t.dispose();
    for (const w of c.trainable) w.tensor.requiresGrad = false;
    for (const r of uploaded) if (r.owned) r.data.dispose();
  }
  return history;
}
