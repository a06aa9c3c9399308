// LearningRateScheduler and ReduceLROnPlateau driven by scripted epochs: the optimizer's
// rate after each epoch and the learning_rate logged, against Keras 3's state machine
// traced by hand. Host-only: no GPU (constructing an optimizer allocates nothing).

import { describe, expect, test, vi } from 'vitest';
import { ExponentialDecay, LearningRateScheduler, type Logs, ReduceLROnPlateau, SGD } from '../../src/optim/index.ts';
import type { Callback } from '../../src/optim/callback.ts';

function attach(cb: Callback, lr: number | ExponentialDecay = 0.01): SGD {
  const optimizer = new SGD({ learningRate: lr });
  cb.context = { optimizer, stopTraining: false };
  return optimizer;
}

/** Runs onTrainBegin, then onEpochEnd with `monitor` set to each value; returns the logged rates and the final one. */
function plateau(
  cb: ReduceLROnPlateau,
  values: number[],
  monitor = 'val_loss',
  lr = 0.01,
): { logged: number[]; final: number } {
  const opt = attach(cb, lr);
  cb.onTrainBegin();
  const logged = values.map((v, epoch) => {
    const logs: Logs = { [monitor]: v };
    cb.onEpochEnd(epoch, logs);
    return logs.learning_rate;
  });
  return { logged, final: opt.learningRate };
}

describe('LearningRateScheduler', () => {
  test("sets the rate at each epoch's start and logs it (the seed's exponential_decay_fn)", () => {
    const exponentialDecayFn = (epoch: number) => 0.01 * 0.1 ** (epoch / 20);
    const cb = new LearningRateScheduler(exponentialDecayFn);
    const opt = attach(cb, 0.5);
    for (const epoch of [0, 1, 10, 20, 40]) {
      cb.onEpochBegin(epoch);
      expect(opt.learningRate).toBeCloseTo(exponentialDecayFn(epoch), 15);
      const logs: Logs = { loss: 1 };
      cb.onEpochEnd(epoch, logs);
      expect(logs.learning_rate).toBe(opt.learningRate);
    }
    expect(opt.learningRate).toBeCloseTo(0.0001, 15);
  });

  test('passes the current rate as the second argument', () => {
    const cb = new LearningRateScheduler((epoch, lr) => (epoch < 2 ? lr : lr * 0.5));
    const opt = attach(cb, 0.08);
    const rates = [0, 1, 2, 3, 4].map((e) => (cb.onEpochBegin(e), opt.learningRate));
    expect(rates).toEqual([0.08, 0.08, 0.04, 0.02, 0.01]);
  });

  test('rejects a non-number result and an optimizer driven by a schedule', () => {
    const bad = new LearningRateScheduler(() => Number.NaN);
    attach(bad);
    expect(() => bad.onEpochBegin(3)).toThrow(/must return a finite number, got NaN at epoch 3/);
    const cb = new LearningRateScheduler(() => 0.1);
    attach(cb, new ExponentialDecay(0.1, 10, 0.5));
    expect(() => cb.onEpochBegin(0)).toThrow(/LearningRateSchedule/);
  });
});

