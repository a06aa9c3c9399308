// History: what fit() returns — per-epoch logs under Keras's keys (loss, accuracy,
// val_loss, val_accuracy, learning_rate) and the list of epochs.

import { Callback, type Logs } from '../../optim/callback.ts';

export class History extends Callback {
  epoch: number[] = [];
  history: Record<string, number[]> = {};

  override onEpochEnd(epoch: number, logs: Logs = {}): void {
    this.epoch.push(epoch);
    for (const [k, v] of Object.entries(logs)) (this.history[k] ??= []).push(v);
  }
}
