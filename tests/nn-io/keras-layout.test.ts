// The files webgrad's save() writes, read back with jsfive (a pure-JS HDF5 reader that
// shares no code with h5wasm) and checked against what Python Keras writes: resaving the two
// real Keras files reproduces their configs and layout exactly, and a model with every
// option has Keras's attribute names, config keys (snake_case), dataset paths, dtypes and
// shapes, so keras.models.load_model can read it.

import { unzipSync } from 'fflate';
import type { Dataset, Group } from 'jsfive';
import { beforeAll, describe, expect, test } from 'vitest';
import type { KerasJson } from '../../src/io/model-file.ts';
import { ready } from '../../src/kernels/device.ts';
import { loadModel } from '../../src/io/save.ts';
import type { Sequential } from '../../src/nn/model/sequential.ts';
import { Adam } from '../../src/optim/adam.ts';
import { SGD } from '../../src/optim/sgd.ts';
import { setSeed } from '../../src/tensor/random.ts';
import { openJsfive, walk } from '../io/jsfive-reader.ts';
import { FIXTURES, readBytes } from '../util/files.ts';
import { compileWith, richData, richModel } from './models.ts';

const H5 = `${FIXTURES}/keras/model_A_keras2.4.h5`;
const KERAS = `${FIXTURES}/keras/model_A_keras3.5.keras`;

beforeAll(async () => {
  await ready();
});

const json = (v: unknown) => JSON.parse(v as string) as KerasJson;
const text = (b: Uint8Array) => new TextDecoder().decode(b);
const layersOf = (config: KerasJson) => (config.config as KerasJson).layers as KerasJson[];

/** JSON without Keras 3's shared_object_id (an id() of the Python object, different every run). */
function withoutSharedIds(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutSharedIds);
  if (v === null || typeof v !== 'object') return v;
  return Object.fromEntries(Object.entries(v).filter(([k]) => k !== 'shared_object_id').map(([k, x]) => [k, withoutSharedIds(x)]));
}

/** Every object key at any depth. */
function allKeys(v: unknown): string[] {
  if (Array.isArray(v)) return v.flatMap(allKeys);
  if (v === null || typeof v !== 'object') return [];
  return Object.entries(v).flatMap(([k, x]) => [k, ...allKeys(x)]);
}

/** A string-list attribute as numpy reads it (jsfive keeps fixed-length strings' trailing NULs). */
const list = (group: Group, name: string) => (group.attrs[name] as string[]).map((s) => s.replace(/\0+$/, ''));

describe('resaving the real Keras files gives back their configs and layout', () => {
  test('model_A_keras2.4.h5 -> loadModel -> save as .h5', async () => {
    const fixture = await readBytes(H5);
    const model = await loadModel(fixture);
    const [ours, theirs] = [openJsfive(await model.toBytes('h5')), openJsfive(fixture)];
    expect(json(ours.attrs.model_config)).toEqual(json(theirs.attrs.model_config));
    expect(json(ours.attrs.training_config)).toEqual(json(theirs.attrs.training_config));
    expect([ours.attrs.keras_version, ours.attrs.backend]).toEqual(['2.4.0', 'tensorflow']);
    expect(walk(ours)).toEqual(walk(theirs));
    expect((ours.get('optimizer_weights/SGD/iter:0') as Dataset).value).toEqual((theirs.get('optimizer_weights/SGD/iter:0') as Dataset).value);
    model.dispose();
  });

  test('model_A_keras3.5.keras -> loadModel -> save as .keras', async () => {
    const fixture = await readBytes(KERAS);
    const model = await loadModel(fixture);
    const [ours, theirs] = [unzipSync(await model.toBytes('keras')), unzipSync(fixture)];
    expect(Object.keys(ours)).toEqual(['metadata.json', 'config.json', 'model.weights.h5']);
    expect(json(text(ours['metadata.json'])).keras_version).toBe('3.5.0');
    expect(json(text(ours['config.json']))).toEqual(withoutSharedIds(json(text(theirs['config.json']))));
    expect(walk(openJsfive(ours['model.weights.h5']))).toEqual(walk(openJsfive(theirs['model.weights.h5'])));
    model.dispose();
  });
});

