// Keras 3's built-in training callbacks that need the model: EarlyStopping
// (keras/src/callbacks/early_stopping.py), TerminateOnNaN (terminate_on_nan.py) and
// LambdaCallback (lambda_callback.py). fit() hands them a FitContext (training.ts); the
// learning-rate callbacks live in src/optim/lr-callbacks.ts. Read next: ../training.ts (when hooks run).

import { Callback, type Logs } from '../../optim/callback.ts';
import { assign } from '../../tensor/assign.ts';
import { keep } from '../../tensor/memory.ts';
import { emptyTensor, type Tensor } from '../../tensor/tensor.ts';
import { lossTerms, metricKeys } from '../model/compile.ts';
import type { Network } from '../model/network.ts';
import type { FitContext } from '../model/training.ts';

/** The model behind a callback's context (fit's FitContext carries it). */
function modelOf(cb: Callback, who: string): Network {
  const model = (cb.context as Partial<FitContext> | undefined)?.model;
  if (!model) throw new Error(`${who}: no model in the callback context; pass the callback to model.fit({ callbacks: [...] })`);
  return model;
}

/** Keras's `model.stop_training = True`: fit finishes the current batch and epoch, then stops. */
function stopTraining(cb: Callback): void {
  cb.context.stopTraining = true;
  const model = (cb.context as Partial<FitContext>).model;
  if (model) model.stopTraining = true;
}

/**
 * Keras's _set_monitor_op, shared by the callbacks that watch a logs key: 'min'/'max' force
 * the direction; 'auto' reads '(val_)loss' as lower-is-better, else the compiled metric's
 * `direction`, and cannot guess any other key.
 */
export function monitorDirection(model: Network, monitor: string, mode: 'auto' | 'min' | 'max', who: string): 'less' | 'greater' {
  if (mode === 'min') return 'less';
  if (mode === 'max') return 'greater';
  const name = monitor.replace(/^val_/, '');
  const c = model.compiled;
  if (name === 'loss' || (c && lossTerms(c).some((o) => `${o.name}_loss` === name))) return 'less';
  const metric = c && metricKeys(c).find(([k]) => k === name)?.[1];
  if (metric) return metric.direction === 'up' ? 'greater' : 'less';
  throw new RangeError(
    `${who}: cannot tell whether '${monitor}' should be minimized or maximized; pass mode: 'max' to act on the highest value or mode: 'min' for the lowest`,
  );
}

export interface EarlyStoppingOptions {
  /** The logs key to watch (default 'val_loss'). */
  monitor?: string;
  /** A change smaller than this (in absolute value) is no improvement. */
  minDelta?: number;
  /** Epochs without improvement after which training stops. */
  patience?: number;
  /** 1 prints when it stops and when it restores weights. */
  verbose?: number;
  /** 'auto' minimizes losses and maximizes metrics whose direction is up (accuracy). */
  mode?: 'auto' | 'min' | 'max';
  /** Training stops unless the monitored value beats this within `patience` epochs. */
  baseline?: number | null;
  /** At the end of training, set the weights of the best epoch (kept on the GPU). */
  restoreBestWeights?: boolean;
  /** Epochs to wait before monitoring starts (a warm-up). */
  startFromEpoch?: number;
}

/**
 * Stops training when `monitor` has not improved for `patience` epochs. With
 * `restoreBestWeights`, the weights of the best epoch are restored when training ends,
 * whether it stopped early or ran all its epochs (Keras 3).
 */
export class EarlyStopping extends Callback {
  readonly monitor: string;
  readonly minDelta: number;
  readonly patience: number;
  readonly verbose: number;
  readonly mode: 'auto' | 'min' | 'max';
  readonly baseline: number | null;
  readonly restoreBestWeights: boolean;
  readonly startFromEpoch: number;
  /** Keras's state: epochs since the last improvement, the epoch it stopped at, the best value and epoch. */
  wait = 0;
  stoppedEpoch = 0;
  best = Infinity;
  bestEpoch = 0;
  /** 'less' or 'greater', fixed at the first epoch end (the model's metrics are known then). */
  private direction: 'less' | 'greater' | null = null;
  /** GPU copies of the model's weights (model.setWeights order) at the best epoch. */
  private bestWeights: Tensor[] | null = null;

  constructor(options: EarlyStoppingOptions = {}) {
    super();
    this.monitor = options.monitor ?? 'val_loss';
    this.minDelta = Math.abs(options.minDelta ?? 0);
    this.patience = options.patience ?? 0;
    this.verbose = options.verbose ?? 0;
    this.baseline = options.baseline ?? null;
    this.restoreBestWeights = options.restoreBestWeights ?? false;
    this.startFromEpoch = options.startFromEpoch ?? 0;
    for (const [k, v] of [['patience', this.patience], ['startFromEpoch', this.startFromEpoch]] as const) {
      if (!Number.isInteger(v) || v < 0) throw new RangeError(`EarlyStopping: ${k} must be an integer >= 0, got ${v}`);
    }
    if (!Number.isFinite(this.minDelta)) throw new RangeError(`EarlyStopping: minDelta must be a finite number, got ${options.minDelta}`);
    const mode = options.mode ?? 'auto';
    // NOTE: Keras warns and falls back to 'auto' for an unknown mode; a typo is better an error here.
    if (!['auto', 'min', 'max'].includes(mode)) throw new RangeError(`EarlyStopping: mode must be 'auto', 'min' or 'max', got '${String(mode)}'`);
    this.mode = mode;
  }

  private isImprovement(value: number, reference: number): boolean {
    return this.direction === 'less' ? value + this.minDelta < reference : value - this.minDelta > reference;
  }

