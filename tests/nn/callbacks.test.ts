// Callbacks in fit: the order of hooks and their logs (LambdaCallback), EarlyStopping with
// Keras 3's exact rules (patience, minDelta, baseline, startFromEpoch, 'auto' mode,
// restoreBestWeights at the end of training), and TerminateOnNaN on a diverging model.
// Monitored values are scripted by a LambdaCallback placed before EarlyStopping, so each
// case checks the rule itself rather than a training curve.
import { afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import {
  Callback,
  Dense,
  EarlyStopping,
  type EarlyStoppingOptions,
  type FitContext,
  LambdaCallback,
  type Logs,
  ndarray,
  ready,
  Sequential,
  SGD,
  setSeed,
  TerminateOnNaN,
} from '../../src/index.ts';
import { f32 } from './reference.ts';

beforeAll(async () => {
  await ready();
});

afterEach(() => {
  vi.restoreAllMocks();
});

const n = 20;
const x = ndarray(f32(n * 4, 81, -2, 2), [n, 4]);
const y = ndarray(Array.from({ length: n }, (_, i) => i % 3));

function small(learningRate = 0.05): Sequential {
  setSeed(41);
  const m = new Sequential([new Dense(6, { activation: 'tanh', inputShape: [4] }), new Dense(3, { activation: 'softmax' })]);
  m.compile({ optimizer: new SGD({ learningRate }), loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  return m;
}

describe('hooks', () => {
  test('order and logs: train, epochs, batches (LambdaCallback); the context holds the model', async () => {
    const m = small();
    const events: string[] = [];
    const seen: { epochEnd: Logs[]; batchEnd: Logs[]; trainEnd?: Logs } = { epochEnd: [], batchEnd: [] };
    const lambda = new LambdaCallback({
      onTrainBegin: () => void events.push('trainBegin'),
      onEpochBegin: (e) => void events.push(`epochBegin ${e}`),
      onBatchBegin: (b) => void events.push(`batchBegin ${b}`),
      onBatchEnd: (b, logs) => {
        events.push(`batchEnd ${b}`);
        seen.batchEnd.push({ ...logs });
      },
      onEpochEnd: (e, logs) => {
        events.push(`epochEnd ${e}`);
        seen.epochEnd.push({ ...logs });
      },
      onTrainEnd: (logs) => {
        events.push('trainEnd');
        seen.trainEnd = logs;
      },
    });
    class Probe extends Callback {
      model: Sequential | null = null;
      override onTrainBegin(): void {
        this.model = (this.context as FitContext).model as Sequential;
      }
    }
    const probe = new Probe();
    await m.fit(x, y, { epochs: 2, batchSize: 8, callbacks: [lambda, probe], verbose: 0 });
    const epoch = (e: number) => [`epochBegin ${e}`, 'batchBegin 0', 'batchEnd 0', 'batchBegin 1', 'batchEnd 1', 'batchBegin 2', 'batchEnd 2', `epochEnd ${e}`];
    expect(events).toEqual(['trainBegin', ...epoch(0), ...epoch(1), 'trainEnd']);
    expect(seen.batchEnd.map((l) => [l.batch, l.size])).toEqual([[0, 8], [1, 8], [2, 4], [0, 8], [1, 8], [2, 4]]);
    expect(Object.keys(seen.epochEnd[0]).sort()).toEqual(['accuracy', 'loss']);
    expect(seen.trainEnd).toEqual(seen.epochEnd[1]);
    expect(probe.model).toBe(m);
    m.dispose();
  });

  test('async hooks are awaited in order', async () => {
    const m = small();
    const events: string[] = [];
    const slow = new LambdaCallback({
      onEpochEnd: async (e) => {
        await new Promise((r) => setTimeout(r, 20));
        events.push(`slow ${e}`);
      },
    });
    const fast = new LambdaCallback({ onEpochEnd: (e) => void events.push(`fast ${e}`) });
    await m.fit(x, y, { epochs: 2, callbacks: [slow, fast], verbose: 0 });
    expect(events).toEqual(['slow 0', 'fast 0', 'slow 1', 'fast 1']);
    m.dispose();
  });
});

/** A LambdaCallback that sets logs[key] to values[epoch] and records the weights at each epoch end. */
function script(key: string, values: number[], weights: number[][][] = []): LambdaCallback {
  let model: Sequential;
  const cb: LambdaCallback = new LambdaCallback({
    onTrainBegin: () => {
      model = (cb.context as FitContext).model as Sequential;
    },
    onEpochEnd: async (epoch, logs) => {
      if (logs) logs[key] = values[epoch];
      weights.push((await model.getWeights()).map((a) => Array.from(a.data)));
    },
  });
  return cb;
}

async function earlyStop(key: string, values: number[], options: EarlyStoppingOptions, epochs = values.length) {
  const m = small();
  const weights: number[][][] = [];
  const es = new EarlyStopping(options);
  const h = await m.fit(x, y, { epochs, batchSize: 8, callbacks: [script(key, values, weights), es], verbose: 0 });
  const final = (await m.getWeights()).map((a) => Array.from(a.data));
  m.dispose();
  return { epochs: h.epoch.length, es, weights, final, history: h.history };
}

describe('EarlyStopping', () => {
  test('patience: stops after `patience` epochs without improvement (val_loss, mode auto = min)', async () => {
    const r = await earlyStop('val_loss', [1, 0.8, 0.9, 0.85, 0.7, 0.6], { patience: 2 });
    expect(r.epochs).toBe(4);
    expect(r.es.stoppedEpoch).toBe(3);
    expect(r.es.best).toBe(0.8);
    expect(r.es.bestEpoch).toBe(1);
    expect(r.history.val_loss).toEqual([1, 0.8, 0.9, 0.85]);
    // Without restoreBestWeights the model keeps its last weights.
    expect(r.final).toEqual(r.weights[3]);
  });

  test('patience 0 stops at the first epoch without improvement', async () => {
    expect((await earlyStop('val_loss', [1, 0.9, 0.95, 0.5], {})).epochs).toBe(3);
  });

  test('restoreBestWeights: the weights are the best epoch\'s when it stops early', async () => {
    const r = await earlyStop('val_loss', [1, 0.8, 0.9, 0.85, 0.7], { patience: 2, restoreBestWeights: true });
    expect(r.epochs).toBe(4);
    expect(r.final).toEqual(r.weights[1]);
    expect(r.final).not.toEqual(r.weights[3]);
  });

  test('restoreBestWeights also restores when training runs all its epochs (Keras 3)', async () => {
    const r = await earlyStop('val_loss', [1, 0.5, 0.9, 0.8], { patience: 5, restoreBestWeights: true });
    expect(r.epochs).toBe(4);
    expect(r.es.stoppedEpoch).toBe(0);
    expect(r.final).toEqual(r.weights[1]);
  });

  test('restoreBestWeights with no improvement at all (NaN) restores the first monitored epoch', async () => {
    const r = await earlyStop('val_loss', [NaN, NaN, NaN, NaN, NaN], { patience: 2, restoreBestWeights: true, startFromEpoch: 1 });
    expect(r.epochs).toBe(3); // epochs 1 and 2 do not improve: wait 2 >= patience 2
    expect(r.final).toEqual(r.weights[1]);
    expect(r.final).not.toEqual(r.weights[2]);
  });

  test("mode 'auto' maximizes accuracy metrics (val_accuracy), 'max'/'min' force the direction", async () => {
    const acc = await earlyStop('val_accuracy', [0.5, 0.7, 0.6, 0.9], { monitor: 'val_accuracy', patience: 1, restoreBestWeights: true });
    expect(acc.epochs).toBe(3);
    expect(acc.final).toEqual(acc.weights[1]);
    expect((await earlyStop('val_loss', [0.5, 0.7, 0.6, 0.9], { mode: 'max', patience: 1 })).epochs).toBe(3);
    expect((await earlyStop('val_accuracy', [0.5, 0.7, 0.6, 0.9], { monitor: 'val_accuracy', mode: 'min', patience: 0 })).epochs).toBe(2);
  });

  test("mode 'auto' cannot tell the direction of an unknown quantity: an error, as in Keras", async () => {
    await expect(earlyStop('score', [1, 2], { monitor: 'score' })).rejects.toThrow(/mode: 'max'/);
  });

  test('minDelta: a smaller change is no improvement', async () => {
    expect((await earlyStop('val_loss', [1, 0.95, 0.9, 0.85], { minDelta: 0.1, patience: 1 })).epochs).toBe(2);
    expect((await earlyStop('val_loss', [1, 0.95, 0.9, 0.85], { patience: 1 })).epochs).toBe(4);
  });

  test('baseline: an improvement that does not beat the baseline does not reset the count', async () => {
    expect((await earlyStop('val_loss', [0.9, 0.95, 0.8, 0.7], { baseline: 0.5, patience: 2 })).epochs).toBe(2);
    expect((await earlyStop('val_loss', [0.9, 0.95, 0.8, 0.7], { patience: 2 })).epochs).toBe(4);
  });

  test('startFromEpoch: no monitoring during the warm-up', async () => {
    expect((await earlyStop('val_loss', [1, 2, 3, 4, 5], { startFromEpoch: 2 })).epochs).toBe(4);
    expect((await earlyStop('val_loss', [1, 2, 3, 4, 5], {})).epochs).toBe(2);
  });

  test('a missing monitor warns with the available keys and never stops', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const r = await earlyStop('other', [1, 2, 3], { monitor: 'val_loss' });
    expect(r.epochs).toBe(3);
    expect(String(warn.mock.calls[0][0])).toMatch(/'val_loss' which is not available.*loss,accuracy,other/);
  });

  test('monitoring a real val_loss; the instance can be reused (its best resets each fit)', async () => {
    const es = new EarlyStopping({ monitor: 'val_loss', patience: 1 });
    for (let run = 0; run < 2; run++) {
      const m = small(0.05);
      const h = await m.fit(x, y, { epochs: 3, validationData: [x, y], callbacks: [es], verbose: 0 });
      // The loss falls on this easy task: no early stop, on either run.
      expect(h.epoch).toEqual([0, 1, 2]);
      expect(es.best).toBe(Math.min(...h.history.val_loss));
      m.dispose();
    }
  });
});

describe('TerminateOnNaN', () => {
  test('a diverging model (huge learning rate) stops early; History ends with NaN; a warning names the epoch', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    setSeed(2);
    const m = new Sequential([new Dense(16, { activation: 'relu', inputShape: [4] }), new Dense(1)]);
    m.compile({ optimizer: new SGD({ learningRate: 1e8 }), loss: 'mse' });
    const target = ndarray(Array.from({ length: n }, (_, i) => 100 * x.at(i * 4)), [n, 1]);
    const h = await m.fit(x, target, { epochs: 20, batchSize: 4, callbacks: [new TerminateOnNaN()], verbose: 0 });
    expect(h.epoch.length).toBeLessThan(20);
    const last = h.history.loss.at(-1)!;
    expect(Number.isFinite(last)).toBe(false);
    expect(h.history.loss.slice(0, -1).every(Number.isFinite)).toBe(true);
    expect(warn).toHaveBeenCalledWith(`Epoch ${h.epoch.at(-1)}: Invalid loss, terminating training`);
    m.dispose();
  });

  test('a NaN loss in the batch logs stops fit after that batch (the epoch ends with the batches run)', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const m = small();
    const batches: number[] = [];
    const inject = new LambdaCallback({
      onBatchEnd: (b, logs) => {
        batches.push(b);
        if (b === 1 && logs) logs.loss = NaN;
      },
    });
    const h = await m.fit(x, y, { epochs: 3, batchSize: 4, callbacks: [inject, new TerminateOnNaN()], verbose: 0 });
    expect(batches).toEqual([0, 1]);
    expect(h.epoch).toEqual([0]);
    expect(warn).toHaveBeenCalledWith('Batch 1: Invalid loss, terminating training');
    expect(m.stopTraining).toBe(true);
    // The epoch's loss averages the two batches run (finite: only the log was NaN).
    expect(Number.isFinite(h.history.loss[0])).toBe(true);
    m.dispose();
  });

  test('raiseError: true throws instead', async () => {
    const m = small();
    const inject = new LambdaCallback({ onBatchEnd: (_b, logs) => void (logs && (logs.loss = Infinity)) });
    await expect(m.fit(x, y, { callbacks: [inject, new TerminateOnNaN({ raiseError: true })], verbose: 0 })).rejects.toThrow(/loss is Infinity at batch 0/);
    m.dispose();
  });
});
