// Small ModelFiles for the io tests, in both formats' config schemas, with weights whose
// bit patterns a lossy path would change: -0, a subnormal, NaN, ±Infinity, the largest float32.

import type { LayerWeights, ModelFile, WeightRecord } from '../../src/io/model-file.ts';

const SPECIAL = [-0, 1e-40, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 3.4028234663852886e38];

/** Deterministic float32 values: the special values first, then a fixed pseudo-random sequence. */
export function values(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = i < SPECIAL.length && seed === 1 ? SPECIAL[i] : (s / 2 ** 32 - 0.5) * 4;
  }
  return out;
}

function weight(name: string, shape: number[], seed: number): WeightRecord {
  return {
    name,
    shape,
    data: values(
      shape.reduce((a, b) => a * b, 1),
      seed,
    ),
  };
}

const dense = (units: number, activation: string, name: string) => ({
  class_name: 'Dense',
  config: { name, trainable: true, dtype: 'float32', units, activation, use_bias: true },
});

/** A tf.keras-2-style Sequential: Flatten(2x2) -> Dense 3 selu -> Dense 2 softmax, SGD with momentum. */
export function sampleH5Model(): ModelFile {
  const layers: LayerWeights[] = [
    { name: 'flatten', weights: [] },
    { name: 'dense', weights: [weight('dense/kernel:0', [4, 3], 1), weight('dense/bias:0', [3], 2)] },
    { name: 'dense_1', weights: [weight('dense_1/kernel:0', [3, 2], 3), weight('dense_1/bias:0', [2], 4)] },
  ];
  return {
    format: 'h5',
    kerasVersion: '2.4.0',
    backend: 'tensorflow',
    modelConfig: {
      class_name: 'Sequential',
      config: {
        name: 'sequential',
        layers: [
          {
            class_name: 'InputLayer',
            config: {
              batch_input_shape: [null, 2, 2],
              dtype: 'float32',
              sparse: false,
              ragged: false,
              name: 'flatten_input',
            },
          },
          {
            class_name: 'Flatten',
            config: {
              name: 'flatten',
              trainable: true,
              batch_input_shape: [null, 2, 2],
              dtype: 'float32',
              data_format: 'channels_last',
            },
          },
          dense(3, 'selu', 'dense'),
          dense(2, 'softmax', 'dense_1'),
        ],
      },
    },
    trainingConfig: {
      loss: 'sparse_categorical_crossentropy',
      metrics: ['accuracy'],
      optimizer_config: {
        class_name: 'SGD',
        config: { name: 'SGD', learning_rate: 0.01, momentum: 0.9, nesterov: false, note: 'üñí ☃' },
      },
    },
    layers,
    optimizerWeights: [
      { name: 'SGD/iter:0', shape: [], data: new Float32Array([12345]), dtype: 'int64' },
      weight('SGD/dense/kernel/momentum:0', [4, 3], 5),
      weight('SGD/dense/bias/momentum:0', [3], 6),
    ],
  };
}

const k3 = (className: string, config: Record<string, unknown>) => ({
  module: 'keras.layers',
  class_name: className,
  config,
  registered_name: null,
});

/** A Keras-3-style Sequential with the same architecture; its Dense layers are named 'hidden' and 'output'. */
export function sampleKerasModel(): ModelFile {
  return {
    format: 'keras',
    kerasVersion: '3.5.0',
    backend: 'tensorflow',
    modelConfig: {
      module: 'keras',
      class_name: 'Sequential',
      config: {
        name: 'sequential',
        trainable: true,
        layers: [
          k3('InputLayer', { batch_shape: [null, 2, 2], dtype: 'float32', sparse: false, name: 'input_layer' }),
          k3('Flatten', { name: 'flatten', trainable: true, data_format: 'channels_last' }),
          k3('Dense', { name: 'hidden', units: 3, activation: 'selu', use_bias: true }),
          k3('Dense', { name: 'output', units: 2, activation: 'softmax', use_bias: true }),
        ],
        build_input_shape: [null, 2, 2],
      },
      registered_name: null,
      build_config: { input_shape: [null, 2, 2] },
    },
    trainingConfig: {
      optimizer: {
        module: 'keras.optimizers',
        class_name: 'SGD',
        config: { name: 'SGD', learning_rate: 0.01 },
        registered_name: null,
      },
      loss: 'sparse_categorical_crossentropy',
      metrics: ['accuracy'],
    },
    layers: [
      { name: 'flatten', weights: [] },
      { name: 'hidden', weights: [weight('layers/dense/vars/0', [4, 3], 1), weight('layers/dense/vars/1', [3], 2)] },
      {
        name: 'output',
        weights: [weight('layers/dense_1/vars/0', [3, 2], 3), weight('layers/dense_1/vars/1', [2], 4)],
      },
    ],
    optimizerWeights: [
      { name: 'optimizer/vars/0', shape: [], data: new Float32Array([7]), dtype: 'int64' },
      { name: 'optimizer/vars/1', shape: [], data: new Float32Array([0.01]) },
    ],
  };
}

/** The bit patterns of a record's values, so that -0 and NaN payloads compare exactly. */
export function bits(w: WeightRecord): Uint32Array {
  return new Uint32Array(w.data.buffer, w.data.byteOffset, w.data.length);
}

/** A ModelFile with every weight replaced by its bit pattern, for toEqual comparisons. */
export function comparable(m: ModelFile) {
  const rec = (w: WeightRecord) => ({ ...w, data: Array.from(bits(w)) });
  return {
    ...m,
    layers: m.layers.map((l) => ({ ...l, weights: l.weights.map(rec) })),
    optimizerWeights: m.optimizerWeights.map(rec),
  };
}
