// Saving and loading Sequential and Functional models in Python Keras's formats: `.h5`/`.hdf5` (legacy HDF5
// as tf.keras 2 writes it), `.keras` (Keras 3's zip) and `.weights.h5` (weights only).
// Bytes move through src/io; where they go is picked from the path: a Node file (written
// atomically), 'downloads://name.ext' (a browser download) or 'indexeddb://name'.
// Read next: config/model-config.ts, config/functional-config.ts, config/compile-config.ts, src/io/optimizer-state.ts; files.ts.

import { blobBytes, downloadBytes, fetchBytes, loadFromIndexedDB, saveToIndexedDB } from './browser-files.ts';
import type { LayerPlan, PlanModel } from './bounds.ts';
import { ModelFileError } from './errors.ts';
import { detectFormat, readModelFile, writeModelFile } from './files.ts';
import { weightGroupNames } from './keras-naming.ts';
import { DEFAULT_BACKEND, DEFAULT_KERAS_VERSION, type KerasJson, type LayerWeights, type ModelFile, type WeightRecord } from './model-file.ts';
import { readWeightsH5, writeWeightsH5 } from './weights-h5.ts';
import { isNode } from '../data/host.ts';
import { nodeHost } from '../kernels/host.ts';
import { ready } from '../kernels/device.ts';
import { compileArgsFrom, trainingConfigFor } from './config/compile-config.ts';
import { DOWNLOADS, formatOf, INDEXEDDB, type LoadModelOptions, type ModelSource, type SaveFormat } from './model-files.ts';
import { functionalToKeras, modelFromGraph } from './config/functional-config.ts';
import { FUNCTIONAL_CLASSES, readFunctionalGraph } from './config/functional-graph.ts';
import { inConfig } from './config/keras-json.ts';
import type { FeatureShape, Layer } from '../nn/layers/layer.ts';
import { Model } from '../nn/model/model.ts';
import { type ModelParts, modelPartsFromKeras, modelToKeras, planOf, sequentialFrom } from './config/model-config.ts';
import type { Network } from '../nn/model/network.ts';
import { optimizerRecords, restoreOptimizerState } from './optimizer-state.ts';
import type { Sequential } from '../nn/model/sequential.ts';
import type { KerasStyle } from './config/layer-config.ts';

/** Node's file helpers (src/io/node-files.ts), which only the Node entry hands over. */
const nodeFiles = () => nodeHost('saving and loading model files by path').files();

/** Keras 3's weight-group names for the model's layers ('dense', 'dense_1', ... by class). */
const groupNames = (model: Network) => weightGroupNames(model.layers.map((l) => l.className));

/** Each layer's weights as records: tf.keras 2 names them '<layer>/<weight>:0', Keras 3 by group and index. */
async function layerRecords(model: Network, format: 'h5' | 'keras'): Promise<{ group: string; weights: WeightRecord[] }[]> {
  // A Sequential without an input shape says so here (a Functional model is built by its graph).
  model.buildFor(model.inputShapes() as FeatureShape[]);
  const groups = groupNames(model);
  return Promise.all(
    model.layers.map(async (layer, i) => {
      const values = await layer.getWeights();
      const name = (weight: string, j: number) => (format === 'h5' ? `${layer.name}/${weight}:0` : `layers/${groups[i]}/vars/${j}`);
      const weights = layer.weights.map((w, j) => ({ name: name(w.name, j), shape: [...w.tensor.shape], data: values[j].toFloat32(), ...(w.dtype ? { dtype: w.dtype } : {}) }));
      return { group: groups[i], weights };
    }),
  );
}

async function optimizerState(model: Network, format: 'h5' | 'keras'): Promise<WeightRecord[]> {
  const c = model.compiled;
  return c ? optimizerRecords(c.optimizer, c.trainable.map((w) => w.tensor), format) : [];
}

/** The model as a ModelFile of `format`: config, compile info, weights and optimizer state. */
export async function modelToFile(model: Network, format: 'h5' | 'keras'): Promise<ModelFile> {
  const style = format === 'h5' ? 'keras2' : 'keras3';
  const modelConfig = model instanceof Model ? functionalToKeras(model, style) : modelToKeras(model as Sequential, style);
  const trainingConfig = trainingConfigFor(model, style);
  const layers: LayerWeights[] = (await layerRecords(model, format)).map((r, i) => ({ name: model.layers[i].name, weights: r.weights }));
  const optimizerWeights = await optimizerState(model, format);
  return { format, kerasVersion: DEFAULT_KERAS_VERSION[format], backend: DEFAULT_BACKEND, modelConfig, trainingConfig, layers, optimizerWeights };
}

/** The bytes of the model saved in `format` (what save() writes). Keras 3's weights file holds the optimizer's state too. */
export async function modelBytes(model: Network, format: SaveFormat): Promise<Uint8Array> {
  if (format !== 'weights.h5') return writeModelFile(await modelToFile(model, format));
  const layers = (await layerRecords(model, 'keras')).map((r) => ({ name: r.group, weights: r.weights }));
  return writeWeightsH5(layers, await optimizerState(model, 'keras'));
}