describe('ReduceLROnPlateau (Keras 3 state machine)', () => {
  test('patience: reduces after `patience` epochs without improvement, then waits again', () => {
    const { logged, final } = plateau(
      new ReduceLROnPlateau({ factor: 0.5, patience: 2, minDelta: 0 }),
      [1.0, 0.9, 0.95, 0.92, 0.91, 0.85, 0.86, 0.87],
    );
    // Reductions at epochs 3 and 7; each epoch logs the rate it trained with.
    expect(logged.map((x) => +x.toPrecision(6))).toEqual([0.01, 0.01, 0.01, 0.01, 0.005, 0.005, 0.005, 0.005]);
    expect(final).toBeCloseTo(0.0025, 9);
  });

  test('minDelta: an improvement must beat the best by more than minDelta', () => {
    const cb = new ReduceLROnPlateau({ factor: 0.1, patience: 1, minDelta: 0.1 });
    const { logged, final } = plateau(cb, [1.0, 0.95, 0.85, 0.8]);
    // 0.95 is no improvement (reduce), 0.85 < 1 − 0.1 is, 0.8 is not (reduce).
    expect(logged.map((x) => +x.toPrecision(6))).toEqual([0.01, 0.01, 0.001, 0.001]);
    expect(final).toBeCloseTo(0.0001, 10);
    expect(cb.best).toBe(0.85);
  });

  test('cooldown: after a reduction, `cooldown` epochs pass before counting resumes', () => {
    const { logged } = plateau(new ReduceLROnPlateau({ factor: 0.5, patience: 1, cooldown: 2 }), [1, 1, 1, 1, 1, 1, 1]);
    // Reductions at epochs 1, 3 and 5.
    expect(logged.map((x) => +x.toPrecision(6))).toEqual([0.01, 0.01, 0.005, 0.005, 0.0025, 0.0025, 0.00125]);
  });

  test('minLr: the rate never goes below minLr, and stops being reduced there', () => {
    const { logged, final } = plateau(
      new ReduceLROnPlateau({ factor: 0.1, patience: 1, minLr: 0.0005 }),
      [1, 1, 1, 1, 1],
    );
    expect(logged.map((x) => +x.toPrecision(6))).toEqual([0.01, 0.01, 0.001, 0.0005, 0.0005]);
    expect(final).toBe(0.0005);
  });

  test("mode: 'max' and 'auto' on an accuracy maximize; 'auto' on a loss minimizes", () => {
    const values = [0.5, 0.6, 0.6, 0.6];
    const max = plateau(
      new ReduceLROnPlateau({ monitor: 'val_accuracy', mode: 'max', patience: 2, factor: 0.5 }),
      values,
      'val_accuracy',
    );
    const auto = plateau(
      new ReduceLROnPlateau({ monitor: 'val_accuracy', patience: 2, factor: 0.5 }),
      values,
      'val_accuracy',
    );
    expect(max.logged).toEqual([0.01, 0.01, 0.01, 0.01]);
    expect(max.final).toBeCloseTo(0.005, 9);
    expect(auto).toEqual(max);
    // Minimizing the same numbers: 0.6 never improves on 0.5, so the reduction comes at epoch 2.
    const min = plateau(
      new ReduceLROnPlateau({ monitor: 'val_accuracy', mode: 'min', patience: 2, factor: 0.5 }),
      values,
      'val_accuracy',
    );
    expect(min.logged.map((x) => +x.toPrecision(6))).toEqual([0.01, 0.01, 0.01, 0.005]);
  });

  test('onTrainBegin resets the state; a missing metric warns and changes nothing', () => {
    const cb = new ReduceLROnPlateau({ patience: 1 });
    plateau(cb, [1, 2]);
    expect(cb.best).toBe(1);
    const opt = attach(cb);
    cb.onTrainBegin();
    expect([cb.best, cb.wait, cb.cooldownCounter]).toEqual([Infinity, 0, 0]);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const logs: Logs = { loss: 0.3 };
    cb.onEpochEnd(0, logs);
    expect(warn).toHaveBeenCalledWith(
      expect.stringContaining("metric 'val_loss' which is not available. Available metrics are: loss,learning_rate"),
    );
    warn.mockRestore();
    expect(logs.learning_rate).toBe(0.01);
    expect(opt.learningRate).toBe(0.01);
  });

  test('bad options are errors', () => {
    expect(() => new ReduceLROnPlateau({ factor: 1 })).toThrow(/factor must be < 1, got 1/);
    expect(() => new ReduceLROnPlateau({ patience: -1 })).toThrow(/patience/);
    expect(() => new ReduceLROnPlateau({ mode: 'up' as 'max' })).toThrow(/mode must be 'auto', 'min' or 'max'/);
  });
});
