// Bad input to fit/evaluate/predict, layers, optimizers and name lookups: each gets a named
// error (its class asserted) whose message says what is wrong, with the shapes, values and
// indices involved, before any GPU work starts. Rows of docs/errors.md ("Bad input").
import { beforeAll, describe, expect, test } from 'vitest';
import {
  Adagrad,
  Adam,
  Adamax,
  AdamW,
  AlphaDropout,
  Dense,
  Dropout,
  Flatten,
  getInitializer,
  getOptimizer,
  MCDropout,
  type NDArray,
  Nadam,
  ndarray,
  ready,
  RMSprop,
  Sequential,
  SGD,
  setSeed,
} from '../../src/index.ts';
import { getConstraint } from '../../src/nn/layers/constraints.ts';
import { getRegularizer } from '../../src/nn/layers/regularizers.ts';
import { expectError, lit } from '../util/expect-error.ts';

beforeAll(async () => {
  await ready();
});

const n = 8;
const x = ndarray(Array.from({ length: n * 4 }, (_, i) => Math.sin(i)), [n, 4]);
const labels = ndarray(Array.from({ length: n }, (_, i) => i % 3));

/** Dense(5) 'hidden' on [4] features, then Dense(units) 'out'. */
function model(loss = 'sparse_categorical_crossentropy', units = 3, activation: 'softmax' | 'linear' | 'sigmoid' = 'softmax'): Sequential {
  setSeed(3);
  const m = new Sequential([new Dense(5, { name: 'hidden', activation: 'relu', inputShape: [4] }), new Dense(units, { name: 'out', activation })], { name: 'net' });
  m.compile({ optimizer: new SGD(), loss });
  return m;
}

const quiet = { verbose: 0 } as const;

