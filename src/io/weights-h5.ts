// Keras 3's weights file, as `model.save_weights('x.weights.h5')` writes it and as it sits
// inside a `.keras` zip (model.weights.h5): every saveable gets a group holding a `vars`
// group of datasets named '0', '1', ... in the order of its variables: layers/<group>/vars/i
// for the layers, optimizer/vars/i for the optimizer, and an empty root `vars` for the model
// itself (saving_lib.py H5IOStore/H5Entry). No attributes anywhere. Group names: keras-naming.ts.

import type { File as H5File } from 'h5wasm';
import { ModelFileError } from './errors.ts';
import { byKerasNumbering } from './keras-naming.ts';
import { ensureGroup, getDataset, getGroup, readWeight, writeWeight } from './h5-values.ts';
import { readHdf5, writeHdf5 } from './hdf5.ts';
import type { LayerWeights, WeightRecord } from './model-file.ts';

export interface WeightsFile {
  /** One entry per group under layers/, named as the group (Keras 3's class-based name). */
  layers: LayerWeights[];
  optimizerWeights: WeightRecord[];
}

/**
 * Each layer group's path by its name. Keras saved the layers under `layers`, or under
 * `_layer_checkpoint_dependencies` in Keras 2.13-2.15 (Keras 3 reads both: saving_lib.py
 * H5Entry); tf.keras 2.13-2.15 on Windows joined the path with os.path.join, which made root
 * groups named `layers\dense` (a literal backslash) instead of `layers/dense`.
 */
export function layerGroups(file: H5File): Map<string, string> {
  const groups = new Map<string, string>();
  for (const root of ['_layer_checkpoint_dependencies', 'layers']) {
    for (const name of getGroup(file, root)?.keys() ?? []) groups.set(name, `${root}/${name}`);
    for (const key of file.keys()) if (key.startsWith(`${root}\\`)) groups.set(key.slice(root.length + 1), key);
  }
  return groups;
}

/** The variables saved at `path` (path/vars/0, 1, ...), or null when path/vars is missing. */
export function readVars(file: H5File, path: string, label: string): WeightRecord[] | null {
  const owner = getGroup(file, path);
  const vars = owner === null ? null : getGroup(owner, 'vars');
  if (owner === null || vars === null) return null;
  const nested = owner.keys().filter((k) => k !== 'vars');
  if (nested.length > 0) {
    throw new ModelFileError(
      'unsupported-content',
      `${label}: ${path} holds nested state (${nested.join(', ')}); only layers that own their variables directly are supported`,
    );
  }
  const names = vars.keys();
  return names.map((_, i) => {
    const dataset = getDataset(vars, String(i));
    if (dataset === null) {
      throw new ModelFileError(
        'missing-weights',
        `${label}: ${path}/vars holds ${names.length} entries (${names.join(', ')}) but no dataset ${path}/vars/${i}`,
      );
    }
    return readWeight(dataset, `${path}/vars/${i}`, label);
  });
}

/** Reads a `.weights.h5` file. The layer order is the groups' numbering, not model order. */
export async function readWeightsH5(bytes: Uint8Array, label = 'weights .h5 file'): Promise<WeightsFile> {
  return readHdf5(bytes, label, (file) => {
    const groups = layerGroups(file);
    if (groups.size === 0) {
      throw new ModelFileError(
        'missing-weights',
        `${label}: no group /layers; this is not a Keras 3 weights file${file.keys().includes('model_weights') ? ' (it looks like a legacy .h5 model: read it with readH5Model)' : ''}`,
      );
    }
    const layers = [...groups.keys()]
      .sort(byKerasNumbering)
      .map((name) => ({ name, weights: readVars(file, groups.get(name)!, label) ?? [] }));
    return { layers, optimizerWeights: readVars(file, 'optimizer', label) ?? [] };
  });
}

/** Writes `path/vars/0..n-1`; the group is created even when there are no variables, as Keras does. */
function writeVars(file: H5File, path: string, weights: WeightRecord[], where: string): void {
  const vars = ensureGroup(file, `${path}/vars`);
  weights.forEach((w, i) => writeWeight(vars, String(i), w, where));
}

/** Writes a Keras 3 weights store: one group per entry of `layers`, named by its `name`. */
export function writeWeightsStore(file: H5File, layers: LayerWeights[], optimizerWeights: WeightRecord[]): void {
  const seen = new Set<string>();
  for (const layer of layers) {
    if (seen.has(layer.name) || layer.name.includes('/') || layer.name === '') {
      throw new ModelFileError(
        'unsupported-content',
        `weights file: group name ${JSON.stringify(layer.name)} is empty, repeated or contains '/'`,
      );
    }
    seen.add(layer.name);
    writeVars(file, `layers/${layer.name}`, layer.weights, `weights file: layers/${layer.name}`);
  }
  ensureGroup(file, 'vars');
  if (optimizerWeights.length > 0) writeVars(file, 'optimizer', optimizerWeights, 'weights file: optimizer');
}

/**
 * Writes a `.weights.h5` file. Each LayerWeights.name must be the group name Keras 3 uses
 * for that layer (keras-naming.ts weightGroupNames), since Keras looks groups up by it.
 */
export async function writeWeightsH5(
  layers: LayerWeights[],
  optimizerWeights: WeightRecord[] = [],
): Promise<Uint8Array> {
  return writeHdf5((file) => writeWeightsStore(file, layers, optimizerWeights));
}
