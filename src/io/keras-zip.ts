// The Keras 3 `.keras` file: an uncompressed zip of metadata.json ({keras_version,
// date_saved}), config.json (the model's serialised config with build_config and
// compile_config) and model.weights.h5 (weights-h5.ts), as saving_lib.save_model writes it.
// Layers map to weight groups by class-based names (keras-naming.ts), not by layer name.

import { zipSync } from 'fflate';
import { checkHolds, DatasetGuard, layerCountError, MAX_JSON_BYTES, type ReadOptions, weightsFileBound } from './bounds.ts';
import { ModelFileError } from './errors.ts';
import { readHdf5, writeHdf5 } from './hdf5.ts';
import { extractEntry, zipDirectory, type ZipEntry } from './zip-read.ts';
import { matchWeightGroups, modelLayers, weightGroupNames } from './keras-naming.ts';
import { DEFAULT_BACKEND, type KerasJson, type LayerWeights, type ModelFile } from './model-file.ts';
import { parseJsonObject, pyJsonDumps } from './py-json.ts';
import { checkKerasVersion } from './version.ts';
import { layerGroups, readVars, writeWeightsStore } from './weights-h5.ts';

const CONFIG = 'config.json';
const METADATA = 'metadata.json';
const WEIGHTS = 'model.weights.h5';

/** A JSON entry's text, read only when its declared size is within MAX_JSON_BYTES. */
function jsonEntry(zip: Uint8Array, entry: ZipEntry, label: string): string {
  checkDeclared(entry, MAX_JSON_BYTES, 'a JSON config', label);
  return new TextDecoder().decode(extractEntry(zip, entry, label));
}

function checkDeclared(entry: ZipEntry, bound: number, what: string, label: string): void {
  if (entry.size <= bound) return;
  const n = (v: number) => v.toLocaleString('en-US');
  throw new ModelFileError('too-large', `${label}: ${entry.name} declares ${n(entry.size)} bytes, more than ${what} may take (${n(bound)}); refused before inflating it`);
}

/**
 * Reads a `.keras` file. `label` names it in errors (e.g. its path). Entries are inflated
 * one at a time within bounds (bounds.ts): the configs first, then the weights, whose
 * declared size must fit what the config's layers need (`options.plan`) before it is inflated.
 */