describe('shapes', () => {
  test('x with the wrong feature size: fit, evaluate and predict name the model, its first layer and both shapes', async () => {
    const m = model();
    const wrong = ndarray(new Float32Array(n * 5), [n, 5]);
    const message = lit("model 'net' expects input [batch, 4], got [8,5] (first layer: Dense 'hidden')");
    await expectError(() => m.fit(wrong, labels, quiet), RangeError, /^fit: /, message);
    await expectError(() => m.evaluate(wrong, labels), RangeError, /^evaluate: /, message);
    await expectError(() => m.predict(wrong), RangeError, /^predict: /, message);
    m.dispose();
  });

  test('a Dense layer built by fit on images it cannot take (no Flatten) names the layer and the shape', async () => {
    const m = new Sequential([new Dense(3, { name: 'first', activation: 'softmax' })]);
    m.compile({ optimizer: 'sgd', loss: 'sparse_categorical_crossentropy' });
    const images = ndarray(new Float32Array(n * 4), [n, 2, 2]);
    await expectError(() => m.fit(images, labels, quiet), RangeError, lit("Dense(3) 'first': expected input [batch, features], got [batch, 2, 2] (add a Flatten layer first)"));
    m.dispose();
  });

  test('a Dense layer reused where its built input size does not fit is refused at build, naming the layer', () => {
    const trained = model();
    const hidden = trained.getLayer('out'); // built for [batch, 5]
    const stack = new Sequential([new Dense(7, { inputShape: [4] })], { name: 'reuse' });
    expect(() => stack.add(hidden)).toThrow(RangeError);
    expect(() => stack.add(hidden)).toThrow(lit("model 'reuse': layer Dense 'out' was built for input [batch, 5], but it gets [batch, 7] here"));
    expect(stack.layers).toHaveLength(1); // not added
    trained.dispose();
    stack.dispose();
  });

  test('x and y with different numbers of samples', async () => {
    const m = model();
    const message = lit('x and y have different numbers of samples: x [8,4], y [7]');
    await expectError(() => m.fit(x, labels.slice(0, 7), quiet), RangeError, /^fit: /, message);
    await expectError(() => m.evaluate(x, labels.slice(0, 7)), RangeError, /^evaluate: /, message);
    await expectError(() => m.fit(x, labels, { ...quiet, validationData: [x, labels.slice(0, 7)] }), RangeError, /^fit \(validation data\): /, message);
    m.dispose();
  });

  test('one-hot targets given to sparse categorical cross-entropy', async () => {
    const m = model();
    const oneHot = ndarray(Array.from({ length: n * 3 }, (_, i) => (i % 3 === (Math.floor(i / 3) % 3) ? 1 : 0)), [n, 3]);
    await expectError(
      () => m.fit(x, oneHot, quiet),
      RangeError,
      lit('fit: sparse_categorical_crossentropy takes integer class labels of shape [n] or [n, 1], got y [8,3]'),
      lit("(it looks one-hot: compile with 'categorical_crossentropy', or pass the class ids)"),
    );
    m.dispose();
  });

  test('integer labels given to categorical cross-entropy, and targets unlike the output for mse', async () => {
    const cce = model('categorical_crossentropy');
    await expectError(
      () => cce.fit(x, labels, quiet),
      RangeError,
      lit("fit: categorical_crossentropy needs targets shaped like the model's output [n, 3], got y [8]"),
      lit("(integer class labels need 'sparse_categorical_crossentropy')"),
    );
    cce.dispose();
    const mse = model('mse', 3, 'linear');
    await expectError(() => mse.evaluate(x, ndarray(new Float32Array(n * 2), [n, 2])), RangeError, lit("evaluate: mean_squared_error needs targets shaped like the model's output [n, 3], got y [8,2]"));
    mse.dispose();
  });

  test('[n] and [n, 1] targets are the same: sparse labels, and an output [n, 1] with mse or binary CE', async () => {
    const sparse = model();
    const [flat] = await sparse.evaluate(x, labels);
    const [column] = await sparse.evaluate(x, ndarray(labels.data, [n, 1]));
    expect(column).toBe(flat);
    sparse.dispose();
    const target = Array.from({ length: n }, (_, i) => i % 2);
    for (const [loss, activation] of [['mse', 'linear'], ['binary_crossentropy', 'sigmoid']] as const) {
      const m = model(loss, 1, activation);
      const [a] = await m.evaluate(x, ndarray(target));
      const [b] = await m.evaluate(x, ndarray(target, [n, 1]));
      expect(a, loss).toBe(b);
      expect(Number.isFinite(a)).toBe(true);
      m.dispose();
    }
  });

  test('predict on the wrong rank: one sample without its batch dimension, and images for a flat model', async () => {
    const m = model();
    await expectError(() => m.predict(ndarray([1, 2, 3, 4])), RangeError, lit("got [4] (first layer: Dense 'hidden'); one sample needs a batch dimension: reshape it to [1, 4]"));
    await expectError(() => m.predict(ndarray(new Float32Array(8), [2, 2, 2])), RangeError, lit("predict: model 'net' expects input [batch, 4], got [2,2,2] (first layer: Dense 'hidden')"));
    m.dispose();
    const images = new Sequential([new Flatten({ inputShape: [2, 2] }), new Dense(2)]);
    await expectError(() => images.predict(ndarray(new Float32Array(8), [2, 4])), RangeError, lit("expects input [batch, 2, 2], got [2,4] (first layer: Flatten '"));
    images.dispose();
  });
});

