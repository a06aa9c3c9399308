// The learning-rate schedule interface: a function of the optimizer step (Keras's
// `LearningRateSchedule.__call__(step)`), evaluated on the host in float64 once per
// optimizer step, plus the Keras JSON form used when an optimizer config is saved.
// Read next: decay-schedules.ts (Keras's schedules), one-cycle.ts, schedule-registry.ts.

export type ScheduleConfig = Record<string, unknown>;

/** A schedule as Keras 3 serializes it inside an optimizer config. */
export interface SerializedSchedule {
  module: string | null;
  class_name: string;
  config: ScheduleConfig;
  registered_name: string | null;
}

export abstract class LearningRateSchedule {
  /** The Keras class name ('ExponentialDecay', ...), the key in serialized configs. */
  abstract readonly className: string;
  /** The Python module Keras would import the class from. */
  readonly module: string = 'keras.optimizers.schedules';
  /** The learning rate after `step` optimizer updates (0 before the first one). */
  abstract call(step: number): number;
  /** The constructor arguments, snake_case as Keras writes them. */
  abstract getConfig(): ScheduleConfig;

  serialize(): SerializedSchedule {
    return { module: this.module, class_name: this.className, config: this.getConfig(), registered_name: null };
  }
}
