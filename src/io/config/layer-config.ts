// Keras layer JSON <-> webgrad layers, in the two schemas model files use: tf.keras 2 (the
// `.h5` model_config: {class_name, config}) and Keras 3 (`.keras` config.json: module,
// registered_name, build_config, DTypePolicy objects, module-tagged initializers). One reader
// per supported class; any other class is a named error that lists them.
// Read next: model-config.ts (the Sequential around these layers), serialize-parts.ts.

import type { KerasJson } from '../model-file.ts';
import { type ActivationFn, type ActivationName, activations, activationName } from '../../nn/layers/activations.ts';
import { getConstraint } from '../../nn/layers/constraints.ts';
import { getInitializer, type Initializer } from '../../nn/layers/initializers.ts';
import { inConfig, isObject, numberAt, objectAt, stringAt, featureShape, unsupported } from './keras-json.ts';
import type { FeatureShape, Layer, LayerArgs } from '../../nn/layers/layer.ts';
import { Activation } from '../../nn/layers/activation.ts';
import { ELU, LeakyReLU, PReLU } from '../../nn/layers/activation-layers.ts';
import { BatchNormalization } from '../../nn/layers/batch-normalization.ts';
import { Dense } from '../../nn/layers/dense.ts';
import { AlphaDropout, Dropout, MCAlphaDropout, MCDropout } from '../../nn/layers/dropout.ts';
import { Flatten } from '../../nn/layers/flatten.ts';
import { Add, Average, Concatenate, Maximum, Minimum, Multiply, Subtract } from '../../nn/layers/merge.ts';
import { Normalization } from '../../nn/layers/normalization.ts';
import { getRegularizer, type Regularizer, regularizerFromConfig } from '../../nn/layers/regularizers.ts';

/** 'keras2': tf.keras 2.4's schema (legacy `.h5`); 'keras3': Keras 3.5's (`.keras`). */
export type KerasStyle = 'keras2' | 'keras3';

/** Values JSON cannot carry, handed over in memory (cloneModel keeps a custom activation function). */
export interface InMemoryParts {
  activation?: ActivationFn | null;
}

interface LayerReader {
  /** The class's own config keys (besides name, trainable, dtype, batch_input_shape). */
  keys: readonly string[];
  /** `version`: the Keras major version that wrote the file (its activation formulas differ). */
  make(c: KerasJson, args: LayerArgs, where: string, parts: InMemoryParts, version: KerasStyle): Layer;
}

const dropoutReader = (cls: typeof Dropout): LayerReader => ({
  keys: ['rate', 'noise_shape', 'seed'],
  make: (c, args, where) => {
    if (c.noise_shape != null) throw unsupported(where, `noise_shape ${JSON.stringify(c.noise_shape)} is not supported (masks are elementwise)`);
    const seed = c.seed ?? undefined;
    if (seed !== undefined && !Number.isInteger(seed)) throw unsupported(where, `seed must be an integer or null, found ${JSON.stringify(seed)}`);
    return new cls(numberAt(c, 'rate', where), { ...args, seed: seed as number | undefined });
  },
});

const boolAt = (c: KerasJson, key: string, fallback: boolean, where: string): boolean => {
  const v = c[key] ?? fallback;
  if (typeof v !== 'boolean') throw unsupported(where, `${key} must be true or false, found ${JSON.stringify(v)}`);
  return v;
};