describe('values', () => {
  test('labels out of range for sparse CE name the label, its index and the number of classes', async () => {
    const m = model();
    const bad = ndarray([0, 1, 2, 0, 1, 3, 0, 1]);
    await expectError(() => m.fit(x, bad, quiet), RangeError, lit('fit: label 3 at index 5 is not a class id in [0, 3) for a model with 3 outputs'));
    await expectError(() => m.evaluate(x, ndarray([0, -1, 2, 0, 1, 2, 0, 1])), RangeError, lit('evaluate: label -1 at index 1 is not a class id in [0, 3)'));
    m.dispose();
  });

  test('non-integer labels', async () => {
    const m = model();
    await expectError(() => m.fit(x, ndarray([0, 1, 1.5, 0, 1, 2, 0, 1]), quiet), RangeError, lit('fit: label 1.5 at index 2 is not an integer; sparse_categorical_crossentropy takes class ids 0..2'));
    m.dispose();
  });

  test('NaN or Infinity in x or y: the value, its sample and its flat index', async () => {
    const m = model();
    const xs = Float32Array.from(x.data);
    xs[9] = Number.NaN;
    const withNaN = ndarray(xs, [n, 4]);
    await expectError(() => m.fit(withNaN, labels, quiet), RangeError, lit('fit: x contains NaN at sample 2 (flat index 9); clean the data first'));
    await expectError(() => m.evaluate(withNaN, labels), RangeError, lit('evaluate: x contains NaN at sample 2 (flat index 9)'));
    await expectError(() => m.predict(withNaN), RangeError, lit('predict: x contains NaN at sample 2 (flat index 9)'));
    m.dispose();
    const mse = model('mse', 1, 'linear');
    const ys = new Float32Array(n);
    ys[6] = Number.POSITIVE_INFINITY;
    await expectError(() => mse.fit(x, ndarray(ys), quiet), RangeError, lit('fit: y contains Infinity at sample 6 (flat index 6)'));
    mse.dispose();
  });

  test('an empty dataset', async () => {
    const m = model();
    const empty: [NDArray, NDArray] = [ndarray(new Float32Array(0), [0, 4]), ndarray([])];
    const message = lit('x is empty ([0,4]); give at least one sample');
    await expectError(() => m.fit(empty[0], empty[1], quiet), RangeError, /^fit: /, message);
    await expectError(() => m.evaluate(empty[0], empty[1]), RangeError, /^evaluate: /, message);
    await expectError(() => m.predict(empty[0]), RangeError, /^predict: /, message);
    await expectError(() => m.fit(x, labels, { ...quiet, validationData: empty }), RangeError, /^fit \(validation data\): x is empty/);
    m.dispose();
  });

  test('batchSize <= 0 or not an integer', async () => {
    const m = model();
    for (const batchSize of [0, -4, 2.5, Number.NaN]) {
      const message = new RegExp(`batchSize must be a positive integer, got ${batchSize}$`);
      await expectError(() => m.fit(x, labels, { ...quiet, batchSize }), RangeError, /^fit: /, message);
      await expectError(() => m.evaluate(x, labels, { batchSize }), RangeError, /^evaluate: /, message);
      await expectError(() => m.predict(x, { batchSize }), RangeError, /^predict: /, message);
    }
    m.dispose();
  });

  test('epochs < 0 or not an integer (and initialEpoch); epochs 0 trains nothing, as Keras', async () => {
    const m = model();
    await expectError(() => m.fit(x, labels, { ...quiet, epochs: -1 }), RangeError, lit('fit: epochs must be an integer >= 0, got -1'));
    await expectError(() => m.fit(x, labels, { ...quiet, epochs: 1.5 }), RangeError, lit('fit: epochs must be an integer >= 0, got 1.5'));
    await expectError(() => m.fit(x, labels, { ...quiet, initialEpoch: -2 }), RangeError, lit('fit: initialEpoch must be an integer >= 0, got -2'));
    const before = await m.getWeights();
    const h = await m.fit(x, labels, { ...quiet, epochs: 0 });
    expect(h.epoch).toEqual([]);
    expect((await m.getWeights()).map((w) => Array.from(w.data))).toEqual(before.map((w) => Array.from(w.data)));
    m.dispose();
  });

  test('a learning rate <= 0, NaN or infinite, for every optimizer, at construction and when set', () => {
    const classes = [SGD, Adam, AdamW, Adamax, Nadam, RMSprop, Adagrad];
    for (const Opt of classes) {
      for (const learningRate of [0, -0.01, Number.NaN, Number.POSITIVE_INFINITY]) {
        expect(() => new Opt({ learningRate }), `${Opt.name} ${learningRate}`).toThrow(RangeError);
        expect(() => new Opt({ learningRate })).toThrow(new RegExp(`learning_rate must be a finite number > 0, got ${learningRate}$`));
      }
      const opt = new Opt({ learningRate: 0.01 });
      expect(() => (opt.learningRate = Number.NaN)).toThrow(RangeError);
      expect(() => (opt.learningRate = 0)).toThrow(/learning_rate must be a finite number > 0, got 0$/);
      expect(opt.learningRate).toBe(0.01);
    }
  });

  test('a dropout rate outside [0, 1)', () => {
    for (const [Layer, name] of [[Dropout, 'Dropout'], [AlphaDropout, 'AlphaDropout'], [MCDropout, 'MCDropout']] as const) {
      for (const rate of [1, 1.5, -0.1, Number.NaN]) {
        expect(() => new Layer(rate), `${name}(${rate})`).toThrow(RangeError);
        expect(() => new Layer(rate)).toThrow(new RegExp(`^${name}: rate must be in \\[0, 1\\), got ${rate}$`));
      }
    }
    expect(new Dropout(0).rate).toBe(0);
  });

  test('Dense units that are not a positive integer', () => {
    for (const units of [0, -3, 2.5]) expect(() => new Dense(units)).toThrow(new RegExp(`Dense: units must be a positive integer, got ${units}`));
  });
});

