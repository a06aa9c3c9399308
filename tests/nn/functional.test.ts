// The Functional API's graph: Input, layer.apply on symbolic tensors, merge layers, Model's
// order of layers and nodes (Keras's map_graph), shared layers, and predict on the plain path
// against a float64 reference.
import { beforeAll, describe, expect, test } from 'vitest';
import {
  Activation,
  Add,
  backward,
  cloneModel,
  Concatenate,
  Dense,
  EarlyStopping,
  Input,
  InputLayer,
  Model,
  Multiply,
  NDArray,
  ready,
  setSeed,
  SymbolicTensor,
  tensor,
  type Tensor,
} from '../../src/index.ts';
import { expectClose, numericGrad, values } from '../util/check.ts';
import type { Arr } from '../util/reference.ts';

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

  test('a weightless layer may be shared by tensors of different shapes (Keras allows it)', async () => {
    const a = Input({ shape: [3] });
    const b = Input({ shape: [5] });
    const relu = new Activation('relu');
    const model = new Model({ inputs: [a, b], outputs: [relu.apply(a), relu.apply(b)] });
    const xs = [values(6, 41), values(10, 42)];
    const outs = (await model.predict(xs.map((v, i) => new NDArray(Float32Array.from(v), [2, i === 0 ? 3 : 5])))) as Tensor[];
    expect(outs.map((t) => t.shape)).toEqual([
      [2, 3],
      [2, 5],
    ]);
    for (let i = 0; i < 2; i++) expect(Array.from(await outs[i].data())).toEqual(Array.from(Float32Array.from(xs[i]), (v) => Math.max(0, v)));
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

  test('a shared layer: gradients of its kernel, bias and both inputs match finite differences', async () => {
    setSeed(9);
    const a = Input({ shape: [3] });
    const b = Input({ shape: [3] });
    const shared = new Dense(2);
    const out = new Multiply().apply([shared.apply(a), shared.apply(b)]);
    const model = new Model({ inputs: [a, b], outputs: out });
    const [w0, b0] = await Promise.all(shared.weights.map((v) => v.tensor.data()));
    const xa = values(12, 21);
    const xb = values(12, 22);
    const seed = values(8, 23);
    // The float64 model: (xa·W + bias) ⊙ (xb·W + bias), as a function of [W, bias, xa, xb].
    const f = ([W, B, A, C]: Arr[]): Arr => {
      const ya = denseRef(A.data, 4, Float32Array.from(W.data), Float32Array.from(B.data), 2, false);
      const yb = denseRef(C.data, 4, Float32Array.from(W.data), Float32Array.from(B.data), 2, false);
      return { data: ya.map((v, i) => v * yb[i]), shape: [4, 2] };
    };
    const args: Arr[] = [
      { data: Float64Array.from(w0), shape: [3, 2] },
      { data: Float64Array.from(b0), shape: [2] },
      { data: xa, shape: [4, 3] },
      { data: xb, shape: [4, 3] },
    ];
    const want = numericGrad(f, args, seed, 1e-3);
    const ta = tensor(Float32Array.from(xa), [4, 3]);
    const tb = tensor(Float32Array.from(xb), [4, 3]);
    for (const t of [ta, tb, ...shared.weights.map((w) => w.tensor)]) t.requiresGrad = true;
    const [y] = model.forward([ta, tb], true);
    backward(y, tensor(Float32Array.from(seed), [4, 2]));
    const got = [shared.weights[0].tensor.grad!, shared.weights[1].tensor.grad!, ta.grad!, tb.grad!];
    for (let i = 0; i < 4; i++) expectClose(await got[i].data(), want[i], { atol: 1e-4, rtol: 1e-3 }, ['kernel', 'bias', 'input a', 'input b'][i]);
    for (const w of shared.weights) {
      w.tensor.grad?.dispose();
      w.tensor.grad = null;
      w.tensor.requiresGrad = false;
    }
  });

  test('getWeights/setWeights in Keras order; cloneModel rebuilds the graph with fresh, unshared weights', async () => {
    setSeed(5);
    const a = Input({ shape: [3], name: 'a' });
    const b = Input({ shape: [2], name: 'b' });
    const shared = new Dense(3, { name: 'shared' });
    const top = new Dense(1, { name: 'top' }).apply(new Concatenate({ name: 'cat' }).apply([shared.apply(a), new Dense(3, { name: 'side' }).apply(b)]));
    const proj = new Dense(3, { name: 'proj' }).apply(top);
    const model = new Model({ inputs: [a, b], outputs: [top, shared.apply(proj)], name: 'graph' });
    expect(model.layers.map((l) => l.name)).toEqual(['a', 'b', 'shared', 'side', 'cat', 'top', 'proj']);
    const clone = cloneModel(model);
    expect(clone).toBeInstanceOf(Model);
    expect(clone.layers.map((l) => l.name)).toEqual(model.layers.map((l) => l.name));
    expect(clone.layers.map((l) => l.className)).toEqual(model.layers.map((l) => l.className));
    expect(clone.weights.every((w) => !model.weights.some((v) => v.tensor === w.tensor))).toBe(true);
    // The shared layer stays one layer with two nodes in the clone.
    expect(clone.nodes.filter((n) => n.layer.name === 'shared').length).toBe(2);
    clone.setWeights(await model.getWeights());
    const x = [new NDArray(Float32Array.from(values(6, 1)), [2, 3]), new NDArray(Float32Array.from(values(4, 2)), [2, 2])];
    const [p, q] = (await model.predict(x)) as Tensor[];
    const [r, s] = (await clone.predict(x)) as Tensor[];
    expect(Array.from(await r.data())).toEqual(Array.from(await p.data()));
    expect(Array.from(await s.data())).toEqual(Array.from(await q.data()));
    const fewer = (await model.getWeights()).slice(1);
    expect(() => model.setWeights(fewer)).toThrow(/expected 8 arrays, got 7/);
  });

  test('trainable: a frozen layer keeps its weights through fit; model.trainable sets every layer', async () => {
    setSeed(6);
    const x = Input({ shape: [3] });
    const body = new Dense(4, { activation: 'relu' });
    const head = new Dense(1);
    const model = new Model({ inputs: x, outputs: head.apply(body.apply(x)) });
    body.trainable = false;
    model.compile({ optimizer: 'adam', loss: 'mse' });
    const before = await body.getWeights();
    const headBefore = await head.getWeights();
    const X = new NDArray(Float32Array.from(values(24, 3)), [8, 3]);
    const Y = new NDArray(Float32Array.from(values(8, 4)), [8, 1]);
    await model.fit(X, Y, { epochs: 2, batchSize: 4, verbose: 0 });
    expect((await body.getWeights()).map((w) => Array.from(w.toFloat32()))).toEqual(before.map((w) => Array.from(w.toFloat32())));
    expect((await head.getWeights())[0].toFloat32()).not.toEqual(headBefore[0].toFloat32());
    model.trainable = false;
    expect(model.trainableWeights.length).toBe(0);
    expect(model.trainable).toBe(false);
    model.trainable = true;
    expect(model.trainableWeights.length).toBe(4);
  });

  test("EarlyStopping monitors a per-output key ('val_main_loss', lower is better) and restores the best weights", async () => {
    setSeed(8);
    const x = Input({ shape: [3] });
    const h = new Dense(4, { activation: 'relu' }).apply(x);
    const model = new Model({ inputs: x, outputs: [new Dense(1, { name: 'main' }).apply(h), new Dense(1, { name: 'aux' }).apply(h)] });
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const X = new NDArray(Float32Array.from(values(24, 5)), [8, 3]);
    const Y = [new NDArray(Float32Array.from(values(8, 6)), [8, 1]), new NDArray(Float32Array.from(values(8, 7)), [8, 1])];
    const stop = new EarlyStopping({ monitor: 'val_main_loss', patience: 1, restoreBestWeights: true });
    const hist = await model.fit(X, Y, { epochs: 4, batchSize: 8, verbose: 0, validationData: [X, Y], callbacks: [stop] });
    expect(hist.history.val_main_loss.length).toBeGreaterThan(0);
    const [best] = await model.evaluate(X, Y);
    const bestEpoch = hist.history.val_main_loss.indexOf(Math.min(...hist.history.val_main_loss));
    expectClose([best], [hist.history.val_loss[bestEpoch]], { atol: 1e-6, rtol: 1e-5 }, 'restored weights evaluate as the best epoch');
  });
});
