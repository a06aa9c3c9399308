// Reads the two real Keras files (shared/fixtures/keras) and checks what they hold against
// their README and against jsfive, a second HDF5 reader that shares no code with h5wasm.
// Reference sums were computed with h5py/numpy (float64) from the same files.

import { unzipSync } from 'fflate';
import type { Dataset } from 'jsfive';
import { describe, expect, test } from 'vitest';
import { readH5Model } from '../../src/io/h5-legacy.ts';
import { readKerasModel } from '../../src/io/keras-zip.ts';
import type { KerasJson, ModelFile, WeightRecord } from '../../src/io/model-file.ts';
import { FIXTURES, readBytes } from '../util/files.ts';
import { openJsfive } from './jsfive-reader.ts';

const H5 = `${FIXTURES}/keras/model_A_keras2.4.h5`;
const KERAS = `${FIXTURES}/keras/model_A_keras3.5.keras`;

const shapes = (m: ModelFile) => m.layers.map((l) => l.weights.map((w) => w.shape));
const layerConfigs = (m: ModelFile) => (m.modelConfig.config as KerasJson).layers as KerasJson[];
const sum = (w: WeightRecord) => w.data.reduce((a, b) => a + b, 0);

/** Every weight equals, bit for bit, what jsfive reads at `path(weight)` in `h5`. */
function expectSameAsJsfive(h5: Uint8Array, weights: WeightRecord[], path: (w: WeightRecord) => string) {
  const file = openJsfive(h5);
  for (const w of weights) {
    const dataset = file.get(path(w)) as Dataset;
    expect(dataset.shape, path(w)).toEqual(w.shape);
    const ours = new Uint32Array(w.data.buffer, w.data.byteOffset, w.data.length);
    const reference = new Uint32Array(Float32Array.from(dataset.value).buffer);
    const mismatch = reference.findIndex((b, i) => b !== ours[i]);
    expect([ours.length, mismatch], `${path(w)}: length, first differing index`).toEqual([reference.length, -1]);
  }
}

describe('model_A_keras2.4.h5 (tf.keras 2.4 legacy HDF5)', async () => {
  const bytes = await readBytes(H5);
  const m = await readH5Model(bytes, H5);

  test('versions, layers and weight shapes', () => {
    expect([m.format, m.kerasVersion, m.backend]).toEqual(['h5', '2.4.0', 'tensorflow']);
    expect(m.layers.map((l) => l.name)).toEqual([
      'flatten_6',
      'dense_217',
      'dense_218',
      'dense_219',
      'dense_220',
      'dense_221',
      'dense_222',
    ]);
    expect(m.layers[1].weights.map((w) => w.name)).toEqual(['dense_217/kernel:0', 'dense_217/bias:0']);
    expect(shapes(m)).toEqual([
      [],
      [[784, 300], [300]],
      [[300, 100], [100]],
      [[100, 50], [50]],
      [[50, 50], [50]],
      [[50, 50], [50]],
      [[50, 8], [8]],
    ]);
  });

  test('model_config and training_config', () => {
    expect(m.modelConfig.class_name).toBe('Sequential');
    const layers = layerConfigs(m);
    expect(layers.map((l) => l.class_name)).toEqual([
      'InputLayer',
      'Flatten',
      'Dense',
      'Dense',
      'Dense',
      'Dense',
      'Dense',
      'Dense',
    ]);
    expect(layers.slice(2).map((l) => (l.config as KerasJson).activation)).toEqual([
      'selu',
      'selu',
      'selu',
      'selu',
      'selu',
      'softmax',
    ]);
    const training = m.trainingConfig as KerasJson;
    expect(training.loss).toBe('sparse_categorical_crossentropy');
    const optimizer = training.optimizer_config as KerasJson;
    expect(optimizer.class_name).toBe('SGD');
    expect((optimizer.config as KerasJson).learning_rate).toBeCloseTo(1e-3, 9);
  });

  test('optimizer weights: the int64 iteration counter', () => {
    expect(m.optimizerWeights).toEqual([
      { name: 'SGD/iter:0', shape: [], data: new Float32Array([27500]), dtype: 'int64' },
    ]);
  });

  test('weight values: reference sums and bit-identical to jsfive', () => {
    expect(sum(m.layers[1].weights[0])).toBeCloseTo(-28.861789152679762, 5);
    expect(sum(m.layers[6].weights[0])).toBeCloseTo(-6.365112410392612, 5);
    const weights = m.layers.flatMap((l) => l.weights);
    expectSameAsJsfive(bytes, weights, (w) => `model_weights/${w.name.split('/')[0]}/${w.name}`);
  });
});

describe('model_A_keras3.5.keras (Keras 3.5 zip)', async () => {
  const bytes = await readBytes(KERAS);
  const m = await readKerasModel(bytes, KERAS);

  test('versions, layers and weight shapes', () => {
    expect([m.format, m.kerasVersion]).toEqual(['keras', '3.5.0']);
    // Layer names come from config.json; the weights' group names are class-based.
    expect(m.layers.map((l) => l.name)).toEqual(['flatten', 'dense_1', 'dense_2', 'dense_3', 'dense_4']);
    expect(m.layers[1].weights.map((w) => w.name)).toEqual(['layers/dense/vars/0', 'layers/dense/vars/1']);
    expect(m.layers[4].weights.map((w) => w.name)).toEqual(['layers/dense_3/vars/0', 'layers/dense_3/vars/1']);
    expect(shapes(m)).toEqual([[], [[784, 100], [100]], [[100, 100], [100]], [[100, 100], [100]], [[100, 8], [8]]]);
  });

  test('config.json and its compile_config', () => {
    expect(Object.keys(m.modelConfig)).toEqual(['module', 'class_name', 'config', 'registered_name', 'build_config']);
    expect(layerConfigs(m).map((l) => l.class_name)).toEqual([
      'InputLayer',
      'Flatten',
      'Dense',
      'Dense',
      'Dense',
      'Dense',
    ]);
    const training = m.trainingConfig as KerasJson;
    expect(training.loss).toBe('sparse_categorical_crossentropy');
    expect((training.optimizer as KerasJson).class_name).toBe('SGD');
  });

  test('optimizer variables: iterations (int64) and learning_rate', () => {
    expect(m.optimizerWeights.map((w) => [w.name, w.shape, w.dtype ?? 'float32'])).toEqual([
      ['optimizer/vars/0', [], 'int64'],
      ['optimizer/vars/1', [], 'float32'],
    ]);
    expect(m.optimizerWeights[0].data[0]).toBe(27520);
    expect(m.optimizerWeights[1].data[0]).toBe(Math.fround(1e-3));
  });

  test('weight values: reference sums and bit-identical to jsfive', () => {
    expect(sum(m.layers[1].weights[0])).toBeCloseTo(140.4789886946212, 4);
    expect(sum(m.layers[4].weights[0])).toBeCloseTo(5.620264160948864, 5);
    const h5 = unzipSync(bytes)['model.weights.h5'];
    expectSameAsJsfive(
      h5,
      m.layers.flatMap((l) => l.weights),
      (w) => w.name,
    );
  });
});