describe('a model with every option, as webgrad writes it', () => {
  let model: Sequential;
  let kerasDense: { h5: string[]; keras: string[] };

  beforeAll(async () => {
    setSeed(3);
    model = compileWith(richModel(), new SGD({ learningRate: 0.01, momentum: 0.9 }));
    const [x, y] = richData(16);
    await model.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0 });
    // The Dense config keys real Keras wrote, in its order.
    const h5 = openJsfive(await readBytes(H5));
    const keras = json(text(unzipSync(await readBytes(KERAS))['config.json']));
    kerasDense = {
      h5: Object.keys(layersOf(json(h5.attrs.model_config))[2].config as KerasJson),
      keras: Object.keys(layersOf(keras)[2].config as KerasJson),
    };
  });

  test('.h5: tf.keras 2 attributes, model_config keys, weight and optimizer datasets', async () => {
    const file = openJsfive(await model.toBytes('h5'));
    expect(Object.keys(file.attrs)).toEqual(['keras_version', 'backend', 'model_config', 'training_config']);
    const config = json(file.attrs.model_config);
    expect(allKeys(config).filter((k) => !/^[a-z][a-z0-9_]*$/.test(k))).toEqual([]);
    const layers = layersOf(config);
    expect(layers.map((l) => Object.keys(l))).toEqual(layers.map(() => ['class_name', 'config']));
    expect(layers.map((l) => l.class_name)).toEqual([
      'InputLayer', 'Flatten', 'Dense', 'AlphaDropout', 'Dense', 'Dropout', 'Dense', 'MCDropout', 'Dense', 'Activation', 'Dense',
    ]);
    const flattenName = (layers[1].config as KerasJson).name;
    expect(layers[0].config).toEqual({ batch_input_shape: [null, 3, 4], dtype: 'float32', sparse: false, ragged: false, name: `${flattenName}_input` });
    expect(Object.keys(layers[1].config as KerasJson)).toEqual(['name', 'trainable', 'batch_input_shape', 'dtype', 'data_format']);
    for (const dense of layers.filter((l) => l.class_name === 'Dense')) expect(Object.keys(dense.config as KerasJson)).toEqual(kerasDense.h5);
    const hidden2 = layers[4].config as KerasJson;
    expect([hidden2.kernel_initializer, hidden2.kernel_regularizer, hidden2.kernel_constraint, hidden2.bias_constraint]).toEqual([
      { class_name: 'HeUniform', config: { seed: 7 } },
      { class_name: 'L1', config: { l1: 0.001 } },
      { class_name: 'MaxNorm', config: { max_value: 1.5, axis: 0 } },
      { class_name: 'NonNeg', config: {} },
    ]);
    expect(layers[6].config).toMatchObject({ name: 'frozen', trainable: false, kernel_regularizer: { class_name: 'L1L2', config: { l1: 1e-4, l2: 1e-3 } } });
    expect(layers[7].config).toEqual({ name: 'mc_dropout', trainable: true, dtype: 'float32', rate: 0.1, noise_shape: null, seed: null });
    expect(json(file.attrs.training_config)).toEqual({
      loss: 'sparse_categorical_crossentropy',
      metrics: ['accuracy'],
      weighted_metrics: null,
      loss_weights: null,
      optimizer_config: { class_name: 'SGD', config: { name: 'SGD', learning_rate: 0.01, decay: 0, momentum: 0.9, nesterov: false } },
    });
    const weights = file.get('model_weights') as Group;
    expect(list(weights, 'layer_names')).toEqual(model.layers.map((l) => l.name));
    expect(list(weights.get('hidden_1') as Group, 'weight_names')).toEqual(['hidden_1/kernel:0', 'hidden_1/bias:0']);
    const datasets = walk(file).filter((e) => typeof e !== 'string');
    expect(datasets).toContainEqual({ path: 'model_weights/hidden_1/hidden_1/kernel:0', dtype: '<f4', shape: [12, 10] });
    expect(datasets).toContainEqual({ path: 'model_weights/hidden_3/hidden_3/kernel:0', dtype: '<f4', shape: [8, 6] });
    expect(list(file.get('optimizer_weights') as Group, 'weight_names')).toEqual([
      'SGD/iter:0',
      ...['hidden_1', 'hidden_2', 'hidden_3', 'output'].flatMap((l) => (l === 'hidden_3' ? [`SGD/${l}/kernel/momentum:0`] : [`SGD/${l}/kernel/momentum:0`, `SGD/${l}/bias/momentum:0`])),
    ]);
    expect(datasets).toContainEqual({ path: 'optimizer_weights/SGD/iter:0', dtype: '<i8', shape: [] });
    expect((file.get('optimizer_weights/SGD/iter:0') as Dataset).value).toEqual([2]);
  });

  test('.keras: Keras 3 config.json (modules, DTypePolicy, build_config, compile_config) and model.weights.h5', async () => {
    const entries = unzipSync(await model.toBytes('keras'));
    expect(Object.keys(entries)).toEqual(['metadata.json', 'config.json', 'model.weights.h5']);
    const config = json(text(entries['config.json']));
    expect(Object.keys(config)).toEqual(['module', 'class_name', 'config', 'registered_name', 'build_config', 'compile_config']);
    expect(allKeys(config).filter((k) => !/^[a-z][a-z0-9_]*$/.test(k))).toEqual([]);
    const layers = layersOf(config);
    expect(layers[0]).toEqual({ module: 'keras.layers', class_name: 'InputLayer', config: { batch_shape: [null, 3, 4], dtype: 'float32', sparse: false, name: 'input_layer' }, registered_name: null });
    expect(layers.slice(1).map((l) => [l.module, l.registered_name])).toEqual(
      layers.slice(1).map((l) => (l.class_name === 'MCDropout' ? ['__main__', 'MCDropout'] : ['keras.layers', null])),
    );
    for (const dense of layers.filter((l) => l.class_name === 'Dense')) expect(Object.keys(dense.config as KerasJson)).toEqual(kerasDense.keras);
    const hidden2 = layers[4] as KerasJson;
    expect(hidden2.build_config).toEqual({ input_shape: [null, 10] });
    expect((hidden2.config as KerasJson).dtype).toEqual({ module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null });
    expect((hidden2.config as KerasJson).kernel_regularizer).toEqual({ module: 'keras.regularizers', class_name: 'L1', config: { l1: 0.001 }, registered_name: null });
    expect((hidden2.config as KerasJson).bias_constraint).toEqual({ module: 'keras.constraints', class_name: 'NonNeg', config: {}, registered_name: null });
    expect((config.compile_config as KerasJson).optimizer).toMatchObject({ module: 'keras.optimizers', class_name: 'SGD', config: { learning_rate: 0.01, momentum: 0.9 } });
    const datasets = walk(openJsfive(entries['model.weights.h5'])).filter((e) => typeof e !== 'string');
    // Keras 3 names the groups by class, in model order: dense, dense_1, ...; one var per weight.
    expect(datasets.filter((d) => d.path.startsWith('layers/'))).toEqual([
      { path: 'layers/dense/vars/0', dtype: '<f4', shape: [12, 10] },
      { path: 'layers/dense/vars/1', dtype: '<f4', shape: [10] },
      { path: 'layers/dense_1/vars/0', dtype: '<f4', shape: [10, 8] },
      { path: 'layers/dense_1/vars/1', dtype: '<f4', shape: [8] },
      { path: 'layers/dense_2/vars/0', dtype: '<f4', shape: [8, 8] },
      { path: 'layers/dense_2/vars/1', dtype: '<f4', shape: [8] },
      { path: 'layers/dense_3/vars/0', dtype: '<f4', shape: [8, 6] },
      { path: 'layers/dense_4/vars/0', dtype: '<f4', shape: [6, 4] },
      { path: 'layers/dense_4/vars/1', dtype: '<f4', shape: [4] },
    ]);
    // iteration, learning_rate, then one momentum per trained variable (the frozen layer has none).
    const optimizer = datasets.filter((d) => d.path.startsWith('optimizer/'));
    expect(optimizer.map((d) => d.dtype)).toEqual(['<i8', '<f4', ...new Array(7).fill('<f4')]);
    expect(optimizer.length).toBe(9);
  });

  test('.weights.h5: the layout of a .keras file\'s model.weights.h5', async () => {
    const weights = walk(openJsfive(await model.toBytes('weights.h5')));
    const inKeras = walk(openJsfive(unzipSync(await model.toBytes('keras'))['model.weights.h5']));
    expect(weights).toEqual(inKeras);
    expect(weights.filter((e) => typeof e === 'string' && /^layers\/[^/]+\/$/.test(e))).toEqual([
      'layers/activation/', 'layers/alpha_dropout/', 'layers/dense/', 'layers/dense_1/', 'layers/dense_2/', 'layers/dense_3/', 'layers/dense_4/',
      'layers/dropout/', 'layers/flatten/', 'layers/mc_dropout/',
    ]);
  });

  test('Adam state in .h5 uses tf.keras 2 slot names (m, v) and no learning-rate variable', async () => {
    setSeed(4);
    const adam = compileWith(richModel(), new Adam({ learningRate: 0.01 }));
    const [x, y] = richData(8);
    await adam.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0 });
    const names = list(openJsfive(await adam.toBytes('h5')).get('optimizer_weights') as Group, 'weight_names');
    expect(names.slice(0, 3)).toEqual(['adam/iter:0', 'adam/hidden_1/kernel/m:0', 'adam/hidden_1/bias/m:0']);
    expect(names.filter((n) => n.endsWith('/v:0')).length).toBe(7);
    expect(names.length).toBe(15);
    adam.dispose();
  });
});
