// Inputs that are not good model files: each must fail with a ModelFileError whose code
// says what is wrong and whose message names the file and the missing or bad piece.

import { unzipSync, zipSync } from 'fflate';
import { describe, expect, test } from 'vitest';
import { ModelFileError } from '../../src/io/errors.ts';
import { detectFormat, readModelFile } from '../../src/io/files.ts';
import { readH5Model, writeH5Model } from '../../src/io/h5-legacy.ts';
import { writeHdf5 } from '../../src/io/hdf5.ts';
import { writeStringAttr, writeStringListAttr } from '../../src/io/h5-values.ts';
import { readKerasModel, writeKerasModel } from '../../src/io/keras-zip.ts';
import { readWeightsH5, writeWeightsH5 } from '../../src/io/weights-h5.ts';
import { FIXTURES, readBytes } from '../util/files.ts';
import { sampleH5Model, sampleKerasModel, values } from './sample-model.ts';

/** Awaits `promise`, expecting a ModelFileError with `code` and a message matching every pattern. */
async function expectError(promise: Promise<unknown>, code: string, ...patterns: RegExp[]) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ModelFileError);
  expect((error as ModelFileError).code).toBe(code);
  for (const p of patterns) expect((error as ModelFileError).message).toMatch(p);
}

const text = (s: string) => new TextEncoder().encode(s);

/** A legacy .h5 file built attribute by attribute, to break one piece at a time. */
function legacyFile(options: { config?: string; layerNames: string[]; groups: Record<string, string[]> }) {
  return writeHdf5((file) => {
    writeStringAttr(file, 'keras_version', '2.4.0', 'utf8');
    if (options.config !== undefined) writeStringAttr(file, 'model_config', options.config, 'ascii');
    const weights = file.create_group('model_weights');
    writeStringListAttr(weights, 'layer_names', options.layerNames);
    for (const [name, weightNames] of Object.entries(options.groups))
      writeStringListAttr(weights.create_group(name), 'weight_names', weightNames);
  });
}

describe('not a model file', () => {
  test('random bytes', async () => {
    const bytes = Uint8Array.from(values(256, 7), (v) => Math.floor((v + 2) * 60));
    expect(() => detectFormat(bytes, 'noise.bin')).toThrow(/noise\.bin: neither HDF5 .* nor a zip archive/);
    await expectError(
      readModelFile(bytes, 'noise.bin'),
      'unknown-format',
      /noise\.bin/,
      /Keras \.h5, \.keras or \.weights\.h5/,
    );
  });

  test('empty and cut-short signatures', async () => {
    await expectError(readModelFile(new Uint8Array(0), 'empty.h5'), 'truncated', /empty\.h5: only 0 bytes/);
    await expectError(readModelFile(text('PK\x03'), 'short.keras'), 'truncated', /short\.keras: only 3 bytes/);
  });

  test('the HDF5 signature after a 512-byte user block is still HDF5', () => {
    const bytes = new Uint8Array(1024);
    bytes.set([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a], 512);
    expect(detectFormat(bytes)).toBe('h5');
  });
});

describe('truncated files (first 1000 bytes)', () => {
  test.each(['keras/model_A_keras2.4.h5', 'keras/model_A_keras3.5.keras'])('%s', async (name) => {
    const bytes = (await readBytes(`${FIXTURES}/${name}`)).slice(0, 1000);
    await expectError(
      readModelFile(bytes, name),
      'truncated',
      new RegExp(name.replace('.', '\\.')),
      /damaged or cut short/,
    );
  });
});

