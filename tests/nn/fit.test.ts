// fit / evaluate / predict against Keras's contract: History keys and epochs, validation data
// and validationSplit (the last rows), initialEpoch, seeded shuffling, evaluate's batch-size-
// weighted loss (checked against float64), and predict's batching and shapes.
import { beforeAll, describe, expect, test } from 'vitest';
import { Dense, ExponentialDecay, NDArray, ndarray, ready, Sequential, SGD, setSeed } from '../../src/index.ts';
import { expectClose } from '../util/check.ts';
import { activateRef, denseRef, f32 } from './reference.ts';

beforeAll(async () => {
  await ready();
});

const n = 48;
const x = ndarray(f32(n * 4, 71, -2, 2), [n, 4]);
const y = ndarray(Array.from({ length: n }, (_, i) => (x.at(i * 4) + x.at(i * 4 + 1) > 0 ? 1 : 0) + (x.at(i * 4 + 2) > 1 ? 1 : 0)));

function small(learningRate: number | ExponentialDecay = 0.1, seed = 31): Sequential {
  setSeed(seed);
  const m = new Sequential([new Dense(8, { activation: 'tanh', inputShape: [4] }), new Dense(3, { activation: 'softmax' })]);
  m.compile({ optimizer: new SGD({ learningRate }), loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  return m;
}

const weightsOf = async (m: Sequential) => (await m.getWeights()).map((a) => Array.from(a.data));

describe('fit', () => {
  test("History has Keras's keys per epoch and the epoch list", async () => {
    const m = small();
    const h = await m.fit(x, y, { epochs: 3, batchSize: 16, validationData: [x.slice(0, 10), y.slice(0, 10)], verbose: 0 });
    expect(Object.keys(h.history).sort()).toEqual(['accuracy', 'loss', 'val_accuracy', 'val_loss']);
    expect(h.epoch).toEqual([0, 1, 2]);
    for (const v of Object.values(h.history)) expect(v).toHaveLength(3);
    expect(h.history.loss[2]).toBeLessThan(h.history.loss[0]);
    // val_* are evaluate() on the validation data with the weights at the epoch's end.
    const [vl, va] = await m.evaluate(x.slice(0, 10), y.slice(0, 10), { batchSize: 16 });
    expect(h.history.val_loss[2]).toBeCloseTo(vl, 6);
    expect(h.history.val_accuracy[2]).toBeCloseTo(va, 6);
    m.dispose();
  });

  test('learning_rate is logged when the optimizer has a schedule, as the schedule at the epoch end', async () => {
    const schedule = new ExponentialDecay(0.1, 3, 0.5);
    const m = small(schedule);
    const h = await m.fit(x, y, { epochs: 2, batchSize: 16, verbose: 0 });
    expect(Object.keys(h.history).sort()).toEqual(['accuracy', 'learning_rate', 'loss']);
    // 3 steps per epoch: 0.1 · 0.5^(3/3), then 0.1 · 0.5^(6/3).
    expect(h.history.learning_rate[0]).toBeCloseTo(0.05, 9);
    expect(h.history.learning_rate[1]).toBeCloseTo(0.025, 9);
    m.dispose();
    const plain = small();
    expect(Object.keys((await plain.fit(x, y, { verbose: 0 })).history)).not.toContain('learning_rate');
    plain.dispose();
  });

  test('validationSplit holds out the LAST rows (before shuffling), as Keras', async () => {
    const a = small();
    const ha = await a.fit(x, y, { epochs: 2, batchSize: 8, validationSplit: 0.25, seed: 5, verbose: 0 });
    const b = small();
    const hb = await b.fit(x.slice(0, 36), y.slice(0, 36), { epochs: 2, batchSize: 8, validationData: [x.slice(36), y.slice(36)], seed: 5, verbose: 0 });
    expect(await weightsOf(a)).toEqual(await weightsOf(b));
    expect(ha.history).toEqual(hb.history);
    a.dispose();
    b.dispose();
  });

  test('validationData wins over validationSplit; a split of 0 is none; a split outside (0, 1) is an error', async () => {
    const m = small();
    const both = await m.fit(x, y, { validationSplit: 0.5, validationData: [x.slice(0, 5), y.slice(0, 5)], verbose: 0 });
    const [vl] = await m.evaluate(x.slice(0, 5), y.slice(0, 5));
    expect(both.history.val_loss[0]).toBeCloseTo(vl, 6);
    expect(Object.keys((await m.fit(x, y, { validationSplit: 0, verbose: 0 })).history)).not.toContain('val_loss');
    await expect(m.fit(x, y, { validationSplit: 1.5, verbose: 0 })).rejects.toThrow(/validationSplit must be in \(0, 1\), got 1.5/);
    m.dispose();
  });

  test('initialEpoch: epochs run from initialEpoch to epochs - 1', async () => {
    const m = small();
    const h = await m.fit(x, y, { epochs: 5, initialEpoch: 3, verbose: 0 });
    expect(h.epoch).toEqual([3, 4]);
    expect(h.history.loss).toHaveLength(2);
    m.dispose();
  });

  test('shuffle: false is deterministic whatever the seed; shuffle: true follows the seed', async () => {
    const run = async (shuffle: boolean, seed: number) => {
      const m = small();
      await m.fit(x, y, { epochs: 2, batchSize: 8, shuffle, seed, verbose: 0 });
      const w = await weightsOf(m);
      m.dispose();
      return w;
    };
    const fixed = await run(false, 1);
    expect(await run(false, 2)).toEqual(fixed);
    const s1 = await run(true, 1);
    expect(await run(true, 1)).toEqual(s1);
    expect(await run(true, 2)).not.toEqual(s1);
    expect(s1).not.toEqual(fixed);
  });
});

describe('evaluate', () => {
  test("returns [loss, accuracy] with Keras's batch-size-weighted loss (float64 check)", async () => {
    const m = small();
    const rows = 10;
    const [k1, b1, k2, b2] = (await m.getWeights()).map((a) => a.data);
    const xs = x.slice(0, rows).data;
    const p = activateRef('softmax', denseRef(activateRef('tanh', denseRef(xs, k1, b1, rows, 4, 8), 8), k2, b2, rows, 8, 3), 3);
    const ce = Array.from({ length: rows }, (_, i) => -Math.log(p[i * 3 + y.at(i)]));
    const hits = Array.from({ length: rows }, (_, i) => {
      const row = Array.from(p.subarray(i * 3, i * 3 + 3));
      return row.indexOf(Math.max(...row)) === y.at(i) ? 1 : 0;
    });
    // Batches of 4, 4, 2: Keras weights each batch's mean loss by its size (= the sample mean).
    const batches = [ce.slice(0, 4), ce.slice(4, 8), ce.slice(8)];
    const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
    const weighted = batches.reduce((s, b) => s + mean(b) * b.length, 0) / rows;
    const unweighted = mean(batches.map(mean));
    expect(Math.abs(weighted - unweighted)).toBeGreaterThan(1e-3); // the test can tell them apart
    const result = await m.evaluate(x.slice(0, rows), y.slice(0, rows), { batchSize: 4 });
    expect(result).toHaveLength(2);
    expect(result[0]).toBeCloseTo(weighted, 5);
    expect(result[1]).toBeCloseTo(mean(hits), 6);
    m.dispose();
  });

  test('a model compiled without metrics still returns an array: [loss]', async () => {
    setSeed(1);
    const m = new Sequential([new Dense(2, { inputShape: [4] })]);
    m.compile({ optimizer: 'sgd', loss: 'mse' });
    const r = await m.evaluate(x, new NDArray(new Float32Array(n * 2), [n, 2]));
    expect(r).toHaveLength(1);
    m.dispose();
  });
});

describe('predict', () => {
  test('a batch size that does not divide n gives the same rows as one batch; shape [n, units]', async () => {
    const m = small();
    const whole = await m.predict(x, { batchSize: n });
    const parts = await m.predict(x, { batchSize: 7 });
    expect(whole.shape).toEqual([n, 3]);
    expect(parts.shape).toEqual([n, 3]);
    expectClose(await parts.data(), await whole.data(), { atol: 1e-7, rtol: 1e-6 });
    const one = await m.predict(x.slice(0, 1));
    expect(one.shape).toEqual([1, 3]);
    for (const t of [whole, parts, one]) t.dispose();
    m.dispose();
  });
});
