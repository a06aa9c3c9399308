// Who frees an optimizer's GPU state (its slots): the model it is compiled into. compile()
// with another optimizer disposes the one it replaces (so re-compiling with new optimizers
// does not grow memory); compile() with the same instance keeps its state; a disposed
// optimizer used again starts from fresh slots, like a new one. Sequential.dispose() frees the
// current optimizer. The 50-cycle soak of this is in soak.node.test.ts.
import { beforeAll, describe, expect, test } from 'vitest';
import { Adam, Dense, memory, ndarray, ready, Sequential, setSeed } from '../../src/index.ts';

beforeAll(async () => {
  await ready();
});

const n = 32;
const x = ndarray(Array.from({ length: n * 4 }, (_, i) => Math.cos(i * 0.9)), [n, 4]);
const y = ndarray(Array.from({ length: n }, (_, i) => i % 2));
const slotCount = (o: Adam) => o.weightSpecs().filter((s) => s.name.endsWith('_momentum') || s.name.endsWith('_velocity')).length;

function model(): Sequential {
  setSeed(9);
  return new Sequential([new Dense(5, { activation: 'relu', inputShape: [4] }), new Dense(2, { activation: 'softmax' })]);
}
const compileWith = (m: Sequential, optimizer: Adam) => m.compile({ optimizer, loss: 'sparse_categorical_crossentropy' });

describe('optimizer ownership', () => {
  test('recompiling with the same instance keeps its state; with another one frees the old state', async () => {
    const m = model();
    const first = new Adam();
    compileWith(m, first);
    await m.fit(x, y, { batchSize: 16, verbose: 0 });
    expect(slotCount(first)).toBe(8); // momentum and velocity of 4 weights
    compileWith(m, first);
    expect(slotCount(first)).toBe(8);
    expect(first.iterations).toBe(2);

    const before = memory().bytesInUse;
    const second = new Adam();
    compileWith(m, second);
    expect(slotCount(first)).toBe(0);
    expect(memory().bytesInUse).toBeLessThan(before);
    expect(first.iterations).toBe(2); // only the GPU slots go

    await m.fit(x, y, { batchSize: 16, verbose: 0 });
    compileWith(m, first); // a disposed optimizer is usable again, from fresh slots
    expect(slotCount(second)).toBe(0);
    const h = await m.fit(x, y, { batchSize: 16, verbose: 0 });
    expect(Number.isFinite(h.history.loss[0])).toBe(true);
    expect(slotCount(first)).toBe(8);
    m.dispose();
    expect(slotCount(first)).toBe(0);
  });
});
