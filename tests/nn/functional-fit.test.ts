// Training a Functional model with two inputs and two outputs: the first SGD steps against a
// float64 reference written from the formulas (loss weights included), Keras's log keys and
// evaluate order, capture on and off giving the same bits, and the argument forms of fit,
// evaluate and predict with their errors.
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { Adam, Add, backward, Concatenate, Dense, Input, memory, Model, NDArray, ready, runtimeStats, Sequential, SGD, setSeed, tensor, type Tensor } from '../../src/index.ts';
import { meanSquaredError } from '../../src/autograd/losses.ts';
import { mean } from '../../src/autograd/reduce.ts';
import { expectClose, values } from '../util/check.ts';

beforeAll(async () => {
  await ready();
});

const g = globalThis as Record<string, unknown>;
afterEach(() => {
  delete g.WEBGRAD_CAPTURE;
});

/** wide [3] and deep [4] in; h = relu(deep · W1 + b1) [5]; main = [wide, h] · W2 + b2; aux = h · W3 + b3. */
function wideDeep(): Model {
  const wide = Input({ shape: [3], name: 'wide_input' });
  const deep = Input({ shape: [4], name: 'deep_input' });
  const h = new Dense(5, { activation: 'relu', name: 'hidden' }).apply(deep);
  const concat = new Concatenate().apply([wide, h]);
  const main = new Dense(1, { name: 'main_output' }).apply(concat);
  const aux = new Dense(1, { name: 'aux_output' }).apply(h);
  return new Model({ inputs: [wide, deep], outputs: [main, aux] });
}

const n = 8;
const xw = values(n * 3, 1);
const xd = values(n * 4, 2);
const ym = values(n, 3);
const ya = values(n, 4);
const nd = (v: Float64Array, shape: number[]) => new NDArray(Float32Array.from(v), shape);

/** x [r, k] · w [k, m] (+ b) in float64. */
function mm(x: Float64Array, r: number, w: Float64Array, m: number, b?: Float64Array): Float64Array {
  const k = w.length / m;
  const out = new Float64Array(r * m);
  for (let i = 0; i < r; i++) for (let j = 0; j < m; j++) {
    let s = b ? b[j] : 0;
    for (let p = 0; p < k; p++) s += x[i * k + p] * w[p * m + j];
    out[i * m + j] = s;
  }
  return out;
}

/** aᵀ [k, r] · d [r, m]: a weight's gradient from its input a [r, k] and the output gradient d. */
function tmm(a: Float64Array, r: number, d: Float64Array, m: number): Float64Array {
  const k = a.length / r;
  const out = new Float64Array(k * m);
  for (let i = 0; i < r; i++) for (let p = 0; p < k; p++) for (let j = 0; j < m; j++) out[p * m + j] += a[i * k + p] * d[i * m + j];
  return out;
}

const colSum = (d: Float64Array, m: number) => Float64Array.from({ length: m }, (_, j) => d.reduce((s, v, i) => (i % m === j ? s + v : s), 0));

/**
 * One SGD step on rows [from, to) in float64: loss = wm · mse(main) + wa · mse(aux); returns the
 * two unweighted mean losses. `p` holds [W1, b1, W2, b2, W3, b3] and is updated in place.
 */
function refStep(p: Float64Array[], from: number, to: number, wm: number, wa: number, lr: number): [number, number] {
  const r = to - from;
  const xW = xw.slice(from * 3, to * 3);
  const xD = xd.slice(from * 4, to * 4);
  const pre = mm(xD, r, p[0], 5, p[1]);
  const h = pre.map((v) => Math.max(0, v));
  const c = new Float64Array(r * 8);
  for (let i = 0; i < r; i++) {
    c.set(xW.subarray(i * 3, i * 3 + 3), i * 8);
    c.set(h.subarray(i * 5, i * 5 + 5), i * 8 + 3);
  }
  const m = mm(c, r, p[2], 1, p[3]);
  const a = mm(h, r, p[4], 1, p[5]);
  const em = m.map((v, i) => v - ym[from + i]);
  const ea = a.map((v, i) => v - ya[from + i]);
  const lm = em.reduce((s, v) => s + v * v, 0) / r;
  const la = ea.reduce((s, v) => s + v * v, 0) / r;
  const dm = em.map((v) => (wm * 2 * v) / r);
  const da = ea.map((v) => (wa * 2 * v) / r);
  const dc = mm(dm, r, Float64Array.from(p[2]), 8); // dm [r,1] · W2ᵀ [1,8]: W2 [8,1] read as a row
  const dh = h.map((_, i) => dc[Math.floor(i / 5) * 8 + 3 + (i % 5)] + da[Math.floor(i / 5)] * p[4][i % 5]);
  const dpre = dh.map((v, i) => (pre[i] > 0 ? v : 0));
  const grads = [tmm(xD, r, dpre, 5), colSum(dpre, 5), tmm(c, r, dm, 1), colSum(dm, 1), tmm(h, r, da, 1), colSum(da, 1)];
  p.forEach((w, k) => w.forEach((v, i) => (w[i] = v - lr * grads[k][i])));
  return [lm, la];
}