describe('unknown names list the valid ones and suggest the closest, in every registry', () => {
  const compileWith = (args: { loss?: string; optimizer?: string; metrics?: string[] }) => () => {
    const m = new Sequential([new Dense(3, { activation: 'softmax', inputShape: [4] })]);
    m.compile({ loss: args.loss ?? 'mse', optimizer: args.optimizer ?? 'sgd', metrics: args.metrics });
  };
  const cases: [kind: string, make: () => unknown, name: string, closest: string, valid: string[]][] = [
    ['activation', () => new Dense(3, { activation: 'sigmoidd' as 'sigmoid' }), 'sigmoidd', 'sigmoid', ['relu', 'selu', 'softmax', 'tanh']],
    ['loss', compileWith({ loss: 'mean_squared_eror' }), 'mean_squared_eror', 'mean_squared_error', ['sparse_categorical_crossentropy', 'mean_absolute_error']],
    ['optimizer', compileWith({ optimizer: 'rmsprp' }), 'rmsprp', 'rmsprop', ['sgd', 'adam', 'adamw', 'nadam']],
    ['optimizer', () => getOptimizer('nadamm'), 'nadamm', 'nadam', ['sgd', 'adamax', 'adagrad']],
    ['initializer', () => getInitializer('glorot_normall'), 'glorot_normall', 'glorot_normal', ['he_uniform', 'lecun_normal', 'zeros']],
    ['metric', compileWith({ metrics: ['accuracyy'] }), 'accuracyy', 'accuracy', ['sparse_categorical_accuracy', 'binary_accuracy']],
    ['regularizer', () => getRegularizer('l3'), 'l3', 'l1', ['l2', 'l1_l2']],
    ['constraint', () => getConstraint('max_nrm'), 'max_nrm', 'max_norm', ['non_neg', 'unit_norm']],
  ];
  test.each(cases)('%s %s', async (kind, make, name, closest, valid) => {
    const error = await expectError(make, RangeError, lit(`Unknown ${kind} '${name}'. Did you mean '${closest}'? Valid: `));
    for (const v of valid) expect(error.message).toContain(v);
  });

  test('a compile() that fails on a name leaves the previous compile in place', () => {
    const m = new Sequential([new Dense(3, { activation: 'softmax', inputShape: [4] })]);
    m.compile({ loss: 'sparse_categorical_crossentropy', optimizer: 'adam' });
    const before = m.compiled;
    expect(() => m.compile({ loss: 'sparse_categorical_crossentropy', optimizer: 'adamm' })).toThrow(/Did you mean 'adam'/);
    expect(m.compiled).toBe(before);
    m.dispose();
  });
});
