// The Keras 3 `.keras` file: an uncompressed zip of metadata.json ({keras_version,
// date_saved}), config.json (the model's serialised config with build_config and
// compile_config) and model.weights.h5 (weights-h5.ts), as saving_lib.save_model writes it.
// Layers map to weight groups by class-based names (keras-naming.ts), not by layer name.

import { unzipSync, zipSync } from 'fflate';
import { causeText, ModelFileError } from './errors.ts';
import { readHdf5, writeHdf5 } from './hdf5.ts';
import { checkZipCrcs } from './zip-crc.ts';
import { matchWeightGroups, modelLayers, weightGroupNames } from './keras-naming.ts';
import { DEFAULT_BACKEND, type KerasJson, type LayerWeights, type ModelFile } from './model-file.ts';
import { parseJsonObject, pyJsonDumps } from './py-json.ts';
import { checkKerasVersion } from './version.ts';
import { layerGroups, readVars, writeWeightsStore } from './weights-h5.ts';

const CONFIG = 'config.json';
const METADATA = 'metadata.json';
const WEIGHTS = 'model.weights.h5';

function unzip(bytes: Uint8Array, label: string): Record<string, Uint8Array> {
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes);
  } catch (e) {
    throw new ModelFileError(
      'truncated',
      `${label}: not a readable zip archive (${causeText(e)}); the file is damaged or cut short`,
      { cause: e },
    );
  }
  checkZipCrcs(bytes, entries, label);
  return entries;
}

/** Reads a `.keras` file. `label` names it in errors (e.g. its path). */
export async function readKerasModel(bytes: Uint8Array, label = 'model .keras file'): Promise<ModelFile> {
  const entries = unzip(bytes, label);
  const text = (name: string) => new TextDecoder().decode(entries[name]);
  if (!(CONFIG in entries)) {
    throw new ModelFileError(
      'missing-config',
      `${label}: the archive has no ${CONFIG} (it holds: ${Object.keys(entries).join(', ') || 'nothing'}); not a Keras 3 model file`,
    );
  }
  // Keras itself never reads metadata.json; webgrad needs it only for the version.
  const metadata = METADATA in entries ? parseJsonObject(text(METADATA), `${label}: ${METADATA}`) : {};
  const kerasVersion = typeof metadata.keras_version === 'string' ? metadata.keras_version : '';
  if (kerasVersion !== '') checkKerasVersion(kerasVersion, `${label}: ${METADATA}`);
  const { compile_config: compileConfig, ...modelConfig } = parseJsonObject(text(CONFIG), `${label}: ${CONFIG}`);
  if (!(WEIGHTS in entries)) {
    const npz = 'model.weights.npz' in entries ? ' (weights saved as .npz are not supported)' : '';
    throw new ModelFileError('missing-weights', `${label}: the archive has no ${WEIGHTS}${npz}`);
  }
  const layerEntries = modelLayers(modelConfig, `${label}: ${CONFIG}`);
  const weightsLabel = `${label}: ${WEIGHTS}`;
  const { layers, optimizerWeights } = await readHdf5(entries[WEIGHTS], weightsLabel, (file) => {
    const paths = layerGroups(file);
    const groups = matchWeightGroups(layerEntries, [...paths.keys()]);
    const expected = weightGroupNames(layerEntries.map((l) => l.className));
    const layers = layerEntries.map((layer, i): LayerWeights => {
      // Keras names a group by class; a file whose group bears the layer's own name is read too.
      const path = groups[i] === undefined ? undefined : paths.get(groups[i]);
      const weights = path === undefined ? null : readVars(file, path, weightsLabel);
      if (weights === null) {
        throw new ModelFileError(
          'missing-weights',
          `${weightsLabel}: layer ${JSON.stringify(layer.name)} (${layer.className}) should be at layers/${expected[i]}/vars, which is missing (the file has ${[...paths.keys()].join(', ') || 'no layer groups'})`,
        );
      }
      return { name: layer.name, weights };
    });
    return { layers, optimizerWeights: readVars(file, 'optimizer', weightsLabel) ?? [] };
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
