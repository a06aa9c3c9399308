// webgrad's optimizers, learning-rate schedules and scheduling callbacks (src/optim), the
// public surface re-exported by src/index.ts. Read next: optimizer.ts (the base class),
// decay-schedules.ts, lr-callbacks.ts.

export { Adagrad, type AdagradOptions } from './adagrad.ts';
export { Adam, type AdamOptions } from './adam.ts';
export { Adamax, type AdamaxOptions } from './adamax.ts';
export { AdamW } from './adamw.ts';
export { Callback, type Logs, type TrainingContext } from './callback.ts';
export { LearningRateScheduler, ReduceLROnPlateau, type ReduceLROnPlateauOptions } from './lr-callbacks.ts';
export type { OptimizerConfig } from './config.ts';
export { Nadam, type NadamOptions } from './nadam.ts';
export { OneCycle, type OneCycleOptions } from './one-cycle.ts';
export { Optimizer, type OptimizerOptions, type OptimizerWeightSpec } from './optimizer.ts';
export {
  getOptimizer,
  optimizerFromConfig,
  serializeOptimizer,
  type OptimizerName,
  type SerializedOptimizer,
} from './optimizer-registry.ts';
export { RMSprop, type RMSpropOptions } from './rmsprop.ts';
export { LearningRateSchedule, type ScheduleConfig, type SerializedSchedule } from './schedule.ts';
export { scheduleFromConfig } from './schedule-registry.ts';
export {
  CosineDecay,
  ExponentialDecay,
  InverseTimeDecay,
  PiecewiseConstantDecay,
  PolynomialDecay,
} from './decay-schedules.ts';
export { SGD, type SGDOptions } from './sgd.ts';
