// A Sequential model <-> Keras's model config, in both schemas: tf.keras 2's `.h5`
// model_config ({class_name: 'Sequential', config: {name, layers: [InputLayer, ...]}}, the
// input shape as batch_input_shape) and Keras 3's config.json (module/class_name/config/
// registered_name/build_config, the input shape as batch_shape and build_config). Loading
// makes the layers first, unbuilt, and a plan of their weight shapes (planOf) that the file
// reader checks the weights against before anything is read or allocated (src/io/bounds.ts).
// Read next: layer-config.ts (each layer), compile-config.ts (the training config).

import type { LayerPlan } from '../bounds.ts';
import { ModelFileError } from '../errors.ts';
import type { KerasJson } from '../model-file.ts';
import { checkTensorFits } from '../../tensor/tensor.ts';
import { featureShape, inConfig, isObject, objectAt, stringAt, unsupported } from './keras-json.ts';
import { dtypePolicy, type KerasStyle, layerFromKeras, layerToKeras } from './layer-config.ts';
import { type FeatureShape, type Layer, weightWhat } from '../../nn/layers/layer.ts';
import { Sequential } from '../../nn/model/sequential.ts';

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

/** A Sequential's parts from a model config: its layers made, not built (nothing allocated yet). */
export interface ModelParts {
  /** Undefined for Keras 2.0-2.1's list-only configs, which name no model. */
  name?: string;
  layers: Layer[];
  inputShape: FeatureShape | null;
}

/** More layers than any model webgrad trains (a 200-layer config is already rare): a hostile config is refused by count. */
const MAX_LAYERS = 10_000;

/**
 * The layers a Keras model config (either schema) describes, with the input shape it records
 * (null for a model saved unbuilt). `version`: which Keras wrote it (hard_sigmoid differs).
 */
export function modelPartsFromKeras(modelConfig: KerasJson, where: string, version: KerasStyle = 'keras3'): ModelParts {
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
  if (entries.length > MAX_LAYERS) throw unsupported(where, `model '${name}' lists ${entries.length.toLocaleString('en-US')} layers, more than webgrad loads (${MAX_LAYERS.toLocaleString('en-US')})`);
  const inputShape = inputShapeOf(modelConfig, config, entries, where);
  const layerEntries = isObject(entries[0]) && entries[0].class_name === 'InputLayer' ? entries.slice(1) : entries;
  if (layerEntries.some((e) => isObject(e) && e.class_name === 'InputLayer')) {
    throw unsupported(where, `model '${name}' has an InputLayer after its first entry; only a leading one is supported`);
  }
  const layers = layerEntries.map((e, i) => layerFromKeras(e, `${where} layers[${i + entries.length - layerEntries.length}]`, i === 0 ? inputShape : null, {}, version));
  return { name: listed ? undefined : name, layers, inputShape };
}

/**
 * Each layer's weights (names and shapes) as building `parts` would create them, without
 * creating any: the plan a reader checks a file's datasets against. A weight past the
 * device's one-buffer limit is refused here, naming the layer and the bytes.
 */
export function planOf(parts: ModelParts, where: string): LayerPlan[] {
  if (!parts.inputShape) {
    throw new ModelFileError('unsupported-content', `${where}: the model config records no input shape (the model was saved unbuilt), so its weights cannot be placed`);
  }
  let shape: FeatureShape = parts.inputShape;
  return parts.layers.map((layer) => {
    const at = `${where}: layer '${layer.name}' (${layer.className})`;
    const specs = inConfig(at, () => layer.weightSpecs(shape));
    for (const s of specs) {
      try {
        checkTensorFits(s.shape, weightWhat(layer, s), 'the file asks for more than this device can hold');
      } catch (e) {
        throw new ModelFileError('too-large', `${where}: ${(e as Error).message}`, { cause: e });
      }
    }
    shape = inConfig(at, () => layer.outputShape(shape));
    return { name: layer.name, className: layer.className, weights: specs.map((s) => ({ name: s.name, shape: s.shape })) };
  });
}

/** A new Sequential from its parts, built with fresh weights when the input shape is known. */
export const sequentialFrom = (parts: ModelParts): Sequential => new Sequential(parts.layers, parts.name === undefined ? {} : { name: parts.name });

/** A new Sequential from a Keras model config (either schema), built with fresh weights when the config records its input shape. */
export function modelFromKeras(modelConfig: KerasJson, where: string, version: KerasStyle = 'keras3'): Sequential {
  return sequentialFrom(modelPartsFromKeras(modelConfig, where, version));
}