  override onTrainBegin(): void {
    // Reset everything so an instance can be reused across fits (Keras #20521, #20256).
    this.wait = 0;
    this.stoppedEpoch = 0;
    this.bestEpoch = 0;
    this.freeBestWeights();
    if (this.direction) this.best = this.direction === 'less' ? Infinity : -Infinity;
  }

  override onEpochEnd(epoch: number, logs: Logs = {}): void {
    const model = modelOf(this, 'EarlyStopping');
    if (!this.direction) {
      this.direction = monitorDirection(model, this.monitor, this.mode, 'EarlyStopping');
      this.best = this.direction === 'less' ? Infinity : -Infinity;
    }
    const current = logs[this.monitor];
    if (current === undefined) {
      console.warn(`EarlyStopping: conditioned on metric '${this.monitor}' which is not available. Available metrics are: ${Object.keys(logs).join(',')}`);
      return;
    }
    if (epoch < this.startFromEpoch) return;
    this.wait++;
    const improved = this.isImprovement(current, this.best);
    // Copy the weights on an improvement, and at the first monitored epoch even without one
    // (a NaN value): Keras's "if best weights were never set, the current weights are the best".
    if (this.restoreBestWeights && (improved || !this.bestWeights)) this.snapshot(model, epoch);
    if (improved) {
      this.best = current;
      this.bestEpoch = epoch;
      // Only restart the count when the value beats the baseline too.
      if (this.baseline === null || this.isImprovement(current, this.baseline)) this.wait = 0;
      return;
    }
    if (this.wait >= this.patience && epoch > 0) {
      this.stoppedEpoch = epoch;
      stopTraining(this);
    }
  }

  override onTrainEnd(): void {
    if (this.stoppedEpoch > 0 && this.verbose > 0) console.log(`Epoch ${this.stoppedEpoch + 1}: early stopping`);
    if (this.restoreBestWeights && this.bestWeights) {
      if (this.verbose > 0) console.log(`Restoring model weights from the end of the best epoch: ${this.bestEpoch + 1}.`);
      modelOf(this, 'EarlyStopping').setWeights(this.bestWeights);
      this.freeBestWeights();
    }
  }

  /** Copies every weight on the GPU (no readback), replacing the previous copy. */
  private snapshot(model: Network, epoch: number): void {
    this.freeBestWeights();
    this.bestEpoch = epoch;
    this.bestWeights = model.layers.flatMap((l) =>
      l.weights.map((w) => {
        const copy = keep(emptyTensor(w.tensor.shape));
        assign(copy, w.tensor);
        return copy;
      }),
    );
  }

  private freeBestWeights(): void {
    for (const t of this.bestWeights ?? []) t.dispose();
    this.bestWeights = null;
  }
}

/**
 * Stops training when the loss becomes NaN or Infinity. Keras checks every batch's loss;
 * fit() reads the running loss only now and then (see training.ts), so this checks the
 * batch logs whenever they carry a loss, and the epoch's loss at every epoch end.
 */
export class TerminateOnNaN extends Callback {
  /** Throw instead of stopping gracefully (Keras's raise_error): later callbacks' onTrainEnd does not run. */
  readonly raiseError: boolean;

  constructor({ raiseError = false }: { raiseError?: boolean } = {}) {
    super();
    this.raiseError = raiseError;
  }

  override onBatchEnd(batch: number, logs: Logs = {}): void {
    this.check('Batch', batch, logs.loss);
  }

  override onEpochEnd(epoch: number, logs: Logs = {}): void {
    this.check('Epoch', epoch, logs.loss);
  }

  private check(where: 'Batch' | 'Epoch', index: number, loss: number | undefined): void {
    if (loss === undefined || Number.isFinite(loss) || this.context.stopTraining) return;
    if (this.raiseError) throw new Error(`TerminateOnNaN: loss is ${loss} at ${where.toLowerCase()} ${index}; training stopped`);
    console.warn(`${where} ${index}: Invalid loss, terminating training`);
    stopTraining(this);
  }
}

/** The hooks LambdaCallback accepts; each gets what the Callback method of the same name gets. */
export interface LambdaCallbackHooks {
  onTrainBegin?: (logs?: Logs) => void | Promise<void>;
  onTrainEnd?: (logs?: Logs) => void | Promise<void>;
  onEpochBegin?: (epoch: number, logs?: Logs) => void | Promise<void>;
  onEpochEnd?: (epoch: number, logs?: Logs) => void | Promise<void>;
  onBatchBegin?: (batch: number, logs?: Logs) => void | Promise<void>;
  onBatchEnd?: (batch: number, logs?: Logs) => void | Promise<void>;
}

/** A callback from plain functions, e.g. new LambdaCallback({ onEpochEnd: (epoch, logs) => ... }). */
export class LambdaCallback extends Callback {
  constructor(private readonly hooks: LambdaCallbackHooks = {}) {
    super();
  }

  override onTrainBegin(logs?: Logs): void | Promise<void> {
    return this.hooks.onTrainBegin?.(logs);
  }

  override onTrainEnd(logs?: Logs): void | Promise<void> {
    return this.hooks.onTrainEnd?.(logs);
  }

  override onEpochBegin(epoch: number, logs?: Logs): void | Promise<void> {
    return this.hooks.onEpochBegin?.(epoch, logs);
  }

  override onEpochEnd(epoch: number, logs?: Logs): void | Promise<void> {
    return this.hooks.onEpochEnd?.(epoch, logs);
  }

  override onBatchBegin(batch: number, logs?: Logs): void | Promise<void> {
    return this.hooks.onBatchBegin?.(batch, logs);
  }

  override onBatchEnd(batch: number, logs?: Logs): void | Promise<void> {
    return this.hooks.onBatchEnd?.(batch, logs);
  }
}