describe('Functional model: two inputs, two outputs', () => {
  test('first fit steps match a float64 reference (loss weights by output name); History keys as Keras', async () => {
    setSeed(7);
    const model = wideDeep();
    const p = (await model.getWeights()).map((w) => Float64Array.from(w.toFloat32()));
    model.compile({ optimizer: new SGD({ learningRate: 0.05 }), loss: 'mse', lossWeights: { main_output: 0.9, aux_output: 0.1 } });
    const h = await model.fit([nd(xw, [n, 3]), nd(xd, [n, 4])], { aux_output: nd(ya, [n, 1]), main_output: nd(ym, [n, 1]) }, { batchSize: 5, epochs: 1, shuffle: false, verbose: 0 });
    const [l1m, l1a] = refStep(p, 0, 5, 0.9, 0.1, 0.05);
    const [l2m, l2a] = refStep(p, 5, 8, 0.9, 0.1, 0.05);
    expect(Object.keys(h.history)).toEqual(['loss', 'main_output_loss', 'aux_output_loss']);
    // Keras's epoch values: batch means weighted by batch size.
    const epoch = (a: number, b: number) => (a * 5 + b * 3) / 8;
    expectClose([h.history.main_output_loss[0], h.history.aux_output_loss[0]], [epoch(l1m, l2m), epoch(l1a, l2a)], { atol: 1e-5, rtol: 1e-4 }, 'per-output losses (unweighted)');
    expectClose(h.history.loss, [epoch(0.9 * l1m + 0.1 * l1a, 0.9 * l2m + 0.1 * l2a)], { atol: 1e-5, rtol: 1e-4 }, 'loss');
    const got = await model.getWeights();
    got.forEach((w, k) => expectClose(w.toFloat32(), p[k], { atol: 1e-5, rtol: 1e-4 }, `weight ${k} after 2 steps`));
    model.dispose();
  });

  test('metrics per output: logs, val_ logs and evaluate in Keras 3 order', async () => {
    setSeed(2);
    const x = Input({ shape: [4], name: 'x' });
    const h = new Dense(6, { activation: 'relu' }).apply(x);
    const a = new Dense(3, { activation: 'softmax', name: 'a' }).apply(h);
    const b = new Dense(2, { activation: 'softmax', name: 'b' }).apply(h);
    const model = new Model({ inputs: x, outputs: [a, b] });
    model.compile({ optimizer: 'adam', loss: ['sparse_categorical_crossentropy', 'sparse_categorical_crossentropy'], lossWeights: [1, 0.5], metrics: { a: ['accuracy'], b: 'accuracy' } });
    const X = nd(xd, [n, 4]);
    const ys = [nd(Float64Array.from({ length: n }, (_, i) => i % 3), [n]), nd(Float64Array.from({ length: n }, (_, i) => i % 2), [n])];
    const hist = await model.fit(X, ys, { epochs: 1, batchSize: 4, verbose: 0, validationData: [X, ys] });
    expect(Object.keys(hist.history)).toEqual(['loss', 'a_accuracy', 'b_accuracy', 'a_loss', 'b_loss', 'val_loss', 'val_a_accuracy', 'val_b_accuracy', 'val_a_loss', 'val_b_loss']);
    const [loss, aLoss, bLoss, aAcc, bAcc] = await model.evaluate(X, { a: ys[0], b: ys[1] }, { batchSize: 3 });
    expectClose([loss], [aLoss + 0.5 * bLoss], { atol: 1e-5, rtol: 1e-5 }, 'loss = a_loss + 0.5 b_loss');
    expect([aAcc, bAcc].every((v) => v >= 0 && v <= 1)).toBe(true);
    expectClose([hist.history.val_loss[0], hist.history.val_a_loss[0]], [loss, aLoss], { atol: 1e-6, rtol: 1e-6 }, 'validation = evaluate after the epoch');
    model.dispose();
  });

  test('capture on and WEBGRAD_CAPTURE=0 give the same bits (fit with validation, evaluate, predict); steps are replayed', async () => {
    const run = async (capture: boolean) => {
      if (!capture) g.WEBGRAD_CAPTURE = '0';
      else delete g.WEBGRAD_CAPTURE;
      setSeed(11);
      const inUse = memory().buffersInUse;
      const model = wideDeep();
      model.compile({ optimizer: new Adam({ learningRate: 0.01 }), loss: { main_output: 'mse', aux_output: 'mse' }, lossWeights: [0.8, 0.2] });
      const xs = { wide_input: nd(xw, [n, 3]), deep_input: nd(xd, [n, 4]) };
      const ys = [nd(ym, [n, 1]), nd(ya, [n, 1])];
      const replays = runtimeStats().replays;
      const h = await model.fit(xs, ys, { batchSize: 3, epochs: 3, verbose: 0, validationData: [xs, ys] });
      const evaluated = await model.evaluate(xs, ys, { batchSize: 3 });
      const preds = (await model.predict(xs, { batchSize: 3 })) as Tensor[];
      const predicted = await Promise.all(preds.map(async (t) => Array.from(await t.data())));
      for (const t of preds) t.dispose();
      const weights = (await model.getWeights()).map((w) => Array.from(w.toFloat32()));
      model.dispose();
      return { logs: h.history, evaluated, predicted, weights, replays: runtimeStats().replays - replays, leaked: memory().buffersInUse - inUse };
    };
    const eager = await run(false);
    const captured = await run(true);
    expect(eager.replays).toBe(0);
    expect(captured.replays).toBeGreaterThan(0);
    expect(captured.logs).toEqual(eager.logs);
    expect(captured.evaluated).toEqual(eager.evaluated);
    expect(captured.predicted).toEqual(eager.predicted);
    expect(captured.weights).toEqual(eager.weights);
    expect([eager.leaked, captured.leaked]).toEqual([0, 0]);
  });
});

