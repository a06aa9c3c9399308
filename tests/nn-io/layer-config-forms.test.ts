// Model and layer configs as each Keras version writes them, read by modelFromKeras: the input
// shape as an InputLayer's batch_input_shape (tf.keras 2) or batch_shape (Keras 3), or on the
// first layer (Keras 2.0-2.3, no InputLayer; 2.0-2.1 wrote the config as a list of layers); dtypes as strings or policy dicts
// (DTypePolicy, FloatDTypePolicy, tf.keras's Policy); initializers, regularizers and
// constraints bare, as {class_name, config}, or in Keras 3's module/registered_name form.

import { beforeAll, expect, test } from 'vitest';
import type { KerasJson } from '../../src/io/model-file.ts';
import { ready } from '../../src/kernels/device.ts';
import { modelFromKeras } from '../../src/io/config/model-config.ts';

beforeAll(async () => {
  await ready();
});

const dense = (name: string, units: number, extra: KerasJson = {}) => ({ class_name: 'Dense', config: { name, trainable: true, units, activation: 'relu', ...extra } });
const sequential = (layers: unknown[], extra: KerasJson = {}) => ({ class_name: 'Sequential', config: { name: 'seq', layers, ...extra } });
const keras3 = (module: string, class_name: string, config: KerasJson) => ({ module, class_name, config, registered_name: null });

/** The model's input shape and each layer's Keras config (as webgrad writes it back). */
function read(config: KerasJson) {
  const model = modelFromKeras(config, 'file: model config');
  const out = { inputShape: model.inputShape, layers: model.layers.map((l) => l.getConfig()) };
  model.dispose();
  return out;
}

test('the input shape: InputLayer batch_input_shape (tf.keras 2) or batch_shape (Keras 3), first layer, build_input_shape', () => {
  const tfKeras2 = sequential([{ class_name: 'InputLayer', config: { batch_input_shape: [null, 28, 28], dtype: 'float32', sparse: false, ragged: false, name: 'flatten_input' } }, { class_name: 'Flatten', config: { name: 'flatten' } }]);
  const keras3Input = sequential([keras3('keras.layers', 'InputLayer', { batch_shape: [null, 28, 28], dtype: 'float32', sparse: false, ragged: false, name: 'input_layer', optional: false }), { class_name: 'Flatten', config: { name: 'flatten' } }]);
  const firstLayer = sequential([{ class_name: 'Flatten', config: { name: 'flatten', trainable: true, batch_input_shape: [null, 28, 28], dtype: 'float32', data_format: 'channels_last' } }]);
  const keras3First = sequential([{ class_name: 'Flatten', config: { name: 'flatten', batch_shape: [null, 28, 28] } }]);
  const built = sequential([{ class_name: 'Flatten', config: { name: 'flatten' } }], { build_input_shape: [null, 28, 28] });
  // Keras 2.0-2.1: the Sequential's config is its list of layers.
  const listed = { class_name: 'Sequential', config: (firstLayer.config as KerasJson).layers };
  for (const config of [tfKeras2, keras3Input, firstLayer, keras3First, built, listed]) expect(read(config).inputShape).toEqual([28, 28]);
});

test('dtype as a string, a Keras 3 DTypePolicy / FloatDTypePolicy dict, or a tf.keras mixed-precision Policy dict', () => {
  const dtypes = [
    'float32',
    keras3('keras', 'DTypePolicy', { name: 'float32' }),
    keras3('keras', 'FloatDTypePolicy', { name: 'float32' }),
    { class_name: 'Policy', config: { name: 'float32' } },
  ];
  const layers = dtypes.map((dtype, i) => dense(`d${i}`, 4, { dtype, quantization_config: null }));
  const config = sequential([keras3('keras.layers', 'InputLayer', { batch_shape: [null, 3], dtype: 'float32', name: 'input_layer' }), ...layers], { dtype: dtypes[1], trainable: true });
  expect(read(config).layers.map((l) => l.name)).toEqual(['d0', 'd1', 'd2', 'd3']);
});

test('initializers, regularizers and constraints: names, {class_name, config} (tf.keras 2) and module dicts (Keras 3)', () => {
  const parts = [
    { kernel_initializer: 'he_normal', kernel_regularizer: 'l2', kernel_constraint: null },
    {
      kernel_initializer: { class_name: 'VarianceScaling', config: { scale: 2.0, mode: 'fan_in', distribution: 'truncated_normal', seed: null } },
      kernel_regularizer: { class_name: 'L1L2', config: { l1: 0.0, l2: 0.01 } },
      kernel_constraint: { class_name: 'MaxNorm', config: { max_value: 2, axis: 0 } },
    },
    {
      kernel_initializer: keras3('keras.initializers', 'HeNormal', { seed: null }),
      kernel_regularizer: keras3('keras.regularizers', 'L2', { l2: 0.01 }),
      kernel_constraint: keras3('keras.constraints', 'MaxNorm', { max_value: 2, axis: 0 }),
    },
  ];
  const layers = read(sequential(parts.map((p, i) => dense(`d${i}`, 4, p)), { build_input_shape: [null, 3] })).layers;
  const summary = layers.map((l) => [
    (l.kernel_initializer as KerasJson).class_name,
    (l.kernel_regularizer as KerasJson).config,
    (l.kernel_constraint as KerasJson | null)?.class_name ?? null,
  ]);
  expect(summary).toEqual([
    ['HeNormal', { l2: 0.01 }],
    ['VarianceScaling', { l1: 0, l2: 0.01 }],
    ['HeNormal', { l2: 0.01 }],
  ].map(([init, reg], i) => [init, expect.objectContaining(reg as KerasJson), i === 0 ? null : 'MaxNorm']));
});
