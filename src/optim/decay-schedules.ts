// Keras 3's learning-rate schedules, formula for formula
// (keras/src/optimizers/schedules/learning_rate_schedule.py): exponential, inverse-time,
// piecewise-constant, polynomial and cosine (with linear warmup) decay. Arguments are
// positional in Keras's order, with `name` last. Read next: one-cycle.ts (1cycle),
// optimizer.ts (which evaluates a schedule at `iterations` on every step).

import { LearningRateSchedule, type ScheduleConfig } from './schedule.ts';
import { integer, nonNegative, positive } from './validate.ts';

/** The four arguments Keras's exponential and inverse-time decays share, and their config. */
abstract class StepDecay extends LearningRateSchedule {
  constructor(
    readonly initialLearningRate: number,
    readonly decaySteps: number,
    readonly decayRate: number,
    readonly staircase: boolean,
    readonly name: string,
  ) {
    super();
    nonNegative(name, 'initial_learning_rate', initialLearningRate);
    positive(name, 'decay_steps', decaySteps);
    nonNegative(name, 'decay_rate', decayRate);
  }
  /** step / decaySteps, floored when `staircase`. */
  protected progress(step: number): number {
    const p = step / this.decaySteps;
    return this.staircase ? Math.floor(p) : p;
  }
  getConfig(): ScheduleConfig {
    const { initialLearningRate, decaySteps, decayRate, staircase, name } = this;
    return {
      initial_learning_rate: initialLearningRate,
      decay_steps: decaySteps,
      decay_rate: decayRate,
      staircase,
      name,
    };
  }
}

/** lr · rate^(step / decaySteps), the exponent floored when `staircase`. */
export class ExponentialDecay extends StepDecay {
  readonly className = 'ExponentialDecay';
  constructor(initialLearningRate: number, decaySteps: number, decayRate: number, staircase = false, name = 'ExponentialDecay') {
    super(initialLearningRate, decaySteps, decayRate, staircase, name);
  }
  call(step: number): number {
    return this.initialLearningRate * this.decayRate ** this.progress(step);
  }
}

/** lr / (1 + rate · step / decaySteps), the quotient floored when `staircase`. */
export class InverseTimeDecay extends StepDecay {
  readonly className = 'InverseTimeDecay';
  constructor(initialLearningRate: number, decaySteps: number, decayRate: number, staircase = false, name = 'InverseTimeDecay') {
    super(initialLearningRate, decaySteps, decayRate, staircase, name);
  }
  call(step: number): number {
    return this.initialLearningRate / (1 + this.decayRate * this.progress(step));
  }
}

/** values[0] while step <= boundaries[0], values[i] while step <= boundaries[i], then the last value. */
export class PiecewiseConstantDecay extends LearningRateSchedule {
  readonly className = 'PiecewiseConstantDecay';
  readonly boundaries: readonly number[];
  readonly values: readonly number[];
  constructor(
    boundaries: readonly number[],
    values: readonly number[],
    readonly name = 'PiecewiseConstant',
  ) {
    super();
    if (values.length !== boundaries.length + 1) {
      throw new RangeError(
        `${name}: values must have one more element than boundaries, got ${boundaries.length} boundaries [${boundaries.join(', ')}] and ${values.length} values [${values.join(', ')}]`,
      );
    }
    boundaries.forEach((b, i) => {
      if (!Number.isFinite(b) || (i > 0 && b <= boundaries[i - 1])) {
        throw new RangeError(
          `${name}: boundaries must be finite and strictly increasing, got [${boundaries.join(', ')}]`,
        );
      }
    });
    values.forEach((v, i) => nonNegative(name, `values[${i}]`, v));
    this.boundaries = [...boundaries];
    this.values = [...values];
  }
  call(step: number): number {
    const i = this.boundaries.findIndex((b) => step <= b);
    return this.values[i === -1 ? this.values.length - 1 : i];
  }
  getConfig(): ScheduleConfig {
    return { boundaries: [...this.boundaries], values: [...this.values], name: this.name };
  }
}

/**
 * (lr − end) · (1 − step/decaySteps)^power + end, with step capped at decaySteps; with
 * `cycle`, decaySteps grows to the first multiple of itself that is >= step instead.
 */
export class PolynomialDecay extends LearningRateSchedule {
  readonly className = 'PolynomialDecay';
  constructor(
    readonly initialLearningRate: number,
    readonly decaySteps: number,
    readonly endLearningRate = 0.0001,
    readonly power = 1.0,
    readonly cycle = false,
    readonly name = 'PolynomialDecay',
  ) {
    super();
    nonNegative(name, 'initial_learning_rate', initialLearningRate);
    positive(name, 'decay_steps', decaySteps);
    nonNegative(name, 'end_learning_rate', endLearningRate);
    nonNegative(name, 'power', power);
  }
  call(step: number): number {
    let s = step;
    let steps = this.decaySteps;
    // Keras: the multiplier is 1 at step 0, else ceil(step / decay_steps).
    if (this.cycle) steps *= s === 0 ? 1 : Math.ceil(s / steps);
    else s = Math.min(s, steps);
    const { initialLearningRate: lr0, endLearningRate: end } = this;
    return (lr0 - end) * (1 - s / steps) ** this.power + end;
  }
  getConfig(): ScheduleConfig {
    const { initialLearningRate, decaySteps, endLearningRate, power, cycle, name } = this;
    return {
      initial_learning_rate: initialLearningRate,
      decay_steps: decaySteps,
      end_learning_rate: endLearningRate,
      power,
      cycle,
      name,
    };
  }
}

/**
 * Cosine decay (SGDR, Loshchilov & Hutter 2016) from lr to lr·alpha over decaySteps. With a
 * `warmupTarget`, first a linear warmup from lr to the target over warmupSteps, then the
 * cosine decay from the target (Keras 3 semantics, Goyal et al. 2017).
 */
export class CosineDecay extends LearningRateSchedule {
  readonly className = 'CosineDecay';
  constructor(
    readonly initialLearningRate: number,
    readonly decaySteps: number,
    readonly alpha = 0.0,
    readonly warmupTarget: number | null = null,
    readonly warmupSteps = 0,
    readonly name = 'CosineDecay',
  ) {
    super();
    nonNegative(name, 'initial_learning_rate', initialLearningRate);
    positive(name, 'decay_steps', decaySteps);
    nonNegative(name, 'alpha', alpha);
    if (warmupTarget !== null) nonNegative(name, 'warmup_target', warmupTarget);
    integer(name, 'warmup_steps', warmupSteps);
  }
  private decayed(step: number, from: number): number {
    const cosine = 0.5 * (1 + Math.cos((Math.PI * step) / this.decaySteps));
    return from * ((1 - this.alpha) * cosine + this.alpha);
  }
  call(step: number): number {
    const { warmupTarget: target, warmupSteps: warm, decaySteps, initialLearningRate: lr0 } = this;
    if (target === null) return this.decayed(Math.min(step, decaySteps), lr0);
    const s = Math.min(step, decaySteps + warm);
    if (s < warm) return (target - lr0) * (s / warm) + lr0;
    return this.decayed(s - warm, target);
  }
  getConfig(): ScheduleConfig {
    const { initialLearningRate, decaySteps, alpha, name, warmupTarget, warmupSteps } = this;
    return {
      initial_learning_rate: initialLearningRate,
      decay_steps: decaySteps,
      alpha,
      name,
      warmup_target: warmupTarget,
      warmup_steps: warmupSteps,
    };
  }
}
