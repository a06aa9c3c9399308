// The legacy Keras HDF5 model file as tf.keras 2 writes `model.save('x.h5')`: root attrs
// keras_version, backend (UTF-8), model_config, training_config (JSON, ASCII); group
// model_weights with attrs layer_names, backend, keras_version and per layer a group whose
// weight_names attr lists its datasets (model_weights/dense/dense/kernel:0); optimizer_weights
// likewise. Read next: keras-zip.ts (the Keras 3 format), h5-values.ts (attribute types).

import type { File as H5File, Group } from 'h5wasm';
import { checkHolds, DatasetGuard, type LayerPlan, layerCountError, type ReadOptions } from './bounds.ts';
import { ModelFileError } from './errors.ts';
import { readKerasList, writeKerasList } from './h5-attr-chunks.ts';
import {
  getDataset,
  getGroup,
  hasAttr,
  readStringAttr,
  readWeight,
  writeStringAttr,
  writeWeight,
} from './h5-values.ts';
import { readHdf5, writeHdf5 } from './hdf5.ts';
import type { LayerWeights, ModelFile, WeightRecord } from './model-file.ts';
import { parseJsonObject, pyJsonDumps } from './py-json.ts';
import { checkKerasVersion } from './version.ts';

/** Why a file without model_config is not a model file, and what it probably is. */
function missingConfigHint(file: H5File): string {
  if (hasAttr(file, 'layer_names'))
    return 'it is a weights-only file (model.save_weights("x.h5")); build the model and load its weights instead';
  if (file.keys().includes('layers') && file.keys().includes('vars'))
    return 'it is a Keras 3 weights file (.weights.h5): load it into a model of the same architecture with model.loadWeights (readWeightsH5 reads it)';
  return 'it is not a Keras model file';
}

/**
 * The datasets a group lists in its weight_names attribute (tf.keras load_weights_from_hdf5_group),
 * each checked by `guard` against `layer` (when planned) before it is read.
 */
function readListedWeights(group: Group, label: string, guard: DatasetGuard, layer?: LayerPlan): WeightRecord[] {
  const names = readKerasList(group, 'weight_names', label) ?? [];
  guard.count(layer, names.length);
  return names.map((name, i) => {
    const path = `${group.path}/${name}`;
    const dataset = getDataset(group, name);
    if (dataset === null) {
      throw new ModelFileError(
        'missing-weights',
        `${label}: ${group.path}@weight_names lists ${JSON.stringify(name)} but there is no dataset ${path}`,
      );
    }
    return readWeight(dataset, name, label, (shape, size) => guard.check(name, shape, size, layer, i));
  });
}

/**
 * Reads a legacy `.h5` model file. `label` names it in errors (e.g. its path); with
 * `options.plan`, the config is checked against the file before any weight is read.
 */
export async function readH5Model(bytes: Uint8Array, label = 'model .h5 file', options: ReadOptions = {}): Promise<ModelFile> {
  return readHdf5(bytes, label, (file) => {
    const configText = readStringAttr(file, 'model_config', label);
    if (configText === null) {
      throw new ModelFileError(
        'missing-config',
        `${label}: no root attribute model_config, so no model to build: ${missingConfigHint(file)}`,
      );
    }
    const weightsGroup = getGroup(file, 'model_weights');
    if (weightsGroup === null) throw new ModelFileError('missing-weights', `${label}: no group /model_weights`);
    // tf.keras reads a missing keras_version as '1'.
    const kerasVersion =
      readStringAttr(file, 'keras_version', label) ?? readStringAttr(weightsGroup, 'keras_version', label) ?? '1';
    checkKerasVersion(kerasVersion, label);
    const trainingText = readStringAttr(file, 'training_config', label);
    const modelConfig = parseJsonObject(configText, `${label}: attribute model_config`);
    const layerNames = readKerasList(weightsGroup, 'layer_names', label);
    if (layerNames === null)
      throw new ModelFileError('missing-weights', `${label}: /model_weights has no layer_names attribute`);
    const plan = options.plan?.(modelConfig, kerasVersion) ?? null;
    if (plan !== null) {
      if (plan.length !== layerNames.length) throw layerCountError(label, plan.length, layerNames.length);
      checkHolds(plan, bytes.length, label);
    }
    const guard = new DatasetGuard(bytes.length, label);
    const layers: LayerWeights[] = layerNames.map((name, i) => {
      const group = getGroup(weightsGroup, name);
      if (group === null) {
        throw new ModelFileError(
          'missing-weights',
          `${label}: layer ${JSON.stringify(name)} is listed in /model_weights@layer_names but /model_weights/${name} is missing`,
        );
      }
      return { name, weights: readListedWeights(group, label, guard, plan?.[i]) };
    });
    const optimizerGroup = getGroup(file, 'optimizer_weights');
    return {
      format: 'h5',
      kerasVersion,
      backend: readStringAttr(file, 'backend', label) ?? readStringAttr(weightsGroup, 'backend', label) ?? 'tensorflow',
      modelConfig,
      trainingConfig:
        trainingText === null ? null : parseJsonObject(trainingText, `${label}: attribute training_config`),
      layers,
      optimizerWeights: optimizerGroup === null ? [] : readListedWeights(optimizerGroup, label, guard),
    };
  });
}

function checkUnique(names: string[], what: string): void {
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name))
      throw new ModelFileError(
        'unsupported-content',
        `${what}: the name ${JSON.stringify(name)} appears twice; Keras needs unique names`,
      );
    seen.add(name);
  }
}

/** Writes weights as a group with a weight_names attribute and one dataset per name. */
function writeListedWeights(group: Group, weights: WeightRecord[], where: string): void {
  checkUnique(
    weights.map((w) => w.name),
    where,
  );
  writeKerasList(
    group,
    'weight_names',
    weights.map((w) => w.name),
  );
  for (const w of weights) writeWeight(group, w.name, w, where);
}

/**
 * Writes a legacy `.h5` model file with tf.keras 2's layout and attribute types
 * (hdf5_format.save_model_to_hdf5). Deviations h5wasm imposes are noted in h5-values.ts.
 */
export async function writeH5Model(m: ModelFile): Promise<Uint8Array> {
  checkUnique(
    m.layers.map((l) => l.name),
    'writeH5Model: layer names',
  );
  return writeHdf5((file) => {
    // Python str attributes become UTF-8 strings; json.dumps(...).encode() bytes ASCII ones.
    writeStringAttr(file, 'keras_version', m.kerasVersion, 'utf8');
    writeStringAttr(file, 'backend', m.backend, 'utf8');
    writeStringAttr(file, 'model_config', pyJsonDumps(m.modelConfig), 'ascii');
    if (m.trainingConfig !== null) writeStringAttr(file, 'training_config', pyJsonDumps(m.trainingConfig), 'ascii');
    const weightsGroup = file.create_group('model_weights');
    writeKerasList(
      weightsGroup,
      'layer_names',
      m.layers.map((l) => l.name),
    );
    writeStringAttr(weightsGroup, 'backend', m.backend, 'ascii');
    writeStringAttr(weightsGroup, 'keras_version', m.kerasVersion, 'ascii');
    for (const layer of m.layers) {
      writeListedWeights(weightsGroup.create_group(layer.name), layer.weights, `writeH5Model: layer ${layer.name}`);
    }
    if (m.optimizerWeights.length > 0) {
      writeListedWeights(file.create_group('optimizer_weights'), m.optimizerWeights, 'writeH5Model: optimizer weights');
    }
  });
}