/** Writes bytes where `path` says: a browser download, IndexedDB, or (Node) a file, atomically. */
async function writeBytes(path: string, bytes: Uint8Array): Promise<void> {
  if (path.startsWith(DOWNLOADS)) return downloadBytes(bytes, path.slice(DOWNLOADS.length));
  if (path.startsWith(INDEXEDDB)) return saveToIndexedDB(path, bytes);
  if (!isNode()) {
    throw new ModelFileError('browser-storage', `cannot save to ${JSON.stringify(path)} in a browser: use 'downloads://${path.split('/').pop()}' or 'indexeddb://name'`);
  }
  return (await nodeFiles()).writeFileAtomic(path, bytes);
}

/** model.save(path): the format from the extension (formatOf). */
export async function saveModel(model: Network, path: string): Promise<void> {
  await writeBytes(path, await modelBytes(model, formatOf(path)));
}

/** model.saveWeights(path): Keras 3 requires the `.weights.h5` extension, and so does this. */
export async function saveModelWeights(model: Network, path: string): Promise<void> {
  if (!path.toLowerCase().endsWith('.weights.h5')) {
    throw new ModelFileError('unknown-format', `saveWeights: ${JSON.stringify(path)} must end in .weights.h5 (as in Keras 3); use save() for a whole model`);
  }
  await writeBytes(path, await modelBytes(model, 'weights.h5'));
}

/** The bytes of a source, and a label that names it in errors. */
async function readSource(source: ModelSource): Promise<{ bytes: Uint8Array; label: string }> {
  if (source instanceof Uint8Array) return { bytes: source, label: 'model bytes' };
  if (source instanceof ArrayBuffer) return { bytes: new Uint8Array(source), label: 'model bytes' };
  if (typeof Blob !== 'undefined' && source instanceof Blob) {
    const label = 'name' in source && typeof source.name === 'string' ? source.name : 'model blob';
    return { bytes: await blobBytes(source, label), label };
  }
  if (typeof source !== 'string') throw new TypeError(`loadModel: expected a path, URL, File, Blob or bytes, got ${String(source)}`);
  if (source.startsWith(INDEXEDDB)) return { bytes: await loadFromIndexedDB(source), label: source };
  const isUrl = /^(https?|blob|data):/i.test(source);
  const bytes = isNode() && !isUrl ? await (await nodeFiles()).readFileBytes(source) : await fetchBytes(source);
  return { bytes, label: source.startsWith('data:') ? 'data: URL' : source };
}

/** A built layer's weights as a reader checks a file against them. */
const layerPlan = (layer: Layer): LayerPlan => ({ name: layer.name, className: layer.className, weights: layer.weights.map((w) => ({ name: w.name, shape: w.tensor.shape })) });

/**
 * Compiles a loaded model from its file's compile information and restores the optimizer
 * state. Compile information webgrad cannot rebuild never fails the load (the weights are
 * the contract): it is named in a warning and the model stays uncompiled, as Keras leaves
 * a model it cannot compile.
 */
function restoreCompile(model: Network, file: ModelFile, label: string, version: KerasStyle): void {
  if (file.trainingConfig === null) return;
  const where = `${label}: ${file.format === 'h5' ? 'training_config' : 'compile_config'}`;
  try {
    const args = compileArgsFrom(file.trainingConfig, where, model.outputNames, version);
    inConfig(where, () => model.compile(args));
  } catch (e) {
    if (!(e instanceof ModelFileError)) throw e;
    console.warn(`webgrad: ${e.message}. The model is loaded uncompiled, with all its weights: call compile() before fit() or evaluate().`);
    return;
  }
  const c = model.compiled!;
  // Keras 3's legacy `.h5` holds `optimizer.variables` by position, as its `.keras` files do.
  const layout = file.format === 'keras' || file.kerasVersion.startsWith('3.') ? 'keras' : 'h5';
  restoreOptimizerState(c.optimizer, c.trainable.map((w) => w.tensor), file.optimizerWeights, layout, label, file.kerasVersion);
}

/**
 * Each layer's weights looked up by its key (layer name, or Keras 3 group name) among a
 * file's entries; a layer that has weights and no entry is a named error.
 */
function weightsByKey(layers: readonly Layer[], keys: readonly string[], entries: readonly LayerWeights[], missing: (layer: Layer, key: string, have: string) => string): WeightRecord[][] {
  const byKey = new Map(entries.map((l) => [l.name, l.weights]));
  const have = [...byKey.keys()].join(', ') || 'no layers';
  return layers.map((layer, i) => {
    const found = byKey.get(keys[i]);
    if (found === undefined && layer.weights.length > 0) throw new ModelFileError('missing-weights', missing(layer, keys[i], have));
    return found ?? [];
  });
}

/** A Functional model's weights, by layer name (its layers' order is the graph's, which a file need not share). */
const weightsByName = (model: Model, file: ModelFile, label: string) =>
  weightsByKey(model.layers, model.layers.map((l) => l.name), file.layers, (l, _, have) => `${label}: no weights for layer '${l.name}' (${l.className}); the file has weights for ${have}`);

