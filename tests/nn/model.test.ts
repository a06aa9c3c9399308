import { beforeAll, describe, expect, test } from 'vitest';
import { Dense, Flatten, ndarray, NDArray, ready, Sequential, SGD, setSeed } from '../../src/index.ts';

beforeAll(async () => {
  await ready();
});

function modelA(): Sequential {
  const m = new Sequential([new Flatten({ inputShape: [28, 28] })]);
  for (const n of [300, 100, 50, 50, 50]) m.add(new Dense(n, { activation: 'selu' }));
  m.add(new Dense(8, { activation: 'softmax' }));
  return m;
}

describe('Sequential', () => {
  test('model A and B have the chapter parameter counts', () => {
    const a = modelA();
    const lines: string[] = [];
    a.summary((l) => lines.push(l));
    expect(lines.join('\n')).toContain('Total params: 276,158');
    expect(a.countParams()).toBe(276158);
    const b = new Sequential(a.layers.slice(0, -1));
    b.add(new Dense(1, { activation: 'sigmoid' }));
    expect(b.countParams()).toBe(275801);
  });

  test('fit reduces the loss on a small separable task', async () => {
    setSeed(1);
    const n = 256;
    const x = new Float32Array(n * 4);
    const y = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < 4; j++) x[i * 4 + j] = Math.sin(i * 1.7 + j * 2.3);
      y[i] = x[i * 4] + x[i * 4 + 1] > 0 ? 1 : 0;
    }
    const m = new Sequential([new Dense(16, { activation: 'relu', inputShape: [4] }), new Dense(2, { activation: 'softmax' })]);
    m.compile({ optimizer: new SGD({ learningRate: 0.1 }), loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
    const h = await m.fit(new NDArray(x, [n, 4]), ndarray(y), { epochs: 5, verbose: 0 });
    expect(h.history.loss.length).toBe(5);
    expect(h.history.loss[4]).toBeLessThan(h.history.loss[0]);
    expect(h.history.accuracy[4]).toBeGreaterThan(0.85);
    const [loss, acc] = await m.evaluate(new NDArray(x, [n, 4]), ndarray(y));
    expect(loss).toBeCloseTo(h.history.loss[4], 1);
    expect(acc).toBeGreaterThan(0.85);
  });
});
