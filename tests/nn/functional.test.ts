// The Functional API's graph: Input, layer.apply on symbolic tensors, merge layers, Model's
// order of layers and nodes (Keras's map_graph), shared layers, and predict on the plain path
// against a float64 reference.
import { beforeAll, describe, expect, test } from 'vitest';
import { Add, Concatenate, Dense, Input, InputLayer, Model, NDArray, ready, setSeed, SymbolicTensor, type Tensor } from '../../src/index.ts';
import { expectClose, values } from '../util/check.ts';

beforeAll(async () => {
  await ready();
});

/** x [n, k] · W [k, m] + b, then relu when asked, in float64. */
function denseRef(x: Float64Array, n: number, w: Float32Array, b: Float32Array, m: number, relu: boolean): Float64Array {
  const k = w.length / m;
  const out = new Float64Array(n * m);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      let s = b[j];
      for (let p = 0; p < k; p++) s += x[i * k + p] * w[p * m + j];
      out[i * m + j] = relu ? Math.max(0, s) : s;
    }
  }
  return out;
}

/** Rows of a [n, a] and b [n, c] side by side. */
function concatRef(a: Float64Array, ca: number, b: Float64Array, cb: number, n: number): Float64Array {
  const out = new Float64Array(n * (ca + cb));
  for (let i = 0; i < n; i++) {
    out.set(a.subarray(i * ca, (i + 1) * ca), i * (ca + cb));
    out.set(b.subarray(i * cb, (i + 1) * cb), i * (ca + cb) + ca);
  }
  return out;
}

describe('Functional graphs', () => {
  test('Input and apply record nodes: shape, name, history; layers build when applied', () => {
    const x = Input({ shape: [5], name: 'features' });
    expect(x).toBeInstanceOf(SymbolicTensor);
    expect(x.shape).toEqual([null, 5]);
    expect(x.layer).toBeInstanceOf(InputLayer);
    expect(x.name).toBe('features');
    const d = new Dense(3);
    const h = d.apply(x);
    expect(h.features).toEqual([3]);
    expect(d.built).toBe(true);
    expect(d.weights.map((w) => w.tensor.shape)).toEqual([[5, 3], [3]]);
    expect(h.history).toEqual([d, 0, 0]);
    expect(h.node.inputs).toEqual([x]);
    const again = d.apply(x);
    expect(again.history).toEqual([d, 1, 0]);
    expect(again.name).toBe(`${d.name}:1`);
  });

  test('wide & deep: layers in Keras order, predict matches a float64 reference', async () => {
    setSeed(3);
    const input = Input({ shape: [4] });
    const h1 = new Dense(6, { activation: 'relu' });
    const h2 = new Dense(5, { activation: 'relu' });
    const out = new Dense(1);
    const a = h1.apply(input);
    const b = h2.apply(a);
    const concat = new Concatenate().apply([input, b]);
    const y = out.apply(concat);
    const model = new Model({ inputs: [input], outputs: [y] });
    expect(model.layers.map((l) => l.className)).toEqual(['InputLayer', 'Dense', 'Dense', 'Concatenate', 'Dense']);
    expect(model.layers[1]).toBe(h1);
    expect(concat.features).toEqual([9]);
    expect(model.countParams()).toBe(4 * 6 + 6 + 6 * 5 + 5 + 9 + 1);
    const n = 7;
    const xs = values(n * 4, 11);
    const [w1, b1, w2, b2, w3, b3] = await Promise.all(model.weights.map((w) => w.tensor.data()));
    const r1 = denseRef(xs, n, w1, b1, 6, true);
    const r2 = denseRef(r1, n, w2, b2, 5, true);
    const want = denseRef(concatRef(xs, 4, r2, 5, n), n, w3, b3, 1, false);
    const got = await model.predict(new NDArray(Float32Array.from(xs), [n, 4]), { batchSize: 3 });
    expect(Array.isArray(got)).toBe(true); // outputs given as a list
    expectClose(await (got as Tensor[])[0].data(), want, { atol: 1e-5, rtol: 1e-4 });
  });

  test('a shared layer is one set of weights, run at each of its nodes', async () => {
    const a = Input({ shape: [3], name: 'left' });
    const b = Input({ shape: [3], name: 'right' });
    const shared = new Dense(2);
    const sum = new Add().apply([shared.apply(a), shared.apply(b)]);
    const model = new Model({ inputs: [a, b], outputs: sum });
    expect(model.layers.filter((l) => l === shared).length).toBe(1);
    expect(model.weights.length).toBe(2);
    expect(model.nodes.filter((n) => n.layer === shared).length).toBe(2);
    const xa = values(6, 1);
    const xb = values(6, 2);
    const [w, bias] = await Promise.all(shared.weights.map((v) => v.tensor.data()));
    const ra = denseRef(xa, 2, w, bias, 2, false);
    const rb = denseRef(xb, 2, w, bias, 2, false);
    const got = await model.predict({ right: new NDArray(Float32Array.from(xb), [2, 3]), left: new NDArray(Float32Array.from(xa), [2, 3]) });
    expectClose(await (got as Tensor).data(), ra.map((v, i) => v + rb[i]));
  });

  test('graph errors name the problem', () => {
    const a = Input({ shape: [3] });
    const stray = Input({ shape: [3], name: 'stray' });
    const y = new Add().apply([a, stray]);
    expect(() => new Model({ inputs: a, outputs: y })).toThrow(/depends on input 'stray', which is not in the model's inputs/);
    expect(() => new Dense(2).apply([a, stray])).toThrow(/takes one input, got a list of 2/);
    expect(() => new Concatenate().apply([a, Input({ shape: [2, 2] })])).toThrow(/shapes must match except along axis/);
    const d = new Dense(2);
    d.apply(a);
    expect(() => d.apply(Input({ shape: [4] }))).toThrow(/was built for input \[batch, 3\], got \[batch, 4\]/);
    expect(() => new Model({ inputs: new Dense(1).apply(a), outputs: y })).toThrow(/must be Input\(\) tensors/);
  });
});