export async function readKerasModel(bytes: Uint8Array, label = 'model .keras file', options: ReadOptions = {}): Promise<ModelFile> {
  const entries = zipDirectory(bytes, label);
  const config = entries.get(CONFIG);
  if (config === undefined) {
    throw new ModelFileError(
      'missing-config',
      `${label}: the archive has no ${CONFIG} (it holds: ${[...entries.keys()].join(', ') || 'nothing'}); not a Keras 3 model file`,
    );
  }
  // Keras itself never reads metadata.json; webgrad needs it only for the version.
  const meta = entries.get(METADATA);
  const metadata = meta ? parseJsonObject(jsonEntry(bytes, meta, label), `${label}: ${METADATA}`) : {};
  const kerasVersion = typeof metadata.keras_version === 'string' ? metadata.keras_version : '';
  if (kerasVersion !== '') checkKerasVersion(kerasVersion, `${label}: ${METADATA}`);
  const { compile_config: compileConfig, ...modelConfig } = parseJsonObject(jsonEntry(bytes, config, label), `${label}: ${CONFIG}`);
  const weightsEntry = entries.get(WEIGHTS);
  if (weightsEntry === undefined) {
    const npz = entries.has('model.weights.npz') ? ' (weights saved as .npz are not supported)' : '';
    throw new ModelFileError('missing-weights', `${label}: the archive has no ${WEIGHTS}${npz}`);
  }
  const layerEntries = modelLayers(modelConfig, `${label}: ${CONFIG}`);
  const plan = options.plan?.(modelConfig, kerasVersion) ?? null;
  if (plan !== null) {
    if (plan.length !== layerEntries.length) throw layerCountError(label, plan.length, layerEntries.length);
    checkHolds(plan, weightsEntry.size, label);
  }
  checkDeclared(weightsEntry, weightsFileBound(plan), plan ? "the config's weights with optimizer state and HDF5 structure" : 'a weights file', label);
  const weightsLabel = `${label}: ${WEIGHTS}`;
  const weightBytes = extractEntry(bytes, weightsEntry, label);
  const { layers, optimizerWeights } = await readHdf5(weightBytes, weightsLabel, (file) => {
    const paths = layerGroups(file);
    const guard = new DatasetGuard(weightBytes.length, weightsLabel);
    const groups = matchWeightGroups(layerEntries, [...paths.keys()]);
    const expected = weightGroupNames(layerEntries.map((l) => l.className));
    const layers = layerEntries.map((layer, i): LayerWeights => {
      // Keras names a group by class; a file whose group bears the layer's own name is read too.
      const path = groups[i] === undefined ? undefined : paths.get(groups[i]);
      const weights = path === undefined ? null : readVars(file, path, weightsLabel, guard, plan?.[i]);
      if (weights === null) {
        throw new ModelFileError(
          'missing-weights',
          `${weightsLabel}: layer ${JSON.stringify(layer.name)} (${layer.className}) should be at layers/${expected[i]}/vars, which is missing (the file has ${[...paths.keys()].join(', ') || 'no layer groups'})`,
        );
      }
      return { name: layer.name, weights };
    });
    return { layers, optimizerWeights: readVars(file, 'optimizer', weightsLabel, guard) ?? [] };
  });
  return {
    format: 'keras',
    kerasVersion,
    backend: DEFAULT_BACKEND, // .keras files do not record the backend
    modelConfig,
    // Keras 3 writes {} (or nothing) for a model that was never compiled.
    trainingConfig: typeof compileConfig === 'object' && compileConfig !== null && Object.keys(compileConfig).length > 0 ? (compileConfig as KerasJson) : null,
    layers,
    optimizerWeights,
  };
}

/** Python's datetime.now().strftime('%Y-%m-%d@%H:%M:%S'). */
function dateSaved(now: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${p(now.getMonth() + 1)}-${p(now.getDate())}@${p(now.getHours())}:${p(now.getMinutes())}:${p(now.getSeconds())}`;
}

/**
 * Writes a `.keras` file. `m.layers` must follow the model config's layers (less a
 * Sequential's InputLayer), one entry each with the same name.
 */
export async function writeKerasModel(m: ModelFile, now = new Date()): Promise<Uint8Array> {
  const layerEntries = modelLayers(m.modelConfig, 'writeKerasModel: modelConfig');
  const mismatch = layerEntries.length !== m.layers.length || layerEntries.some((l, i) => l.name !== m.layers[i].name);
  if (mismatch) {
    throw new ModelFileError(
      'missing-weights',
      `writeKerasModel: the model config lists layers [${layerEntries.map((l) => l.name).join(', ')}] but weights were given for [${m.layers.map((l) => l.name).join(', ')}]`,
    );
  }
  const groups = weightGroupNames(layerEntries.map((l) => l.className));
  const weights = await writeHdf5((file) =>
    writeWeightsStore(
      file,
      m.layers.map((layer, i) => ({ name: groups[i], weights: layer.weights })),
      m.optimizerWeights,
    ),
  );
  const config = m.trainingConfig === null ? m.modelConfig : { ...m.modelConfig, compile_config: m.trainingConfig };
  const encode = (value: KerasJson) => new TextEncoder().encode(pyJsonDumps(value));
  // Python's zipfile stamps entries opened with zf.open(name, 'w') 1980-01-01 and those
  // written with writestr() the current time; Keras stores all three uncompressed.
  const epoch = new Date(1980, 0, 1);
  return zipSync(
    {
      [METADATA]: [encode({ keras_version: m.kerasVersion, date_saved: dateSaved(now) }), { mtime: epoch }],
      [CONFIG]: [encode(config), { mtime: epoch }],
      [WEIGHTS]: [weights, { mtime: now }],
    },
    { level: 0 },
  );
}