/** BatchNormalization and the parametric activation layers, in both Keras schemas. */
const activationLayerReaders: Record<string, LayerReader> = {
  BatchNormalization: {
    keys: [
      'axis', 'momentum', 'epsilon', 'center', 'scale', 'beta_initializer', 'gamma_initializer', 'moving_mean_initializer',
      'moving_variance_initializer', 'beta_regularizer', 'gamma_regularizer', 'beta_constraint', 'gamma_constraint',
      'synchronized', 'renorm', 'renorm_clipping', 'renorm_momentum', 'fused',
    ],
    make: (c, args, where) => {
      // synchronized (cross-replica statistics) and fused (a TF kernel choice) do not change one device's math.
      if (c.renorm === true) throw unsupported(where, 'renorm=true (batch renormalization) is not supported');
      const axis = c.axis ?? -1;
      const axisOk = Number.isInteger(axis) || (Array.isArray(axis) && axis.every((a) => Number.isInteger(a)));
      if (!axisOk) throw unsupported(where, `axis must be an integer or a list of integers, found ${JSON.stringify(axis)}`);
      return new BatchNormalization({
        ...args,
        axis: axis as number | number[],
        momentum: c.momentum == null ? 0.99 : numberAt(c, 'momentum', where),
        epsilon: c.epsilon == null ? 1e-3 : numberAt(c, 'epsilon', where),
        center: boolAt(c, 'center', true, where),
        scale: boolAt(c, 'scale', true, where),
        betaInitializer: initializerFrom(c.beta_initializer, 'zeros', `${where} beta_initializer`),
        gammaInitializer: initializerFrom(c.gamma_initializer, 'ones', `${where} gamma_initializer`),
        movingMeanInitializer: initializerFrom(c.moving_mean_initializer, 'zeros', `${where} moving_mean_initializer`),
        movingVarianceInitializer: initializerFrom(c.moving_variance_initializer, 'ones', `${where} moving_variance_initializer`),
        betaRegularizer: regularizerFrom(c.beta_regularizer, `${where} beta_regularizer`),
        gammaRegularizer: regularizerFrom(c.gamma_regularizer, `${where} gamma_regularizer`),
        betaConstraint: constraintFrom(c.beta_constraint, `${where} beta_constraint`),
        gammaConstraint: constraintFrom(c.gamma_constraint, `${where} gamma_constraint`),
      });
    },
  },
  // Keras 3 writes negative_slope; tf.keras 2 wrote alpha (Keras 3 still reads it).
  LeakyReLU: {
    keys: ['negative_slope', 'alpha'],
    make: (c, args, where) => new LeakyReLU({ ...args, negativeSlope: c.negative_slope != null ? numberAt(c, 'negative_slope', where) : c.alpha != null ? numberAt(c, 'alpha', where) : 0.3 }),
  },
  ELU: { keys: ['alpha'], make: (c, args, where) => new ELU({ ...args, alpha: c.alpha == null ? 1 : numberAt(c, 'alpha', where) }) },
  PReLU: {
    keys: ['alpha_initializer', 'alpha_regularizer', 'alpha_constraint', 'shared_axes'],
    make: (c, args, where) => {
      const s = c.shared_axes;
      if (s != null && !Number.isInteger(s) && !(Array.isArray(s) && s.every((a) => Number.isInteger(a)))) {
        throw unsupported(where, `shared_axes must be an integer, a list of integers or null, found ${JSON.stringify(s)}`);
      }
      return new PReLU({
        ...args,
        alphaInitializer: initializerFrom(c.alpha_initializer, 'zeros', `${where} alpha_initializer`),
        alphaRegularizer: regularizerFrom(c.alpha_regularizer, `${where} alpha_regularizer`),
        alphaConstraint: constraintFrom(c.alpha_constraint, `${where} alpha_constraint`),
        sharedAxes: s as number | number[] | null,
      });
    },
  },
};

/**
 * What one schema writes and the other does not: tf.keras 2 writes LeakyReLU's slope as
 * alpha and a built BatchNormalization's axis as a list of positive axes; Keras 3 (3.5, the
 * version webgrad's .keras files declare, as 3.10's files) adds BatchNormalization's synchronized.
 */
function styleSpecific(layer: Layer, style: KerasStyle, inputShape: FeatureShape | null): KerasJson {
  if (layer instanceof LeakyReLU && style === 'keras2') return { negative_slope: undefined, alpha: layer.negativeSlope };
  if (!(layer instanceof BatchNormalization)) return {};
  if (style === 'keras3') return { synchronized: false };
  return inputShape && layer.axis === -1 ? { axis: [inputShape.length] } : {};
}

