// Keras 3's learning-rate callbacks: LearningRateScheduler (learning_rate_scheduler.py)
// sets the rate from fn(epoch, lr) at each epoch's start; ReduceLROnPlateau
// (reduce_lr_on_plateau.py) multiplies it by `factor` when a metric stops improving, with
// Keras's state machine. Both write logs.learning_rate at epoch end, so History records it.
// Read next: callback.ts (the interface), optimizer.ts (learningRate).

import { Callback, type Logs } from './callback.ts';
import { integer, nonNegative, positive } from './validate.ts';

/** Sets optimizer.learningRate = schedule(epoch, currentLr) before every epoch. */
export class LearningRateScheduler extends Callback {
  constructor(
    readonly schedule: (epoch: number, lr: number) => number,
    readonly verbose = 0,
  ) {
    super();
  }

  override onEpochBegin(epoch: number): void {
    const optimizer = this.context.optimizer;
    const lr = this.schedule(epoch, optimizer.learningRate);
    if (typeof lr !== 'number' || !Number.isFinite(lr)) {
      throw new TypeError(
        `LearningRateScheduler: the schedule function must return a finite number, got ${String(lr)} at epoch ${epoch}`,
      );
    }
    optimizer.learningRate = lr;
    if (this.verbose > 0) console.log(`\nEpoch ${epoch + 1}: LearningRateScheduler setting learning rate to ${lr}.`);
  }

  override onEpochEnd(_epoch: number, logs?: Logs): void {
    if (logs) logs.learning_rate = this.context.optimizer.learningRate;
  }
}

export interface ReduceLROnPlateauOptions {
  monitor?: string;
  /** new_lr = lr · factor; must be < 1. */
  factor?: number;
  /** Epochs without improvement before the rate is reduced. */
  patience?: number;
  verbose?: number;
  /** 'auto' maximizes metrics whose name contains "acc" and minimizes the others. */
  mode?: 'auto' | 'min' | 'max';
  /** An improvement must beat the best value by more than this. */
  minDelta?: number;
  /** Epochs to wait after a reduction before counting again. */
  cooldown?: number;
  minLr?: number;
}

export class ReduceLROnPlateau extends Callback {
  readonly monitor: string;
  readonly factor: number;
  readonly patience: number;
  readonly verbose: number;
  readonly mode: 'auto' | 'min' | 'max';
  readonly minDelta: number;
  readonly cooldown: number;
  readonly minLr: number;
  /** Keras's state: epochs without improvement, cooldown left, best value so far. */
  wait = 0;
  cooldownCounter = 0;
  best = Infinity;
  private improved!: (current: number, best: number) => boolean;

  constructor(options: ReduceLROnPlateauOptions = {}) {
    super();
    this.monitor = options.monitor ?? 'val_loss';
    this.factor = positive('ReduceLROnPlateau', 'factor', options.factor ?? 0.1);
    if (this.factor >= 1) throw new RangeError(`ReduceLROnPlateau: factor must be < 1, got ${this.factor}`);
    this.patience = integer('ReduceLROnPlateau', 'patience', options.patience ?? 10);
    this.verbose = options.verbose ?? 0;
    this.mode = options.mode ?? 'auto';
    if (!['auto', 'min', 'max'].includes(this.mode)) {
      throw new RangeError(`ReduceLROnPlateau: mode must be 'auto', 'min' or 'max', got '${String(this.mode)}'`);
    }
    this.minDelta = nonNegative('ReduceLROnPlateau', 'min_delta', options.minDelta ?? 1e-4);
    this.cooldown = integer('ReduceLROnPlateau', 'cooldown', options.cooldown ?? 0);
    this.minLr = nonNegative('ReduceLROnPlateau', 'min_lr', options.minLr ?? 0);
    this.reset();
  }

  private reset(): void {
    if (this.mode === 'min' || (this.mode === 'auto' && !this.monitor.includes('acc'))) {
      this.improved = (a, b) => a < b - this.minDelta;
      this.best = Infinity;
    } else {
      this.improved = (a, b) => a > b + this.minDelta;
      this.best = -Infinity;
    }
    this.cooldownCounter = 0;
    this.wait = 0;
  }

  get inCooldown(): boolean {
    return this.cooldownCounter > 0;
  }

  override onTrainBegin(): void {
    this.reset();
  }

  override onEpochEnd(epoch: number, logs: Logs = {}): void {
    const optimizer = this.context.optimizer;
    logs.learning_rate = optimizer.learningRate;
    const current = logs[this.monitor];
    if (current === undefined) {
      console.warn(
        `ReduceLROnPlateau: learning rate reduction is conditioned on metric '${this.monitor}' which is not available. Available metrics are: ${Object.keys(logs).join(',')}.`,
      );
      return;
    }
    if (this.inCooldown) {
      this.cooldownCounter--;
      this.wait = 0;
    }
    if (this.improved(current, this.best)) {
      this.best = current;
      this.wait = 0;
    } else if (!this.inCooldown) {
      this.wait++;
      if (this.wait >= this.patience) {
        // Keras compares its float32 rate variable with float32(min_lr).
        const oldLr = Math.fround(optimizer.learningRate);
        if (oldLr > Math.fround(this.minLr)) {
          const newLr = Math.max(oldLr * this.factor, this.minLr);
          optimizer.learningRate = newLr;
          if (this.verbose > 0)
            console.log(`\nEpoch ${epoch + 1}: ReduceLROnPlateau reducing learning rate to ${newLr}.`);
          this.cooldownCounter = this.cooldown;
          this.wait = 0;
        }
      }
    }
  }
}
