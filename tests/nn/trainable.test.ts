// Keras's trainable semantics, weight sharing and weight copies: the trained set is fixed at
// compile() (a later change warns once and waits for the next compile), frozen weights stay
// bit-identical through fit, layers reused in a second model share their weights, and
// getWeights/setWeights copy values in Keras order.
import { afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import { Dense, Flatten, type NDArray, ndarray, ready, Sequential, SGD, setSeed } from '../../src/index.ts';
import { f32 } from './reference.ts';

beforeAll(async () => {
  await ready();
});

afterEach(() => {
  vi.restoreAllMocks();
});

const n = 48;
const x = ndarray(f32(n * 4, 61, -2, 2), [n, 4]);
const y = ndarray(Array.from({ length: n }, (_, i) => i % 3));

function small(): Sequential {
  setSeed(21);
  return new Sequential([
    new Dense(8, { activation: 'relu', inputShape: [4] }),
    new Dense(6, { activation: 'relu' }),
    new Dense(3, { activation: 'softmax' }),
  ]);
}

const compile = (m: Sequential) => m.compile({ optimizer: new SGD({ learningRate: 0.1 }), loss: 'sparse_categorical_crossentropy' });
const fit = (m: Sequential, data: [NDArray, NDArray] = [x, y]) => m.fit(data[0], data[1], { batchSize: 16, epochs: 1, verbose: 0 });
/** Each layer's weights as plain arrays. */
const snapshot = async (m: Sequential) => Promise.all(m.layers.map(async (l) => (await l.getWeights()).map((a) => Array.from(a.data))));

function modelA(): Sequential {
  const m = new Sequential([new Flatten({ inputShape: [28, 28] })]);
  for (const u of [300, 100, 50, 50, 50]) m.add(new Dense(u, { activation: 'selu' }));
  m.add(new Dense(8, { activation: 'softmax' }));
  return m;
}

describe('trainable', () => {
  test('a layer frozen before compile keeps bit-identical weights through fit; the others change', async () => {
    const m = small();
    m.layers[0].trainable = false;
    compile(m);
    const before = await snapshot(m);
    await fit(m);
    const after = await snapshot(m);
    expect(after[0]).toEqual(before[0]);
    expect(after[1]).not.toEqual(before[1]);
    expect(after[2]).not.toEqual(before[2]);
    m.dispose();
  });

  test('changing trainable after compile has no effect until compile() runs again, and fit warns once', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const m = small();
    compile(m);
    m.layers[1].trainable = false; // freeze after compile...
    m.layers[2].trainable = false;
    expect(warn).toHaveBeenCalledTimes(0);
    let before = await snapshot(m);
    await fit(m);
    expect(warn).toHaveBeenCalledTimes(1); // fit notices the change
    expect(String(warn.mock.calls[0][0])).toMatch(/compile/);
    await fit(m);
    expect(warn).toHaveBeenCalledTimes(1); // once per compile
    let after = await snapshot(m);
    expect(after[1]).not.toEqual(before[1]); // ...still trained
    compile(m); // now it takes effect
    before = await snapshot(m);
    await fit(m);
    after = await snapshot(m);
    expect(after[1]).toEqual(before[1]);
    expect(after[2]).toEqual(before[2]);
    expect(after[0]).not.toEqual(before[0]);
    // Unfreezing works the same way; the warning comes again once per compile.
    m.layers[1].trainable = true;
    before = await snapshot(m);
    await fit(m);
    expect(warn).toHaveBeenCalledTimes(2);
    expect((await snapshot(m))[1]).toEqual(before[1]);
    compile(m);
    await fit(m);
    expect((await snapshot(m))[1]).not.toEqual(before[1]);
    m.dispose();
  });

  test('summary() of model B on A with a frozen body: 275,801 params, 51 trainable, 275,750 not', () => {
    const a = modelA();
    const b = new Sequential(a.layers.slice(0, -1));
    b.add(new Dense(1, { activation: 'sigmoid' }));
    const unfrozen: string[] = [];
    b.summary((l) => unfrozen.push(l));
    expect(unfrozen).toContain('Trainable params: 275,801');
    for (const l of b.layers.slice(0, -1)) l.trainable = false;
    const lines: string[] = [];
    const text = b.summary((l) => lines.push(l));
    expect(lines.join('\n')).toBe(text);
    expect(lines).toContain('Total params: 275,801');
    expect(lines).toContain('Trainable params: 51');
    expect(lines).toContain('Non-trainable params: 275,750');
    expect(text).toMatch(/\(Dense\)\s+\(None, 300\)\s+235,500/);
    expect(text).toMatch(/\(Dense\)\s+\(None, 1\)\s+51/);
    a.dispose();
  });
});

