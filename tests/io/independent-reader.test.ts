// The files webgrad writes, read back by jsfive (not h5wasm) and compared with what Keras
// wrote in the fixtures: attribute names and types, group and dataset paths, dtypes,
// shapes, zip entries and config keys. Keras must be able to load what webgrad saves.

import { unzipSync } from 'fflate';
import type { Group } from 'jsfive';
import { describe, expect, test } from 'vitest';
import { readH5Model, writeH5Model } from '../../src/io/h5-legacy.ts';
import { readKerasModel, writeKerasModel } from '../../src/io/keras-zip.ts';
import { writeWeightsH5 } from '../../src/io/weights-h5.ts';
import { FIXTURES, readBytes } from '../util/files.ts';
import { type AttrType, attributeTypes, openJsfive, walk } from './jsfive-reader.ts';
import { sampleH5Model } from './sample-model.ts';

/** Every attribute of every group below the root (root included), with its type. */
function allAttributes(bytes: Uint8Array): Record<string, Record<string, AttrType>> {
  const file = openJsfive(bytes);
  const groups = walk(file).filter((e): e is string => typeof e === 'string');
  return Object.fromEntries([
    ['/', attributeTypes(file)],
    ...groups.map((g) => [g, attributeTypes(file.get(g.slice(0, -1)) as Group)]),
  ]);
}

/** The zip's local file headers in order: name and compression method (0 stored, 8 deflate). */
function localEntries(zip: Uint8Array): { name: string; method: number }[] {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const entries = [];
  // APPNOTE.TXT 4.3.7: signature, ..., method at 8, compressed size at 18, name and extra lengths at 26 and 28.
  for (let at = 0; view.getUint32(at, true) === 0x04034b50;) {
    const nameLength = view.getUint16(at + 26, true);
    const name = new TextDecoder().decode(zip.subarray(at + 30, at + 30 + nameLength));
    entries.push({ name, method: view.getUint16(at + 8, true) });
    at += 30 + nameLength + view.getUint16(at + 28, true) + view.getUint32(at + 18, true);
  }
  return entries;
}

/**
 * The one difference h5wasm cannot avoid: it cannot choose a string's padding. h5py's
 * fixed-length strings are null-padded and its variable-length ones null-terminated;
 * h5wasm's fixed-length ASCII strings are null-terminated and its UTF-8 ones space-padded.
 * Values read back the same in h5py, jsfive and h5wasm.
 */
function withoutPadding(types: Record<string, Record<string, AttrType>>) {
  return Object.fromEntries(
    Object.entries(types).map(([g, attrs]) => [
      g,
      Object.fromEntries(Object.entries(attrs).map(([n, t]) => [n, { ...t, padding: undefined }])),
    ]),
  );
}

