// The 1cycle schedule (Smith 2018) as Hands-On ML (2nd ed., ch. 11) implements it in its
// OneCycleScheduler callback, here as a per-step schedule: the rate rises linearly from
// startRate to maxRate over the first half of training, falls back to startRate over the
// second half, then drops linearly to lastRate over the last `lastIterations` steps.
// Read next: decay-schedules.ts (Keras's schedules), optimizer.ts (who evaluates it).

import { LearningRateSchedule, type ScheduleConfig } from './schedule.ts';
import { integer, positive } from './validate.ts';

export interface OneCycleOptions {
  /** Defaults to maxRate / 10, as in the book. */
  startRate?: number;
  /** Steps of the final drop; defaults to floor(iterations / 10) + 1. */
  lastIterations?: number;
  /** Defaults to startRate / 1000. */
  lastRate?: number;
}

export class OneCycle extends LearningRateSchedule {
  readonly className = 'OneCycle';
  override readonly module = 'webgrad.optim';
  readonly startRate: number;
  readonly lastIterations: number;
  readonly lastRate: number;
  /** Steps of each of the two linear halves (the book's half_iteration). */
  readonly halfIteration: number;

  /** `iterations`: total optimizer steps of training (epochs × batches per epoch). */
  constructor(
    readonly iterations: number,
    readonly maxRate: number,
    options: OneCycleOptions = {},
  ) {
    super();
    integer('OneCycle', 'iterations', iterations, 1);
    positive('OneCycle', 'max_rate', maxRate);
    this.startRate = positive('OneCycle', 'start_rate', options.startRate ?? maxRate / 10);
    this.lastIterations = integer(
      'OneCycle',
      'last_iterations',
      options.lastIterations ?? Math.floor(iterations / 10) + 1,
      1,
    );
    this.lastRate = positive('OneCycle', 'last_rate', options.lastRate ?? this.startRate / 1000);
    this.halfIteration = Math.floor((iterations - this.lastIterations) / 2);
  }

  call(step: number): number {
    // Past the planned iterations the book's line would go negative: hold lastRate instead.
    const s = Math.min(step, this.iterations);
    const h = this.halfIteration;
    const lerp = (i1: number, i2: number, r1: number, r2: number) => ((r2 - r1) * (s - i1)) / (i2 - i1) + r1;
    if (s < h) return lerp(0, h, this.startRate, this.maxRate);
    if (s < 2 * h) return lerp(h, 2 * h, this.maxRate, this.startRate);
    return lerp(2 * h, this.iterations, this.startRate, this.lastRate);
  }

  getConfig(): ScheduleConfig {
    return {
      iterations: this.iterations,
      max_rate: this.maxRate,
      start_rate: this.startRate,
      last_iterations: this.lastIterations,
      last_rate: this.lastRate,
    };
  }
}