/** Whether a model config is a Functional model's ("Model" up to tf.keras 2.2.4-tf, "Functional" after, maybe with a registration prefix). */
const isFunctional = (config: KerasJson) => FUNCTIONAL_CLASSES.includes(String(config.class_name).replace(/^.*>/, ''));

/** Which Keras's spelling a file's version writes (hard_sigmoid differs). */
const styleOf = (kerasVersion: string): KerasStyle => (kerasVersion.startsWith('2.') ? 'keras2' : 'keras3');

/** Throws unless the file's weights fit the built layer's, in number and shapes: the only check a Functional model's weights get (a Sequential's were planned, and this repeats that cheaply). */
function checkWeights(layer: Layer, weights: readonly WeightRecord[], where: string): void {
  const what = `${where}: layer '${layer.name}' (${layer.className})`;
  if (weights.length !== layer.weights.length) {
    const have = layer.weights.map((w) => `${w.name} [${w.tensor.shape.join(', ')}]`).join(', ') || 'none';
    throw new ModelFileError('missing-weights', `${what} has ${layer.weights.length} weights (${have}) but the file holds ${weights.length}`);
  }
  layer.weights.forEach((w, i) => {
    const found = weights[i].shape;
    if (found.length !== w.tensor.rank || found.some((d, k) => d !== w.tensor.shape[k])) {
      throw new ModelFileError('shape-mismatch', `${what} weight '${w.name}': expected shape [${w.tensor.shape.join(', ')}], found [${found.join(', ')}] in the file (${weights[i].name})`);
    }
  });
}

/** Writes each layer's weights once all have been checked, so a bad file changes nothing. */
function assignWeights(layers: readonly Layer[], weights: readonly (readonly WeightRecord[])[], where: string): void {
  layers.forEach((layer, i) => checkWeights(layer, weights[i], where));
  layers.forEach((layer, i) => layer.setWeights(weights[i].map((w) => w.data)));
}

/**
 * Keras's load_model for a `.h5` or `.keras` file: rebuilds the Sequential or Functional
 * model with its layer names, configs and weights (bit for bit), and, unless `compile` is
 * false, the compile information and optimizer state the file holds, so that fit() can
 * continue at once. A Functional model's inputs are in its input_layers order.
 */
export async function loadModel(source: ModelSource, { compile = true }: LoadModelOptions = {}): Promise<Sequential | Model> {
  const { bytes, label } = await readSource(source);
  await ready(); // planOf checks weights against this device's limits
  const where = `${label}: model config`;
  const made: { parts?: ModelParts } = {};
  // A Sequential's layers are made (not built) from the config as soon as the reader has it, so
  // the file's weights are checked against their shapes before they are read or anything is
  // allocated. A Functional model is built by replaying its graph once the file is read (within
  // the reader's own bounds), and its weights are checked against the built layers.
  const plan: PlanModel = (config, kerasVersion) => {
    if (isFunctional(config)) return null;
    made.parts = modelPartsFromKeras(config, where, styleOf(kerasVersion));
    return planOf(made.parts, label);
  };
  const file = await readModelFile(bytes, label, { plan });
  const version = styleOf(file.kerasVersion);
  const model = made.parts ? sequentialFrom(made.parts) : modelFromGraph(readFunctionalGraph(file.modelConfig, where), where, version);
  try {
    assignWeights(model.layers, model instanceof Model ? weightsByName(model, file, label) : file.layers.map((l) => l.weights), label);
    if (compile) restoreCompile(model, file, label, version);
  } catch (e) {
    model.dispose();
    throw e;
  }
  return model;
}

/**
 * Keras 3's load_weights for a `.weights.h5` file: each layer's weights come from the group
 * Keras 3 names by class ('dense', 'dense_1', ...); with a compiled model the optimizer's
 * state is restored too (skipped with a warning when it does not fit, as Keras does).
 */
export async function loadModelWeights(model: Network, source: ModelSource): Promise<void> {
  const { bytes, label } = await readSource(source);
  if (detectFormat(bytes, label) !== 'h5') {
    throw new ModelFileError('unknown-format', `${label}: loadWeights reads Keras 3 .weights.h5 files; this is a .keras archive: use loadModel`);
  }
  model.buildFor(model.inputShapes() as FeatureShape[]);
  const groups = groupNames(model);
  const file = await readWeightsH5(bytes, label, new Map(model.layers.map((l, i) => [groups[i], layerPlan(l)])));
  const weights = weightsByKey(model.layers, groups, file.layers, (l, group, have) => `${label}: no group layers/${group} for layer '${l.name}' (${l.className}); the file has ${have}`);
  // Checked by the reader; assigned only once all are read, so a bad file changes nothing.
  model.layers.forEach((layer, i) => layer.setWeights(weights[i].map((w) => w.data)));
  const c = model.compiled;
  if (c) restoreOptimizerState(c.optimizer, c.trainable.map((w) => w.tensor), file.optimizerWeights, 'keras', label);
}