const readers: Record<string, LayerReader> = {
  Dense: {
    keys: [
      'units', 'activation', 'use_bias', 'kernel_initializer', 'bias_initializer', 'kernel_regularizer',
      'bias_regularizer', 'activity_regularizer', 'kernel_constraint', 'bias_constraint',
    ],
    make: (c, args, where, parts, version) => {
      if (c.activity_regularizer != null) throw unsupported(where, 'activity_regularizer is not supported (only weight regularizers are)');
      if (c.use_bias !== undefined && typeof c.use_bias !== 'boolean') throw unsupported(where, `use_bias must be true or false, found ${JSON.stringify(c.use_bias)}`);
      return new Dense(numberAt(c, 'units', where), {
        ...args,
        activation: parts.activation ?? activationFrom(c.activation, where, version),
        useBias: c.use_bias ?? true,
        kernelInitializer: initializerFrom(c.kernel_initializer, 'glorot_uniform', `${where} kernel_initializer`),
        biasInitializer: initializerFrom(c.bias_initializer, 'zeros', `${where} bias_initializer`),
        kernelRegularizer: regularizerFrom(c.kernel_regularizer, `${where} kernel_regularizer`),
        biasRegularizer: regularizerFrom(c.bias_regularizer, `${where} bias_regularizer`),
        kernelConstraint: constraintFrom(c.kernel_constraint, `${where} kernel_constraint`),
        biasConstraint: constraintFrom(c.bias_constraint, `${where} bias_constraint`),
      });
    },
  },
  Flatten: {
    keys: ['data_format'],
    make: (c, args, where) => {
      // channels_first would move the channel axis last before flattening; webgrad only reshapes.
      if (c.data_format != null && c.data_format !== 'channels_last') throw unsupported(where, `data_format '${String(c.data_format)}' is not supported (only channels_last)`);
      return new Flatten(args);
    },
  },
  Dropout: dropoutReader(Dropout),
  AlphaDropout: dropoutReader(AlphaDropout),
  MCDropout: dropoutReader(MCDropout),
  MCAlphaDropout: dropoutReader(MCAlphaDropout),
  Activation: { keys: ['activation'], make: (c, args, where, _, version) => new Activation(activationFrom(c.activation, where, version), args) },
  Normalization: {
    keys: ['axis', 'invert', 'mean', 'variance'],
    make: (c, args, where) => {
      // Given in the config, mean and variance are constants, not weights (Keras builds no weights then).
      if (c.mean != null || c.variance != null) throw unsupported(where, 'mean and variance given in the config are not supported; webgrad learns them with adapt() and stores them as weights');
      const axis = c.axis ?? -1;
      if (!(axis === -1 || (Array.isArray(axis) && axis.length === 1 && axis[0] === -1))) throw unsupported(where, `axis ${JSON.stringify(axis)} is not supported (only -1, the last)`);
      return new Normalization({ ...args, invert: boolAt(c, 'invert', false, where) });
    },
  },
  ...activationLayerReaders,
  ...mergeReaders(),
};

/** The merge layers: Concatenate's axis, nothing else of their own. */
function mergeReaders(): Record<string, LayerReader> {
  const plain = { Add, Subtract, Multiply, Average, Maximum, Minimum };
  const out: Record<string, LayerReader> = {
    Concatenate: { keys: ['axis'], make: (c, args, where) => new Concatenate({ ...args, axis: c.axis == null ? -1 : numberAt(c, 'axis', where) }) },
  };
  for (const [name, cls] of Object.entries(plain)) out[name] = { keys: [], make: (_c, args) => new cls(args) };
  return out;
}

/**
 * Classes Keras does not ship (the book's `class MCDropout(keras.layers.Dropout)`). They are
 * saved as custom objects: class_name 'MCDropout' and, in `.keras`, module '__main__' with
 * registered_name 'MCDropout', which is what Keras 3 writes for a class defined in a notebook
 * or script. Python Keras loads them only where that class exists: pass
 * `custom_objects={"MCDropout": MCDropout}` to load_model (always needed for `.h5`).
 */
export const CUSTOM_CLASSES: ReadonlySet<string> = new Set(['MCDropout', 'MCAlphaDropout']);

export const SUPPORTED_LAYER_CLASSES: readonly string[] = Object.keys(readers);

/** Keys every layer may carry: the input shape as tf.keras 2 (batch_input_shape) or Keras 3 (batch_shape) writes it. */
const COMMON_KEYS = ['name', 'trainable', 'dtype', 'batch_input_shape', 'batch_shape'];

/** Keras 3's float32 dtype policy, as layers and models write it. */
export const dtypePolicy = (): KerasJson => ({ module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null });

