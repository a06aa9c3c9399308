// ModelCheckpoint: Keras's callback that saves the model (or its weights) at the end of each
// epoch, or only when the monitored value improves (keras/src/callbacks/model_checkpoint.py,
// save_freq='epoch'). The file path may hold Python format fields, `{epoch:02d}` (counted from
// 1) or `{val_loss:.4f}`, filled from the epoch's logs. Saving is atomic (model.save, save.ts).
// Read next: save.ts, src/optim/callback.ts (the hooks fit() calls).

import { Callback, type Logs } from '../optim/callback.ts';
import { monitorDirection } from '../nn/callbacks/callbacks.ts';
import { formatOf } from './model-files.ts';
import type { Network } from '../nn/model/network.ts';
import type { FitContext } from '../nn/model/training.ts';

export interface ModelCheckpointOptions {
  /** Where to save; '.keras' or '.h5' for a model, '.weights.h5' with saveWeightsOnly. */
  filepath: string;
  /** Save only when `monitor` improves on the best value seen so far. */
  saveBestOnly?: boolean;
  /** The logs key to watch (default 'val_loss'). */
  monitor?: string;
  /** 'auto' minimizes losses and maximizes metrics whose direction is up (accuracy). */
  mode?: 'auto' | 'min' | 'max';
  saveWeightsOnly?: boolean;
  /** 1 prints a line for each save or skip. */
  verbose?: 0 | 1;
}

/** One Python format field: `{name}` or `{name:[0][width][d | .Nf | .Ne]}`. */
function formatField(value: number, spec: string, field: string): string {
  const m = /^(0?)(\d*)(d|\.(\d+)([fe]))?$/.exec(spec);
  if (!m) throw new RangeError(`ModelCheckpoint: format spec '${spec}' in {${field}} is not supported (use d, .Nf or .Ne, with an optional 0 and width)`);
  const [, zero, width, type, precision, kind] = m;
  if (type === 'd' && !Number.isInteger(value)) throw new RangeError(`ModelCheckpoint: {${field}} is ${value}, not an integer, so 'd' cannot format it`);
  const abs = Math.abs(value);
  // Python writes exponents with at least two digits: 1.5e-05, not 1.5e-5.
  const digits = kind === 'f' ? abs.toFixed(Number(precision)) : kind === 'e' ? abs.toExponential(Number(precision)).replace(/e([+-])(\d)$/, (_, sign: string, d: string) => `e${sign}0${d}`) : String(abs);
  const sign = value < 0 ? '-' : '';
  const w = Number(width || 0);
  return zero ? sign + digits.padStart(w - sign.length, '0') : (sign + digits).padStart(w);
}

/** Python's filepath.format(epoch=epoch + 1, **logs), as Keras fills the checkpoint path. */
export function checkpointPath(template: string, epoch: number, logs: Logs): string {
  const values: Logs = { ...logs, epoch: epoch + 1 };
  return template.replace(/\{([A-Za-z_]\w*)(?::([^}]*))?\}/g, (_, field: string, spec: string | undefined) => {
    const value = values[field];
    if (value === undefined) {
      throw new RangeError(`ModelCheckpoint: filepath ${JSON.stringify(template)} uses {${field}}, which is not in the logs (${Object.keys(values).join(', ')})`);
    }
    return formatField(value, spec ?? '', field);
  });
}

export class ModelCheckpoint extends Callback {
  readonly filepath: string;
  readonly saveBestOnly: boolean;
  readonly monitor: string;
  readonly mode: 'auto' | 'min' | 'max';
  readonly saveWeightsOnly: boolean;
  readonly verbose: 0 | 1;
  /** The best monitored value so far (Keras's `best`); null until the first epoch with saveBestOnly. */
  best: number | null = null;
  private direction: 'less' | 'greater' | null = null;

  constructor({ filepath, saveBestOnly = false, monitor = 'val_loss', mode = 'auto', saveWeightsOnly = false, verbose = 0 }: ModelCheckpointOptions) {
    super();
    if (!['auto', 'min', 'max'].includes(mode)) throw new RangeError(`ModelCheckpoint: mode must be 'auto', 'min' or 'max', got '${String(mode)}'`);
    // Keras 3 asks for these extensions too; checking now beats failing after an epoch.
    const format = formatOf(filepath);
    if (saveWeightsOnly !== (format === 'weights.h5')) {
      throw new RangeError(
        `ModelCheckpoint: filepath ${JSON.stringify(filepath)} must end in ${saveWeightsOnly ? "'.weights.h5' when saveWeightsOnly is true" : "'.keras' or '.h5' (use saveWeightsOnly: true for '.weights.h5')"}`,
      );
    }
    this.filepath = filepath;
    this.saveBestOnly = saveBestOnly;
    this.monitor = monitor;
    this.mode = mode;
    this.saveWeightsOnly = saveWeightsOnly;
    this.verbose = verbose;
  }

  private get model(): Network {
    const model = (this.context as Partial<FitContext> | undefined)?.model;
    if (!model) throw new Error('ModelCheckpoint: no model in the callback context; pass the callback to model.fit({ callbacks: [...] })');
    return model;
  }


  override async onEpochEnd(epoch: number, logs: Logs = {}): Promise<void> {
    const path = checkpointPath(this.filepath, epoch, logs);
    if (this.saveBestOnly) {
      this.direction ??= monitorDirection(this.model, this.monitor, this.mode, 'ModelCheckpoint');
      this.best ??= this.direction === 'less' ? Infinity : -Infinity;
      const current = logs[this.monitor];
      if (current === undefined) {
        console.warn(`ModelCheckpoint: can save the best model only with ${this.monitor} available; it is not in the logs (${Object.keys(logs).join(', ')}), skipping`);
        return;
      }
      const improved = this.direction === 'less' ? current < this.best : current > this.best;
      if (!improved) {
        if (this.verbose) console.log(`\nEpoch ${epoch + 1}: ${this.monitor} did not improve from ${this.best}`);
        return;
      }
      if (this.verbose) console.log(`\nEpoch ${epoch + 1}: ${this.monitor} improved from ${this.best} to ${current}, saving model to ${path}`);
      this.best = current;
    } else if (this.verbose) console.log(`\nEpoch ${epoch + 1}: saving model to ${path}`);
    await (this.saveWeightsOnly ? this.model.saveWeights(path) : this.model.save(path));
  }
}
