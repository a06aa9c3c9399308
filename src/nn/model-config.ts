// A Sequential model <-> Keras's model config, in both schemas: tf.keras 2's `.h5`
// model_config ({class_name: 'Sequential', config: {name, layers: [InputLayer, ...]}}, the
// input shape as batch_input_shape) and Keras 3's config.json (module/class_name/config/
// registered_name/build_config, the input shape as batch_shape and build_config).
// Read next: layer-config.ts (each layer), compile-config.ts (the training config).

import type { KerasJson } from '../io/model-file.ts';
import { featureShape, isObject, objectAt, stringAt, unsupported } from './keras-json.ts';
import { dtypePolicy, type KerasStyle, layerFromKeras, layerToKeras } from './layer-config.ts';
import type { FeatureShape } from './layer.ts';
import { Sequential } from './sequential.ts';

/** Each layer's input shape (no batch dim), or nulls when the model's input shape is unknown. */
function layerInputShapes(model: Sequential): (FeatureShape | null)[] {
  const input = model.inputShape;
  if (!input) return model.layers.map(() => null);
  return [input, ...model.layerShapes().slice(0, -1)];
}

/** Keras's model config for `model` in `style`'s schema; the input shape must be known. */
export function modelToKeras(model: Sequential, style: KerasStyle): KerasJson {
  const input = model.inputShape;
  if (!input || model.layers.length === 0) {
    throw unsupported(`model '${model.name}'`, 'a model needs layers and a known input shape to be saved (give the first layer an inputShape, or fit it first)');
  }
  const shapes = layerInputShapes(model);
  const layers = model.layers.map((l, i) => layerToKeras(l, style, shapes[i], i === 0));
  const batchShape = [null, ...input];
  if (style === 'keras2') {
    // tf.keras 2 names a Sequential's implicit input layer after its first layer.
    const inputLayer = {
      class_name: 'InputLayer',
      config: { batch_input_shape: batchShape, dtype: 'float32', sparse: false, ragged: false, name: `${model.layers[0].name}_input` },
    };
    return { class_name: 'Sequential', config: { name: model.name, layers: [inputLayer, ...layers] } };
  }
  const inputLayer = {
    module: 'keras.layers',
    class_name: 'InputLayer',
    config: { batch_shape: batchShape, dtype: 'float32', sparse: false, name: 'input_layer' },
    registered_name: null,
  };
  return {
    module: 'keras',
    class_name: 'Sequential',
    config: { name: model.name, trainable: true, dtype: dtypePolicy(), layers: [inputLayer, ...layers], build_input_shape: batchShape },
    registered_name: null,
    build_config: { input_shape: batchShape },
  };
}

/**
 * The input shape a model config records: its InputLayer's batch_input_shape (tf.keras 2)
 * or batch_shape (Keras 3), else the first layer's batch_input_shape, else build_input_shape
 * or build_config; null for a model saved unbuilt.
 */
function inputShapeOf(modelConfig: KerasJson, config: KerasJson, entries: unknown[], where: string): FeatureShape | null {
  const first = isObject(entries[0]) && isObject(entries[0].config) ? entries[0].config : {};
  if (isObject(entries[0]) && entries[0].class_name === 'InputLayer') {
    const shape = first.batch_input_shape ?? first.batch_shape;
    return featureShape(shape, `${where} InputLayer`);
  }
  const built = first.batch_input_shape ?? first.batch_shape ?? config.build_input_shape ?? (isObject(modelConfig.build_config) ? modelConfig.build_config.input_shape : null);
  return built == null ? null : featureShape(built, `${where} input shape`);
}

/**
 * A new Sequential from a Keras model config (either schema), built with fresh weights when
 * the config records its input shape. `version`: which Keras wrote it (hard_sigmoid differs).
 */
export function modelFromKeras(modelConfig: KerasJson, where: string, version: KerasStyle = 'keras3'): Sequential {
  const className = modelConfig.class_name;
  if (className !== 'Sequential') {
    throw unsupported(where, `the file holds a ${JSON.stringify(className)} model; webgrad loads Sequential and Functional models (a subclassed model has no config to rebuild it from)`);
  }
  // Keras 2.0-2.1 wrote a Sequential's config as its list of layers, without a name.
  const listed = Array.isArray(modelConfig.config);
  const config = listed ? { layers: modelConfig.config } : objectAt(modelConfig.config, `${where} config`);
  const name = listed ? 'sequential' : stringAt(config, 'name', `${where} config`);
  if (config.trainable === false) throw unsupported(where, `model '${name}' was saved with trainable=false, which webgrad does not support (set trainable on its layers)`);
  const entries = config.layers;
  if (!Array.isArray(entries) || entries.length === 0) throw unsupported(where, `model '${name}' has no config.layers`);
  const inputShape = inputShapeOf(modelConfig, config, entries, where);
  const layerEntries = isObject(entries[0]) && entries[0].class_name === 'InputLayer' ? entries.slice(1) : entries;
  if (layerEntries.some((e) => isObject(e) && e.class_name === 'InputLayer')) {
    throw unsupported(where, `model '${name}' has an InputLayer after its first entry; only a leading one is supported`);
  }
  const layers = layerEntries.map((e, i) => layerFromKeras(e, `${where} layers[${i + entries.length - layerEntries.length}]`, i === 0 ? inputShape : null, {}, version));
  return new Sequential(layers, listed ? {} : { name });
}