function activationFrom(v: unknown, where: string, version: KerasStyle): ActivationName {
  // Keras 3 writes built-in activations as names; a serialized function object holds its name in config.
  const name = isObject(v) && typeof v.config === 'string' ? v.config : v;
  if (name !== null && name !== undefined && typeof name !== 'string') throw unsupported(where, `activation must be a name, found ${JSON.stringify(v)}`);
  const a = inConfig(where, () => activationName(name));
  // tf.keras 2's hard_sigmoid is clip(0.2x + 0.5, 0, 1); Keras 3's is relu6(x + 3) / 6.
  return a === 'hard_sigmoid' && version === 'keras2' ? 'hard_sigmoid_keras2' : a;
}

/** An activation's name in a file of `style`, or a named error where that Keras has no such function. */
function fileActivation(a: ActivationName, style: KerasStyle, where: string): string {
  if (style === 'keras2') {
    if (a === 'hard_sigmoid') throw unsupported(where, "Keras 3's hard_sigmoid (relu6(x + 3) / 6) differs from tf.keras 2's, which an .h5 file names: save as .keras");
    return a === 'hard_sigmoid_keras2' ? 'hard_sigmoid' : a === 'silu' ? 'swish' : a;
  }
  if (a === 'hard_sigmoid_keras2') throw unsupported(where, "tf.keras 2's hard_sigmoid (clip(0.2x + 0.5, 0, 1)) has no Keras 3 name: save as .h5");
  return a;
}

/** {class_name, config} (with or without Keras 3's module) or a bare name, as Keras reads them. */
function partOf(v: unknown, where: string): { className: string; config: KerasJson } {
  if (typeof v === 'string') return { className: v, config: {} };
  const o = objectAt(v, where);
  return { className: stringAt(o, 'class_name', where), config: o.config === undefined ? {} : objectAt(o.config, `${where} config`) };
}

function initializerFrom(v: unknown, fallback: string, where: string): Initializer {
  if (v == null) return getInitializer(fallback);
  const { className, config } = partOf(v, where);
  return inConfig(where, () => getInitializer(className, config));
}

function regularizerFrom(v: unknown, where: string): Regularizer | null {
  if (v == null) return null;
  if (typeof v === 'string') return inConfig(where, () => getRegularizer(v));
  const { className, config } = partOf(v, where);
  return inConfig(where, () => regularizerFromConfig(className, config));
}

function constraintFrom(v: unknown, where: string) {
  if (v == null) return null;
  const { className, config } = partOf(v, where);
  return inConfig(where, () => getConstraint(className, config));
}

function checkDtype(v: unknown, where: string): void {
  const name = v == null ? 'float32' : typeof v === 'string' ? v : isObject(v) && isObject(v.config) ? v.config.name : v;
  if (name !== 'float32') {
    throw unsupported(where, `dtype ${JSON.stringify(v)} is not supported: webgrad computes in float32 only (no float64 or mixed-precision policies)`);
  }
}

/**
 * The layer a Keras layer entry ({class_name, config, ...}) describes. `inputShape` goes to
 * the first layer of a Sequential; `where` names the file and the entry in errors.
 */
export function layerFromKeras(
  entry: unknown,
  where: string,
  inputShape: FeatureShape | null = null,
  parts: InMemoryParts = {},
  version: KerasStyle = 'keras3',
): Layer {
  const e = objectAt(entry, where);
  // A class registered with register_keras_serializable is written 'package>Name'.
  const className = stringAt(e, 'class_name', where).replace(/^.*>/, '');
  const c = objectAt(e.config, `${where} config`);
  const name = stringAt(c, 'name', `${where} config`);
  const at = `${where} (${className} '${name}')`;
  const reader = readers[className];
  if (!reader) {
    throw unsupported(where, `unknown layer class '${className}' (layer '${name}'); webgrad supports ${SUPPORTED_LAYER_CLASSES.join(', ')}`);
  }
  for (const [k, v] of Object.entries(c)) {
    if (v !== null && !COMMON_KEYS.includes(k) && !reader.keys.includes(k)) {
      throw unsupported(at, `config ${k}=${JSON.stringify(v)} is not supported by webgrad's ${className}`);
    }
  }
  checkDtype(c.dtype, at);
  if (c.trainable !== undefined && typeof c.trainable !== 'boolean') throw unsupported(at, `trainable must be true or false, found ${JSON.stringify(c.trainable)}`);
  const batchShape = c.batch_input_shape ?? c.batch_shape;
  const shape = inputShape ?? (batchShape == null ? null : featureShape(batchShape, `${at} batch_input_shape`));
  const args: LayerArgs = { name, trainable: c.trainable ?? true, ...(shape ? { inputShape: shape } : {}) };
  return inConfig(at, () => reader.make(c, args, at, parts, version));
}

