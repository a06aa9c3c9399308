// The callback interface fit() drives (Keras's keras.callbacks.Callback), kept minimal:
// a callback sees the epoch/batch logs and a TrainingContext with the optimizer and the
// stop flag. Hooks may be async; fit awaits them in order.
// Read next: lr-callbacks.ts (LearningRateScheduler, ReduceLROnPlateau).

import type { Optimizer } from './optimizer.ts';

export type Logs = Record<string, number>;

/** What a callback may touch during training. */
export interface TrainingContext {
  optimizer: Optimizer;
  stopTraining: boolean;
}

export abstract class Callback {
  /** Set by fit before onTrainBegin. */
  context!: TrainingContext;
  onTrainBegin(_logs?: Logs): void | Promise<void> {}
  onTrainEnd(_logs?: Logs): void | Promise<void> {}
  onEpochBegin(_epoch: number, _logs?: Logs): void | Promise<void> {}
  onEpochEnd(_epoch: number, _logs?: Logs): void | Promise<void> {}
  onBatchBegin(_batch: number, _logs?: Logs): void | Promise<void> {}
  onBatchEnd(_batch: number, _logs?: Logs): void | Promise<void> {}
}