describe('weight sharing', () => {
  test("new Sequential(modelA.layers.slice(0, -1)) shares A's weights: training B changes A (the seed's warning)", async () => {
    const a = small();
    compile(a);
    await fit(a);
    const b = new Sequential(a.layers.slice(0, -1));
    b.add(new Dense(1, { activation: 'sigmoid' }));
    expect(b.layers[0]).toBe(a.layers[0]);
    b.compile({ optimizer: new SGD({ learningRate: 0.1 }), loss: 'binary_crossentropy' });
    const before = await snapshot(a);
    await fit(b, [x, ndarray(Array.from({ length: n }, (_, i) => i % 2))]);
    const after = await snapshot(a);
    expect(after[0]).not.toEqual(before[0]);
    expect(after[1]).not.toEqual(before[1]);
    expect(after[2]).toEqual(before[2]); // A's own head is not in B
    // And B sees every change to A: the same tensors.
    expect((await b.layers[0].getWeights()).map((w) => Array.from(w.data))).toEqual(after[0]);
    b.layers.at(-1)!.dispose();
    a.dispose();
  });
});

describe('getWeights / setWeights', () => {
  test('Keras order: kernel then bias, layer by layer; values are copies', async () => {
    const m = small();
    const w = await m.getWeights();
    expect(w.map((a) => a.shape)).toEqual([[4, 8], [8], [8, 6], [6], [6, 3], [3]]);
    expect(m.weights.map((v) => v.tensor.name)).toEqual(m.layers.flatMap((l) => [`${l.name}/kernel`, `${l.name}/bias`]));
    // A copy: changing the host array does not change the model.
    const first = w[0].data[0];
    (w[0].data as Float32Array)[0] = first + 1;
    expect((await m.getWeights())[0].data[0]).toBe(first);
    m.dispose();
  });

  test('setWeights copies another model\'s values in; predictions then agree', async () => {
    const a = small();
    setSeed(99);
    const b = new Sequential([
      new Dense(8, { activation: 'relu', inputShape: [4] }),
      new Dense(6, { activation: 'relu' }),
      new Dense(3, { activation: 'softmax' }),
    ]);
    const predict = async (m: Sequential) => {
      const t = await m.predict(x);
      const v = Array.from(await t.data());
      t.dispose();
      return v;
    };
    const pa = await predict(a);
    expect(await predict(b)).not.toEqual(pa);
    b.setWeights(await a.getWeights());
    expect(await predict(b)).toEqual(pa);
    // Independent afterwards: training b leaves a alone.
    compile(b);
    const before = await snapshot(a);
    await fit(b);
    expect(await snapshot(a)).toEqual(before);
    a.dispose();
    b.dispose();
  });

  test('a wrong count or shape is an error naming it', async () => {
    const m = small();
    const w = await m.getWeights();
    expect(() => m.setWeights(w.slice(1))).toThrow(/expected 6 arrays, got 5/);
    const swapped = [w[1], w[0], ...w.slice(2)];
    expect(() => m.setWeights(swapped)).toThrow(/'kernel' has shape \[4, ?8\], got \[8\]/);
    expect(() => m.layers[0].setWeights([ndarray(new Float32Array(32), [8, 4]), w[1]])).toThrow(/\[4, ?8\], got \[8, ?4\]/);
    m.dispose();
  });
});
