// Reproducibility: with the same seed on the same adapter, fit gives bitwise-identical
// weights and an identical History (initial weights, shuffles and dropout masks all derive
// from setSeed; no kernel sums in a data-dependent order). Another seed gives other bits.
// What differs across adapters, and why: docs/errors.md ("Reproducibility").
import { beforeAll, describe, expect, test } from 'vitest';
import { Adam, Dense, Dropout, ndarray, ready, Sequential, setSeed } from '../../src/index.ts';

beforeAll(async () => {
  await ready();
});

const n = 96;
const x = ndarray(Array.from({ length: n * 6 }, (_, i) => Math.sin(i * 0.37) + Math.cos(i * 1.7)), [n, 6]);
const y = ndarray(Array.from({ length: n }, (_, i) => (x.at(i * 6) + x.at(i * 6 + 3) > 0 ? 1 : 0) + (x.at(i * 6 + 1) > 0.8 ? 2 : 0)));

/** One epoch from setSeed(seed): the weights' float32 bit patterns and the History. */
async function oneEpoch(seed: number): Promise<{ bits: number[][]; history: Record<string, number[]> }> {
  setSeed(seed);
  const m = new Sequential([
    new Dense(16, { activation: 'selu', kernelInitializer: 'lecun_normal', inputShape: [6] }),
    new Dropout(0.3),
    new Dense(12, { activation: 'relu', kernelInitializer: 'he_uniform' }),
    new Dense(4, { activation: 'softmax' }),
  ]);
  m.compile({ optimizer: new Adam({ learningRate: 0.01 }), loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  const h = await m.fit(x, y, { epochs: 1, batchSize: 16, validationSplit: 0.25, verbose: 0 });
  const bits = (await m.getWeights()).map((w) => Array.from(new Uint32Array(Float32Array.from(w.data).buffer)));
  m.dispose();
  return { bits, history: h.history };
}

describe('determinism', () => {
  test('same seed, same adapter: bitwise-identical weights and identical History after one epoch', async () => {
    const a = await oneEpoch(1234);
    const b = await oneEpoch(1234);
    expect(b.bits).toEqual(a.bits);
    expect(b.history).toEqual(a.history);
    expect(Object.keys(a.history).sort()).toEqual(['accuracy', 'loss', 'val_accuracy', 'val_loss']);
    const c = await oneEpoch(1235);
    expect(c.bits).not.toEqual(a.bits);
  });
});