describe('legacy .h5 as written by webgrad', async () => {
  const fixture = await readBytes(`${FIXTURES}/keras/model_A_keras2.4.h5`);
  const rewritten = await writeH5Model(await readH5Model(fixture));

  test('the same groups, datasets, dtypes and shapes as the tf.keras fixture', () => {
    expect(walk(openJsfive(rewritten))).toEqual(walk(openJsfive(fixture)));
  });

  test('the same attributes with the same types (string padding aside)', () => {
    const ours = allAttributes(rewritten);
    expect(withoutPadding(ours)).toEqual(withoutPadding(allAttributes(fixture)));
    expect(Object.keys(ours['/'])).toEqual(['keras_version', 'backend', 'model_config', 'training_config']);
    expect(ours['/'].keras_version).toMatchObject({ kind: 'vlen-string', charset: 'utf8', shape: [] });
    expect(ours['/'].model_config).toMatchObject({ kind: 'vlen-string', charset: 'ascii', shape: [] });
    expect(ours['model_weights/'].layer_names).toMatchObject({ kind: 'string', size: 9, charset: 'ascii', shape: [7] });
    expect(ours['model_weights/dense_217/'].weight_names).toMatchObject({ kind: 'string', size: 18, shape: [2] });
    // A layer without weights: numpy's np.asarray([]) is an empty float64 array.
    expect(ours['model_weights/flatten_6/'].weight_names).toEqual({ kind: 'float', size: 8, shape: [0] });
  });

  test('attribute values and config JSON as jsfive reads them', async () => {
    const m = sampleH5Model();
    const file = openJsfive(await writeH5Model(m));
    expect(file.attrs.keras_version).toBe('2.4.0');
    const config = JSON.parse(file.attrs.model_config as string);
    expect(Object.keys(config)).toEqual(['class_name', 'config']);
    expect(config).toEqual(m.modelConfig);
    // Python's json.dumps: ', ' and ': ' separators, non-ASCII as \u escapes.
    expect(file.attrs.training_config).toContain('"note": "\\u00fc\\u00f1\\u00ed \\u2603"');
    expect(JSON.parse(file.attrs.training_config as string)).toEqual(m.trainingConfig);
    // numpy drops a fixed-length string's trailing NULs when it reads it; jsfive keeps them.
    const list = (path: string, name: string) =>
      ((file.get(path) as Group).attrs[name] as string[]).map((v) => v.replace(/\0+$/, ''));
    expect(list('model_weights', 'layer_names')).toEqual(['flatten', 'dense', 'dense_1']);
    expect(list('model_weights/dense', 'weight_names')).toEqual(['dense/kernel:0', 'dense/bias:0']);
    expect(list('optimizer_weights', 'weight_names')).toEqual([
      'SGD/iter:0',
      'SGD/dense/kernel/momentum:0',
      'SGD/dense/bias/momentum:0',
    ]);
    expect(walk(file).filter((e) => typeof e !== 'string')).toEqual([
      { path: 'model_weights/dense/dense/bias:0', dtype: '<f4', shape: [3] },
      { path: 'model_weights/dense/dense/kernel:0', dtype: '<f4', shape: [4, 3] },
      { path: 'model_weights/dense_1/dense_1/bias:0', dtype: '<f4', shape: [2] },
      { path: 'model_weights/dense_1/dense_1/kernel:0', dtype: '<f4', shape: [3, 2] },
      { path: 'optimizer_weights/SGD/dense/bias/momentum:0', dtype: '<f4', shape: [3] },
      { path: 'optimizer_weights/SGD/dense/kernel/momentum:0', dtype: '<f4', shape: [4, 3] },
      { path: 'optimizer_weights/SGD/iter:0', dtype: '<i8', shape: [] },
    ]);
  });
});

describe('.keras as written by webgrad', async () => {
  const fixture = await readBytes(`${FIXTURES}/keras/model_A_keras3.5.keras`);
  const rewritten = await writeKerasModel(await readKerasModel(fixture), new Date(2024, 11, 5, 16, 34, 6));
  const ours = unzipSync(rewritten);
  const theirs = unzipSync(fixture);

  test("zip entries in Keras's order, stored uncompressed", () => {
    expect(localEntries(rewritten)).toEqual(localEntries(fixture));
    expect(localEntries(rewritten)).toEqual([
      { name: 'metadata.json', method: 0 },
      { name: 'config.json', method: 0 },
      { name: 'model.weights.h5', method: 0 },
    ]);
  });

  test('metadata.json and config.json as Keras writes them', () => {
    const text = (b: Uint8Array) => new TextDecoder().decode(b);
    expect(text(ours['metadata.json'])).toBe('{"keras_version": "3.5.0", "date_saved": "2024-12-05@16:34:06"}');
    const config = JSON.parse(text(ours['config.json']));
    expect(Object.keys(config)).toEqual([
      'module',
      'class_name',
      'config',
      'registered_name',
      'build_config',
      'compile_config',
    ]);
    expect(config).toEqual(JSON.parse(text(theirs['config.json'])));
  });

  test("model.weights.h5: the fixture's groups, datasets, dtypes and shapes, and no attributes", () => {
    expect(walk(openJsfive(ours['model.weights.h5']))).toEqual(walk(openJsfive(theirs['model.weights.h5'])));
    const attrs = allAttributes(ours['model.weights.h5']);
    expect(Object.values(attrs).every((a) => Object.keys(a).length === 0)).toBe(true);
  });

  test('.weights.h5 from writeWeightsH5 has the same layout', async () => {
    const m = await readKerasModel(fixture);
    const groups = ['flatten', 'dense', 'dense_1', 'dense_2', 'dense_3'];
    const bytes = await writeWeightsH5(
      m.layers.map((l, i) => ({ name: groups[i], weights: l.weights })),
      m.optimizerWeights,
    );
    expect(walk(openJsfive(bytes))).toEqual(walk(openJsfive(theirs['model.weights.h5'])));
  });
});