describe('missing pieces', () => {
  test('a zip without config.json', async () => {
    const zip = zipSync({ 'metadata.json': text('{"keras_version": "3.5.0"}') });
    await expectError(
      readKerasModel(zip, 'bare.keras'),
      'missing-config',
      /bare\.keras: the archive has no config\.json \(it holds: metadata\.json\)/,
    );
  });

  test('a zip without model.weights.h5', async () => {
    const full = await writeKerasModel(sampleKerasModel());
    const { 'model.weights.h5': _, ...rest } = unzipSync(full);
    await expectError(
      readKerasModel(zipSync(rest), 'no-weights.keras'),
      'missing-weights',
      /no-weights\.keras: the archive has no model\.weights\.h5/,
    );
  });

  test('an HDF5 file without model_config: a Keras 3 weights file', async () => {
    const weights = await writeWeightsH5([{ name: 'dense', weights: [] }]);
    await expectError(
      readH5Model(weights, 'x.weights.h5'),
      'missing-config',
      /x\.weights\.h5: no root attribute model_config/,
      /readWeightsH5/,
    );
  });

  test('a legacy .h5 read as a weights file', async () => {
    await expectError(
      readWeightsH5(await writeH5Model(sampleH5Model()), 'model.h5'),
      'missing-weights',
      /model\.h5: no group \/layers/,
      /readH5Model/,
    );
  });

  test('a layer in layer_names without its group', async () => {
    const bytes = await legacyFile({
      config: '{"class_name": "Sequential"}',
      layerNames: ['dense', 'dense_1'],
      groups: { dense: [] },
    });
    await expectError(
      readH5Model(bytes, 'm.h5'),
      'missing-weights',
      /m\.h5: layer "dense_1" is listed in \/model_weights@layer_names but \/model_weights\/dense_1 is missing/,
    );
  });

  test('a weight in weight_names without its dataset', async () => {
    const bytes = await legacyFile({
      config: '{"class_name": "Sequential"}',
      layerNames: ['dense'],
      groups: { dense: ['dense/kernel:0'] },
    });
    await expectError(
      readH5Model(bytes, 'm.h5'),
      'missing-weights',
      /\/model_weights\/dense@weight_names lists "dense\/kernel:0" but there is no dataset \/model_weights\/dense\/dense\/kernel:0/,
    );
  });

  test('a .keras layer whose weight group is missing', async () => {
    const m = sampleKerasModel();
    const entries: Record<string, Uint8Array> = unzipSync(await writeKerasModel(m));
    // The same archive with weights for the Flatten layer only.
    entries['model.weights.h5'] = await writeWeightsH5([{ name: 'flatten', weights: [] }]);
    await expectError(
      readKerasModel(zipSync(entries), 'm.keras'),
      'missing-weights',
      /layer "hidden" \(Dense\) should be at layers\/dense\/vars/,
    );
  });
});

describe('bad contents', () => {
  test('model_config that is not JSON', async () => {
    const bytes = await legacyFile({ config: '{"class_name": ', layerNames: [], groups: {} });
    await expectError(readH5Model(bytes, 'm.h5'), 'bad-json', /m\.h5: attribute model_config is not valid JSON/);
  });

  test('a Keras 1 file', async () => {
    const bytes = await writeH5Model({ ...sampleH5Model(), kerasVersion: '1.2.2' });
    await expectError(readH5Model(bytes, 'old.h5'), 'unsupported-version', /old\.h5: written by Keras "1\.2\.2"/);
  });

  test('a .keras from an unknown future Keras', async () => {
    const bytes = await writeKerasModel({ ...sampleKerasModel(), kerasVersion: '4.0.0' });
    await expectError(
      readKerasModel(bytes, 'new.keras'),
      'unsupported-version',
      /new\.keras: metadata\.json: written by Keras "4\.0\.0"/,
    );
  });

  test('weights whose values do not fill their shape', async () => {
    const m = sampleH5Model();
    m.layers[1].weights[0] = { ...m.layers[1].weights[0], shape: [4, 4] };
    await expectError(
      writeH5Model(m),
      'shape-mismatch',
      /layer dense: weight dense\/kernel:0: 12 values do not fill shape \[4, 4\] \(16 values\)/,
    );
  });

  test(".keras weights that do not follow the config's layers", async () => {
    const m = sampleKerasModel();
    await expectError(
      writeKerasModel({ ...m, layers: m.layers.slice(1) }),
      'missing-weights',
      /lists layers \[flatten, hidden, output\] but weights were given for \[hidden, output\]/,
    );
  });

  test('duplicate layer names', async () => {
    const m = sampleH5Model();
    await expectError(
      writeH5Model({ ...m, layers: [...m.layers, m.layers[1]] }),
      'unsupported-content',
      /"dense" appears twice/,
    );
  });
});