/**
 * The name a Dense layer's activation is saved under; a function must be one of
 * `activations`, unless `inMemory` (cloning), where 'linear' holds its place.
 */
function savedActivation(layer: Dense, inMemory: boolean): ActivationName {
  const fn = layer.customActivation;
  if (!fn) return layer.activation;
  const name = (Object.keys(activations) as ActivationName[]).find((k) => activations[k] === fn);
  if (name) return name;
  if (inMemory) return 'linear';
  throw unsupported(
    `Dense '${layer.name}'`,
    `its activation is a custom function, which a Keras file cannot name; use a named activation (${Object.keys(activations).join(', ')})`,
  );
}

/** Keras 3 tags initializers, regularizers and constraints with their module. */
function keras3Part(key: string, v: unknown): unknown {
  const kind = /_(initializer|regularizer|constraint)$/.exec(key)?.[1];
  if (!kind || !isObject(v)) return v;
  return { module: `keras.${kind}s`, class_name: v.class_name, config: v.config, registered_name: null };
}

/**
 * Keras's entry for `layer` in `style`'s schema. `inputShape`: the layer's input shape (no
 * batch dim) when known; the first layer of a tf.keras 2 Sequential carries it as
 * batch_input_shape, every Keras 3 layer as build_config.
 */
export function layerToKeras(layer: Layer, style: KerasStyle, inputShape: FeatureShape | null, first: boolean, inMemory = false): KerasJson {
  const className = layer.className;
  if (!(className in readers)) {
    throw unsupported(`layer '${layer.name}'`, `class ${className} cannot be saved to a Keras file; webgrad saves ${SUPPORTED_LAYER_CLASSES.join(', ')}`);
  }
  const { name, trainable, ...rest } = layer.getConfig();
  if (layer instanceof Dense) rest.activation = savedActivation(layer, inMemory);
  if (!inMemory && typeof rest.activation === 'string') rest.activation = fileActivation(rest.activation as ActivationName, style, `layer '${layer.name}'`);
  for (const [k, v] of Object.entries(styleSpecific(layer, style, inputShape))) {
    if (v === undefined) delete rest[k];
    else rest[k] = v;
  }
  if (style === 'keras2') {
    const batch = first && inputShape ? { batch_input_shape: [null, ...inputShape] } : {};
    return { class_name: className, config: { name, trainable, ...batch, ...rest } };
  }
  // Keras 3 writes the dtype as a policy object and leaves out an unset activity_regularizer
  // (webgrad's is always unset).
  const { dtype: _dtype, activity_regularizer: _activity, ...own } = rest;
  const config: KerasJson = { name, trainable, dtype: dtypePolicy() };
  for (const [k, v] of Object.entries(own)) config[k] = keras3Part(k, v);
  const custom = CUSTOM_CLASSES.has(className);
  return {
    module: custom ? '__main__' : 'keras.layers',
    class_name: className,
    config,
    registered_name: custom ? className : null,
    ...(inputShape ? { build_config: { input_shape: [null, ...inputShape] } } : {}),
  };
}

/**
 * A new layer with `layer`'s class and config and fresh weights (Keras's
 * `layer.__class__.from_config(layer.get_config())`); a custom activation function is
 * handed over as it is. `inputShape` goes to the first layer of a Sequential.
 */
export function cloneLayer(layer: Layer, inputShape: FeatureShape | null, where: string): Layer {
  const activation = layer instanceof Dense ? layer.customActivation : null;
  return layerFromKeras(layerToKeras(layer, 'keras3', inputShape, false, true), where, inputShape, { activation });
}