describe('the fast paths on a graph', () => {
  test('plain SGD with a shared layer (the fused update skips a kernel read twice): one step is w - lr · gradient', async () => {
    setSeed(12);
    const a = Input({ shape: [3] });
    const b = Input({ shape: [3] });
    const shared = new Dense(2, { activation: 'relu' });
    const head = new Dense(1);
    const model = new Model({ inputs: [a, b], outputs: head.apply(new Add().apply([shared.apply(a), shared.apply(b)])) });
    const [A, B, Y] = [values(12, 31), values(12, 32), values(4, 33)];
    // The gradient the tape gives (checked against finite differences in functional.test.ts), taken before the step.
    const ws = model.weights.map((w) => w.tensor);
    for (const w of ws) w.requiresGrad = true;
    const [pred] = model.forward([tensor(Float32Array.from(A), [4, 3]), tensor(Float32Array.from(B), [4, 3])], true);
    backward(mean(meanSquaredError(tensor(Float32Array.from(Y), [4, 1]), pred)));
    const grads = await Promise.all(ws.map((w) => w.grad!.data()));
    const before = await Promise.all(ws.map((w) => w.data()));
    for (const w of ws) {
      w.grad!.dispose();
      w.grad = null;
      w.requiresGrad = false;
    }
    model.compile({ optimizer: new SGD({ learningRate: 0.1 }), loss: 'mse' });
    await model.fit([nd(A, [4, 3]), nd(B, [4, 3])], nd(Y, [4, 1]), { batchSize: 4, epochs: 1, shuffle: false, verbose: 0 });
    const after = await Promise.all(ws.map((w) => w.data()));
    after.forEach((w, k) => expectClose(w, Array.from(before[k], (v, i) => v - 0.1 * grads[k][i]), { atol: 1e-6, rtol: 1e-5 }, `weight ${k}`));
    model.dispose();
  });
});

