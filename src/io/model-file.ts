// The neutral in-memory description of a Keras model file: the configs as parsed JSON and
// the weights as named float32 arrays, one entry per layer. The readers and writers in
// h5-legacy.ts (tf.keras 2 `.h5`), keras-zip.ts (Keras 3 `.keras`) and weights-h5.ts
// (Keras 3 `.weights.h5`) convert between this and bytes; src/nn maps it onto layers.
// Read next: files.ts (format detection and dispatch), errors.ts.

export type KerasJson = { [k: string]: unknown };

/** 'int64' marks counters such as the optimizer's `iterations`; absent means float32. */
export type WeightDtype = 'float32' | 'int64';

export interface WeightRecord {
  /**
   * The name as Keras writes it. `.h5`: the `weight_names` entry, e.g. 'dense/kernel:0'.
   * `.keras` / `.weights.h5`: the dataset path in the weights file, e.g.
   * 'layers/dense/vars/0' (Keras 3 addresses variables by index, in this order).
   */
  name: string;
  shape: number[];
  /** Row-major values; int64 counters are held as float32 (exact below 2^24). */
  data: Float32Array;
  dtype?: WeightDtype;
}

/** One layer's weights, in the order the layer creates them (Dense: kernel, bias). */
export interface LayerWeights {
  name: string;
  weights: WeightRecord[];
}

export interface ModelFile {
  format: 'h5' | 'keras';
  /** The Keras version the file claims ('' if none); DEFAULT_KERAS_VERSION: what webgrad writes. */
  kerasVersion: string;
  backend: string;
  /** {class_name, config: {name, layers: [...]}, ...}: `.h5` root attr model_config; `.keras` config.json. */
  modelConfig: KerasJson;
  /** `.h5` root attr training_config; `.keras` config.json's compile_config; null when absent. */
  trainingConfig: KerasJson | null;
  /** One entry per layer of `model.layers`, in model order, weightless layers included. */
  layers: LayerWeights[];
  /** `.h5` optimizer_weights; `.keras` optimizer/vars; [] when absent. */
  optimizerWeights: WeightRecord[];
}

/**
 * The versions webgrad claims when it writes a file: the versions of the fixtures it was
 * checked against (tf.keras 2.4.0 wrote the legacy `.h5` layout, Keras 3.5.0 the `.keras` one).
 * The layer configs webgrad writes follow the same versions' schemas.
 */
export const DEFAULT_KERAS_VERSION = { h5: '2.4.0', keras: '3.5.0' } as const;

export const DEFAULT_BACKEND = 'tensorflow';
