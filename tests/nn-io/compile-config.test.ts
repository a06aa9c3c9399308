// Every compile-config form tf.keras 2.x and Keras 3 write, read into compile(): metric names,
// MeanMetricWrapper and metric-class objects, nested per-output lists and dicts, loss names,
// loss objects and Keras 3 function objects, optimizers across versions (lr, decay,
// Custom>Adam, legacy, Keras 3 module dicts, bare strings, schedules), from_logits losses
// (and their way back into a file). What webgrad cannot
// rebuild is named, and loadModel then warns and returns the model uncompiled.
// The real files these forms come from: tests/nn-io/corpus.test.ts.

import { afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import { writeModelFile } from '../../src/io/files.ts';
import type { KerasJson } from '../../src/io/model-file.ts';
import { ready } from '../../src/kernels/device.ts';
import { compileArgsFrom, trainingConfigFor } from '../../src/io/config/compile-config.ts';
import { inConfig } from '../../src/io/config/keras-json.ts';
import { Dense } from '../../src/nn/layers/dense.ts';
import { getLoss } from '../../src/nn/model/losses.ts';
import { getMetric } from '../../src/nn/model/metrics.ts';
import { loadModel, modelToFile } from '../../src/io/save.ts';
import { Input } from '../../src/nn/layers/input-layer.ts';
import { Model } from '../../src/nn/model/model.ts';
import { Sequential } from '../../src/nn/model/sequential.ts';
import { ExponentialDecay } from '../../src/optim/decay-schedules.ts';
import { tensor } from '../../src/tensor/create.ts';
import { ndarray } from '../../src/data/ndarray.ts';

beforeAll(async () => {
  await ready();
});

afterEach(() => {
  vi.restoreAllMocks();
});

const SGD_24 = { class_name: 'SGD', config: { name: 'SGD', learning_rate: 0.01, decay: 0.0, momentum: 0.0, nesterov: false } };
const KERAS3_SGD = {
  module: 'keras.optimizers',
  class_name: 'SGD',
  config: {
    name: 'SGD', learning_rate: 0.01, weight_decay: null, clipnorm: null, global_clipnorm: null, clipvalue: null, use_ema: false,
    ema_momentum: 0.99, ema_overwrite_frequency: null, loss_scale_factor: null, gradient_accumulation_steps: null, momentum: 0.9, nesterov: true,
  },
  registered_name: null,
};
const wrapper = (name: string, fn: unknown) => ({ class_name: 'MeanMetricWrapper', config: { name, dtype: 'float32', fn } });
const keras3 = (module: string, class_name: string, config: unknown) => ({ module, class_name, config, registered_name: null });

/** A compiled 4 -> 3 softmax model from a training/compile config, and what compile resolved. */
function compiled(training: KerasJson) {
  // Named 'dense', as the per-output dicts below call its output.
  const model = new Sequential([new Dense(3, { inputShape: [4], activation: 'softmax', name: 'dense' })]);
  model.compile(compileArgsFrom(training, 'file: training_config', model.outputNames, 'keras2'));
  const c = model.compiled!;
  const summary = {
    optimizer: c.optimizer.className,
    learningRate: c.optimizer.learningRate,
    loss: c.loss.name,
    metrics: c.metrics.map((m) => m.name),
  };
  return { model, c, summary };
}

/** The metric function `kind` computes, as compile's getMetric resolves that name. */
const kindOf = (name: string) => getMetric(name, getLoss('sparse_categorical_crossentropy')).perSample;

describe('a model with two outputs (main, aux)', () => {
  /** A fresh two-output model compiled from `training` as written by `version`: each output's loss, weight and metric names. */
  function perOutput(training: KerasJson, version: 'keras2' | 'keras3') {
    const x = Input({ shape: [4] });
    const model = new Model({ inputs: x, outputs: [new Dense(3, { activation: 'softmax', name: 'main' }).apply(x), new Dense(3, { activation: 'softmax', name: 'aux' }).apply(x)] });
    model.compile(compileArgsFrom({ optimizer: 'sgd', ...training }, 'file', model.outputNames, version));
    const out = model.compiled!.outputs.map((o) => [o.name, o.loss?.name ?? null, o.weight, o.metrics.map((m) => m.name)]);
    model.dispose();
    return out;
  }
  const sce = 'sparse_categorical_crossentropy';

  test('losses and loss_weights as lists or by output name; metrics per output, or (tf.keras 2) a flat list for every output', () => {
    expect(perOutput({ loss: [sce, 'mse'], loss_weights: [0.9, 0.1], metrics: ['accuracy'] }, 'keras2')).toEqual([
      ['main', sce, 0.9, ['accuracy']],
      ['aux', 'mean_squared_error', 0.1, ['accuracy']],
    ]);
    expect(perOutput({ loss: { aux: sce, main: sce }, loss_weights: { main: 2, aux: 1 }, metrics: { aux: ['accuracy'] } }, 'keras3')).toEqual([
      ['main', sce, 2, []],
      ['aux', sce, 1, ['accuracy']],
    ]);
    // Keras 3: a list with one entry per output; a loss given once goes to every output.
    expect(perOutput({ loss: sce, metrics: [['accuracy'], null] }, 'keras3')).toEqual([
      ['main', sce, null, ['accuracy']],
      ['aux', sce, null, []],
    ]);
    // A one-output model's loss weight is kept too, as a list of one.
    const x = Input({ shape: [4] });
    const one = new Model({ inputs: x, outputs: new Dense(3, { activation: 'softmax', name: 'only' }).apply(x) });
    one.compile({ optimizer: 'sgd', loss: sce, lossWeights: 0.5 });
    const training = trainingConfigFor(one, 'keras3')!;
    expect(training.loss_weights).toEqual([0.5]);
    one.compile(compileArgsFrom(training, 'file', one.outputNames, 'keras3'));
    expect(one.compiled!.outputs[0].weight).toBe(0.5);
    one.dispose();
    // tf.keras 2 wrote nested lists per output too.
    expect(perOutput({ loss: [sce, null], metrics: [['accuracy'], []] }, 'keras2')).toEqual([
      ['main', sce, null, ['accuracy']],
      ['aux', null, null, []],
    ]);
  });
});

describe('training configs that compile', () => {
  test('tf.keras 2.2-2.4: metric names; Keras 2.2.4 `lr`, `decay` and no name', () => {
    const { summary, c, model } = compiled({
      loss: 'sparse_categorical_crossentropy',
      metrics: ['acc'],
      sample_weight_mode: null,
      loss_weights: null,
      optimizer_config: { class_name: 'Adam', config: { lr: 0.002, beta_1: 0.9, beta_2: 0.999, decay: 1e-4, epsilon: 1e-7, amsgrad: false } },
    });
    expect(summary).toEqual({ optimizer: 'Adam', learningRate: 0.002, loss: 'sparse_categorical_crossentropy', metrics: ['acc'] });
    expect(c.optimizer.decay).toBe(1e-4);
    model.dispose();
  });

  test('tf.keras 2.5-2.14: MeanMetricWrapper objects in per-output lists; the logs key is the saved name', () => {
    const { summary, c, model } = compiled({
      loss: 'sparse_categorical_crossentropy',
      metrics: [[wrapper('accuracy', 'sparse_categorical_accuracy'), wrapper('cat_acc', 'categorical_accuracy')]],
      weighted_metrics: [[]],
      loss_weights: [1.0],
      optimizer_config: SGD_24,
    });
    expect(summary).toEqual({ optimizer: 'SGD', learningRate: 0.01, loss: 'sparse_categorical_crossentropy', metrics: ['accuracy', 'cat_acc'] });
    expect(c.metrics.map((m) => m.perSample)).toEqual([kindOf('sparse_categorical_accuracy'), kindOf('categorical_accuracy')]);
    model.dispose();
  });

  test('per-output dicts, a loss in a list, a loss object (tf.keras 2) and Keras 3 function objects', () => {
    const lossObject = { class_name: 'SparseCategoricalCrossentropy', config: { reduction: 'auto', name: 'sparse_categorical_crossentropy', from_logits: false, ignore_class: null } };
    for (const [loss, metrics] of [
      [['sparse_categorical_crossentropy'], { dense: ['accuracy'] }],
      [{ dense: lossObject }, { dense: [wrapper('accuracy', keras3('keras.metrics', 'function', 'sparse_categorical_accuracy'))] }],
      [keras3('keras.losses', 'function', 'sparse_categorical_crossentropy'), [keras3('keras.metrics', 'function', 'sparse_categorical_accuracy')]],
    ]) {
      const { summary, c, model } = compiled({ loss, metrics, loss_weights: { dense: 1.0 }, optimizer_config: SGD_24 });
      expect(summary.loss).toBe('sparse_categorical_crossentropy');
      expect(summary.metrics[0]).toMatch(/^(sparse_categorical_)?accuracy$/);
      expect(c.metrics[0].perSample).toBe(kindOf('sparse_categorical_accuracy'));
      model.dispose();
    }
  });

  test('tf.keras 2.11+: Custom>Adam with the new base keys, and legacy optimizers (is_legacy_optimizer)', () => {
    const custom = {
      class_name: 'Custom>Adam',
      config: {
        name: 'Adam', weight_decay: null, clipnorm: null, global_clipnorm: null, clipvalue: null, use_ema: false, ema_momentum: 0.99,
        ema_overwrite_frequency: null, jit_compile: true, is_legacy_optimizer: false, learning_rate: 0.001, beta_1: 0.9, beta_2: 0.999, epsilon: 1e-7, amsgrad: false,
      },
    };
    const legacy = { class_name: 'SGD', config: { name: 'SGD', learning_rate: 0.05, decay: 0.0, momentum: 0.9, nesterov: true, is_legacy_optimizer: true } };
    for (const [optimizer_config, name, lr] of [[custom, 'Adam', 0.001], [legacy, 'SGD', 0.05]] as const) {
      const { summary, model } = compiled({ loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'], optimizer_config });
      expect([summary.optimizer, summary.learningRate]).toEqual([name, lr]);
      model.dispose();
    }
  });

  test('every tf.keras 2 optimizer class, and Keras 2.2.4 configs (lr, no name, Nadam schedule_decay)', () => {
    const configs: [string, KerasJson][] = [
      ['RMSprop', { name: 'RMSprop', learning_rate: 0.001, decay: 0.0, rho: 0.9, momentum: 0.0, epsilon: 1e-7, centered: false }],
      ['Adagrad', { name: 'Adagrad', learning_rate: 0.001, decay: 0.0, initial_accumulator_value: 0.1, epsilon: 1e-7 }],
      ['Adamax', { name: 'Adamax', learning_rate: 0.001, decay: 0.0, beta_1: 0.9, beta_2: 0.999, epsilon: 1e-7 }],
      ['Nadam', { name: 'Nadam', learning_rate: 0.001, decay: 0.004, beta_1: 0.9, beta_2: 0.999, epsilon: 1e-7 }],
      ['SGD', { name: 'SGD', learning_rate: 0.01, decay: 0.0, momentum: 0.9, nesterov: true, clipnorm: 1.0 }],
      ['Nadam', { lr: 0.002, beta_1: 0.9, beta_2: 0.999, epsilon: 1e-7, schedule_decay: 0.004 }],
      ['RMSprop', { lr: 0.001, rho: 0.9, epsilon: 1e-7, decay: 0.0 }],
    ];
    for (const [class_name, config] of configs) {
      const { summary, model } = compiled({ loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'], optimizer_config: { class_name, config } });
      expect(summary.optimizer).toBe(class_name);
      model.dispose();
    }
    const odd = { class_name: 'Nadam', config: { lr: 0.002, schedule_decay: 0.01 } };
    expect(() => compileArgsFrom({ loss: 'mse', optimizer_config: odd }, 'file', ['dense'], 'keras2')).toThrow(/schedule_decay=0.01 is not supported by webgrad \(only 0.004\)/);
  });

  test('Keras 3 and tf.keras 2.13+ compile_config: module dicts, a bare optimizer name, loss and metric objects', () => {
    const a = compiled({ optimizer: KERAS3_SGD, loss: 'sparse_categorical_crossentropy', loss_weights: null, metrics: ['sparse_categorical_accuracy'], weighted_metrics: null, run_eagerly: false, steps_per_execution: 1, jit_compile: false });
    expect(a.summary).toEqual({ optimizer: 'SGD', learningRate: 0.01, loss: 'sparse_categorical_crossentropy', metrics: ['sparse_categorical_accuracy'] });
    expect(a.c.optimizer.getConfig()).toMatchObject({ momentum: 0.9, nesterov: true });
    a.model.dispose();
    const experimental = compiled({ optimizer: { ...KERAS3_SGD, module: 'keras.optimizers.experimental' }, loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
    expect(experimental.summary.optimizer).toBe('SGD');
    experimental.model.dispose();

    const b = compiled({
      optimizer: 'sgd',
      loss: keras3('keras.losses', 'SparseCategoricalCrossentropy', { name: 'sparse_categorical_crossentropy', reduction: 'sum_over_batch_size', from_logits: false, ignore_class: null }),
      metrics: [
        keras3('keras.metrics', 'SparseCategoricalAccuracy', { name: 'acc', dtype: 'float32' }),
        keras3('keras.metrics', 'CategoricalAccuracy', { name: 'categorical_accuracy', dtype: 'float32' }),
        keras3('keras.metrics', 'BinaryAccuracy', { name: 'binary_accuracy', dtype: 'float32', threshold: 0.5 }),
        keras3('keras.metrics', 'Accuracy', { name: 'exact', dtype: 'float32' }),
      ],
    });
    expect(b.summary).toEqual({ optimizer: 'SGD', learningRate: 0.01, loss: 'sparse_categorical_crossentropy', metrics: ['acc', 'categorical_accuracy', 'binary_accuracy', 'exact'] });
    expect(b.c.metrics.slice(0, 3).map((m) => m.perSample)).toEqual(['sparse_categorical_accuracy', 'categorical_accuracy', 'binary_accuracy'].map(kindOf));
    b.model.dispose();
  });

  test("the Accuracy class is Keras's exact match, not compile's 'accuracy' resolved by the loss", async () => {
    // The class, and Keras 3's function object for keras.metrics.accuracy.
    const exact = [{ class_name: 'Accuracy', config: { name: 'accuracy' } }, keras3('keras.metrics', 'function', 'accuracy')];
    const { c, model } = compiled({ optimizer: 'sgd', loss: 'mse', metrics: exact });
    const yTrue = tensor(new Float32Array([1, 2, 3, 0]), [4, 1]);
    const yPred = tensor(new Float32Array([1, 0, 3, 0.5]), [4, 1]);
    for (const metric of c.metrics) {
      const hits = metric.perSample(yTrue, yPred);
      expect(Array.from(await hits.data())).toEqual([1, 0, 1, 0]);
      hits.dispose();
    }
    for (const t of [yTrue, yPred]) t.dispose();
    model.dispose();
  });

  test('a loss from logits (tf.keras 2 and Keras 3 objects): evaluated on logits, saved back as a loss object', async () => {
    const config = { name: 'sparse_categorical_crossentropy', reduction: 'sum_over_batch_size', from_logits: true, ignore_class: null };
    const model = new Sequential([new Dense(3, { inputShape: [2], name: 'logits' })]);
    model.setWeights([new Float32Array([1, -1, 0.5, 2, 0, -0.5]), new Float32Array([0.1, 0, -0.1])]);
    const x = ndarray([1, 2, -1, 0.5], [2, 2]);
    const y = ndarray([0, 0]);
    // Softmax cross-entropy of the raw outputs, by hand: logits = x·W + b.
    const z = [[1 + 4 + 0.1, -1 + 0, 0.5 - 1 - 0.1], [-1 + 1 + 0.1, 1 + 0, -0.5 - 0.25 - 0.1]];
    const ce = z.map((row, i) => Math.log(row.reduce((a, v) => a + Math.exp(v), 0)) - row[y.at(i)]);
    for (const loss of [{ class_name: 'SparseCategoricalCrossentropy', config: { ...config, reduction: 'auto' } }, keras3('keras.losses', 'SparseCategoricalCrossentropy', config)]) {
      model.compile(compileArgsFrom({ optimizer: 'sgd', loss, metrics: ['accuracy'] }, 'file', model.outputNames, 'keras3'));
      expect([model.compiled?.loss.name, model.compiled?.loss.fromLogits]).toEqual(['sparse_categorical_crossentropy', true]);
      const [value, accuracy] = await model.evaluate(x, y);
      expect(value).toBeCloseTo((ce[0] + ce[1]) / 2, 5);
      expect(accuracy).toBe(0.5);
    }
    const saved = [(await modelToFile(model, 'h5')).trainingConfig?.loss, (await modelToFile(model, 'keras')).trainingConfig?.loss];
    expect(saved).toEqual([
      { class_name: 'SparseCategoricalCrossentropy', config: { reduction: 'auto', name: 'sparse_categorical_crossentropy', from_logits: true } },
      keras3('keras.losses', 'SparseCategoricalCrossentropy', { name: 'sparse_categorical_crossentropy', reduction: 'sum_over_batch_size', from_logits: true }),
    ]);
    for (const format of ['h5', 'keras'] as const) {
      const loaded = await loadModel(await model.toBytes(format));
      expect(loaded.compiled?.loss.fromLogits).toBe(true);
      expect((await loaded.evaluate(x, y))[0]).toBeCloseTo((ce[0] + ce[1]) / 2, 5);
      loaded.dispose();
    }
    model.dispose();
  });

  test('learning_rate as a schedule: tf.keras 2 {class_name, config} and Keras 3 module dicts', () => {
    const config = { initial_learning_rate: 0.1, decay_steps: 100, decay_rate: 0.5, staircase: false, name: 'ExponentialDecay' };
    for (const schedule of [{ class_name: 'ExponentialDecay', config }, keras3('keras.optimizers.schedules', 'ExponentialDecay', config)]) {
      const { c, model } = compiled({ loss: 'sparse_categorical_crossentropy', metrics: [], optimizer: { ...KERAS3_SGD, config: { ...KERAS3_SGD.config, learning_rate: schedule } } });
      expect(c.optimizer.schedule).toBeInstanceOf(ExponentialDecay);
      model.dispose();
    }
  });
});

describe('compile information webgrad cannot rebuild', () => {
  const base = { loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'], optimizer_config: SGD_24 };
  test.each([
    ['label smoothing', { ...base, loss: { class_name: 'CategoricalCrossentropy', config: { label_smoothing: 0.1, reduction: 'auto' } } }, /loss: CategoricalCrossentropy with label_smoothing=0.1 is not supported/],
    ['logits for mse', { ...base, loss: { class_name: 'MeanSquaredError', config: { from_logits: true } } }, /loss: Unknown cross-entropy loss 'mean_squared_error'/],
    ['a summed loss', { ...base, loss: { class_name: 'CategoricalCrossentropy', config: { reduction: 'sum' } } }, /reduction="sum" is not supported/],
    ['two losses for one output', { ...base, loss: ['mse', 'mae'] }, /file: training_config: .*loss lists 2 entries but the model has 1 outputs/],
    ['a loss weight that is not a number', { ...base, loss_weights: ['high'] }, /loss_weights\[0\]: a loss weight must be a number, found "high"/],
    ['weighted metrics', { ...base, weighted_metrics: [[wrapper('accuracy', 'sparse_categorical_accuracy')]] }, /weighted_metrics .* is not supported/],
    ['a metric class', { ...base, metrics: [[{ class_name: 'AUC', config: { name: 'auc' } }]] }, /metrics\[0\]: metric class 'AUC' is not supported/],
    ['a wrapped function', { ...base, metrics: [[wrapper('mae', 'mean_absolute_error')]] }, /metrics\[0\]: Unknown metric function 'mean_absolute_error'/],
    ['a threshold', { ...base, metrics: [{ class_name: 'BinaryAccuracy', config: { threshold: 0.7 } }] }, /BinaryAccuracy with threshold=0.7 is not supported/],
    ['an optimizer', { ...base, optimizer_config: { class_name: 'Ftrl', config: {} } }, /optimizer: unknown optimizer 'Ftrl'/],
    ['EMA', { ...base, optimizer: { ...KERAS3_SGD, config: { ...KERAS3_SGD.config, use_ema: true } }, optimizer_config: undefined }, /use_ema=true is not supported/],
  ])('%s is named', (_, training, message) => {
    const model = new Sequential([new Dense(3, { inputShape: [4], activation: 'softmax' })]);
    const where = 'file: training_config';
    expect(() => inConfig(where, () => model.compile(compileArgsFrom(training as KerasJson, where, model.outputNames, 'keras2')))).toThrow(message);
    model.dispose();
  });

  test.each(['h5', 'keras'] as const)('loadModel warns, naming it, and returns the model uncompiled with its weights (%s)', async (format) => {
    const model = new Sequential([new Dense(3, { inputShape: [4], activation: 'softmax' })]);
    model.compile({ optimizer: 'sgd', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
    const file = await modelToFile(model, format);
    const metrics = [[{ class_name: 'AUC', config: { name: 'auc' } }]];
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    // A metric name that only compile() rejects is handled the same way.
    for (const bad of [metrics, ['mean_absolute_error']]) {
      const loaded = await loadModel(await writeModelFile({ ...file, trainingConfig: { ...file.trainingConfig, metrics: bad } }));
      expect(loaded.compiled).toBeNull();
      expect((await loaded.getWeights()).map((w) => Array.from(w.data))).toEqual((await model.getWeights()).map((w) => Array.from(w.data)));
      loaded.dispose();
    }
    const where = format === 'h5' ? 'training_config' : 'compile_config';
    expect(warn.mock.calls.map(([m]) => String(m))).toEqual([
      expect.stringMatching(new RegExp(`^webgrad: model bytes: ${where} metrics\\[0\\]: metric class 'AUC' is not supported.*The model is loaded uncompiled, with all its weights: call compile\\(\\) before fit\\(\\) or evaluate\\(\\)\\.$`)),
      expect.stringMatching(new RegExp(`^webgrad: model bytes: ${where}: Unknown metric 'mean_absolute_error'`)),
    ]);
    model.dispose();
  });

  test('a Keras 3 compile_config of {} (a model saved uncompiled) loads uncompiled without a warning', async () => {
    const model = new Sequential([new Dense(3, { inputShape: [4] })]);
    const warn = vi.spyOn(console, 'warn');
    const loaded = await loadModel(await writeModelFile({ ...(await modelToFile(model, 'keras')), trainingConfig: {} }));
    expect([loaded.compiled, warn.mock.calls.length]).toEqual([null, 0]);
    loaded.dispose();
    model.dispose();
  });
});