describe('a chain as a Model and as a Sequential', () => {
  test('same weights, same fit (plain SGD, the fused loss tail of sparse CE + accuracy), bit for bit', async () => {
    setSeed(13);
    const seq = new Sequential([new Dense(8, { activation: 'relu', inputShape: [4] }), new Dense(3, { activation: 'softmax' })]);
    const x = Input({ shape: [4] });
    const graph = new Model({ inputs: x, outputs: new Dense(3, { activation: 'softmax' }).apply(new Dense(8, { activation: 'relu' }).apply(x)) });
    graph.setWeights(await seq.getWeights());
    const X = nd(xd, [n, 4]);
    const Y = nd(Float64Array.from({ length: n }, (_, i) => i % 3), [n]);
    const run = async (m: Sequential | Model) => {
      m.compile({ optimizer: new SGD({ learningRate: 0.1 }), loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
      const h = await m.fit(X, Y, { epochs: 2, batchSize: 3, seed: 4, verbose: 0, validationSplit: 0.25 });
      return { logs: h.history, weights: (await m.getWeights()).map((w) => Array.from(w.toFloat32())), evaluated: await m.evaluate(X, Y) };
    };
    const a = await run(seq);
    const b = await run(graph);
    expect(Object.keys(b.logs)).toEqual(['loss', 'accuracy', 'val_loss', 'val_accuracy']);
    expect(b).toEqual(a);
  });
});

describe('argument forms and their errors', () => {
  test('a list and an object by name give the same predictions; predict returns one tensor per output', async () => {
    setSeed(1);
    const model = wideDeep();
    const [a, b] = (await model.predict([nd(xw, [n, 3]), nd(xd, [n, 4])])) as Tensor[];
    const [c, d] = (await model.predict({ deep_input: nd(xd, [n, 4]), wide_input: nd(xw, [n, 3]) })) as Tensor[];
    expect(a.shape).toEqual([n, 1]);
    expect(Array.from(await c.data())).toEqual(Array.from(await a.data()));
    expect(Array.from(await d.data())).toEqual(Array.from(await b.data()));
    for (const t of [a, b, c, d]) t.dispose();
    model.dispose();
  });

  test('wrong count, unknown or missing names, wrong shapes and sample counts are named errors', async () => {
    const model = wideDeep();
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const W = nd(xw, [n, 3]);
    const D = nd(xd, [n, 4]);
    const Y = [nd(ym, [n, 1]), nd(ya, [n, 1])];
    await expect(model.predict(W)).rejects.toThrow(/model '.*' has 2 inputs; give x as a list of 2 arrays \(wide_input, deep_input\) or an object keyed by input name, got one array \[8,3\]/);
    await expect(model.predict([W])).rejects.toThrow(/has 2 inputs \(wide_input, deep_input\), but x is a list of 1/);
    await expect(model.predict({ wide_input: W, deep: D })).rejects.toThrow(/x has key\(s\) 'deep' that name no input of model/);
    await expect(model.predict({ wide_input: W })).rejects.toThrow(/x lacks 'deep_input'/);
    await expect(model.predict([D, W])).rejects.toThrow(/expects input \[batch, 3\], got x\['wide_input'\] \[8,4\] \(input 'wide_input'\)/);
    await expect(model.fit([W, D], Y[0], { verbose: 0 })).rejects.toThrow(/has 2 outputs; give y as a list of 2 arrays \(main_output, aux_output\)/);
    await expect(model.fit([W, D], { main_output: Y[0], aux: Y[1] }, { verbose: 0 })).rejects.toThrow(/y has key\(s\) 'aux' that name no output/);
    await expect(model.fit([W, nd(xd.slice(0, 16), [4, 4])], Y, { verbose: 0 })).rejects.toThrow(/x\['wide_input'\] and x\['deep_input'\] have different numbers of samples/);
    await expect(model.evaluate([W, D], [Y[0], nd(xd.slice(0, 2 * n), [n, 2])])).rejects.toThrow(/mean_squared_error needs targets shaped like the model's output \[n, 1\], got y\['aux_output'\] \[8,2\]/);
    expect(() => model.compile({ optimizer: 'sgd', loss: ['mse'] })).toThrow(/loss lists 1 entries but the model has 2 outputs \(main_output, aux_output\)/);
    expect(() => model.compile({ optimizer: 'sgd', loss: { main: 'mse' } })).toThrow(/loss names 'main', which is not an output of the model/);
    expect(() => model.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['accuracy'] })).toThrow(/take one entry per output \(a list of 2\) or an object by output name; got a list of 1/);
    model.dispose();
  });

  test('an output without a loss is not trained on and needs no target', async () => {
    setSeed(4);
    const model = wideDeep();
    model.compile({ optimizer: 'sgd', loss: { main_output: 'mse' } });
    const h = await model.fit([nd(xw, [n, 3]), nd(xd, [n, 4])], { main_output: nd(ym, [n, 1]) }, { verbose: 0, epochs: 1 });
    expect(Object.keys(h.history)).toEqual(['loss']);
    const aux = model.getLayer('aux_output');
    // No gradient reaches aux_output's weights: they are as initialised.
    const before = await aux.getWeights();
    await model.fit([nd(xw, [n, 3]), nd(xd, [n, 4])], [nd(ym, [n, 1]), null], { verbose: 0, epochs: 1 });
    expect((await aux.getWeights()).map((w) => Array.from(w.toFloat32()))).toEqual(before.map((w) => Array.from(w.toFloat32())));
    model.dispose();
  });
});
