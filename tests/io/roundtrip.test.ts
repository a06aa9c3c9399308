// Write-then-read round trips for the three formats, on small models whose weights hold
// -0, subnormals, NaN and infinities, and on the two real Keras fixtures: configs must come
// back equal and every weight bit-identical.

import type { Group } from 'jsfive';
import { describe, expect, test } from 'vitest';
import { readModelFile, writeModelFile } from '../../src/io/files.ts';
import { readH5Model, writeH5Model } from '../../src/io/h5-legacy.ts';
import { readKerasModel, writeKerasModel } from '../../src/io/keras-zip.ts';
import type { LayerWeights } from '../../src/io/model-file.ts';
import { readWeightsH5, writeWeightsH5 } from '../../src/io/weights-h5.ts';
import { FIXTURES, readBytes } from '../util/files.ts';
import { openJsfive } from './jsfive-reader.ts';
import { comparable, sampleH5Model, sampleKerasModel, values } from './sample-model.ts';

describe('round trips of small models', () => {
  test('writeH5Model -> readH5Model', async () => {
    const m = sampleH5Model();
    expect(comparable(await readH5Model(await writeH5Model(m)))).toEqual(comparable(m));
  });

  test('writeKerasModel -> readKerasModel', async () => {
    const m = sampleKerasModel();
    expect(comparable(await readKerasModel(await writeKerasModel(m)))).toEqual(comparable(m));
  });

  test('writeWeightsH5 -> readWeightsH5, groups in Keras numbering order', async () => {
    // Twelve Dense groups: HDF5 lists dense_10 before dense_2; Keras numbered them 0..11.
    const groups = ['dense', ...Array.from({ length: 11 }, (_, i) => `dense_${i + 1}`), 'flatten'];
    const layers: LayerWeights[] = groups.map((name, i) => ({
      name,
      weights: name === 'flatten' ? [] : [{ name: `layers/${name}/vars/0`, shape: [2, 2], data: values(4, i + 10) }],
    }));
    const optimizerWeights = [
      { name: 'optimizer/vars/0', shape: [], data: new Float32Array([3]), dtype: 'int64' as const },
    ];
    const back = await readWeightsH5(await writeWeightsH5(layers, optimizerWeights));
    expect(back.layers.map((l) => l.name)).toEqual(groups);
    expect(comparable({ ...sampleH5Model(), ...back })).toEqual(
      comparable({ ...sampleH5Model(), layers, optimizerWeights }),
    );
  });

  test('the same model and date give the same bytes (.keras) and the same content (.h5)', async () => {
    const now = new Date(2024, 11, 5, 16, 34, 6);
    expect(await writeKerasModel(sampleKerasModel(), now)).toEqual(await writeKerasModel(sampleKerasModel(), now));
    // NOTE: HDF5 stamps every object header with the second it was written (h5wasm cannot
    // turn that off), so two .h5 writes straddling a second differ in those bytes only.
    expect(await readH5Model(await writeH5Model(sampleH5Model()))).toEqual(await readH5Model(await writeH5Model(sampleH5Model())));
  });

  test("a layer list past HDF5's 64 KiB header limit is split into layer_names0, layer_names1", async () => {
    const m = sampleH5Model();
    // 2,300 names of 29 bytes: 66,700 bytes, over tf.keras's limit of 64,512.
    const extra = Array.from({ length: 2300 }, (_, i) => ({
      name: `a_rather_long_layer_name_${String(i).padStart(4, '0')}`,
      weights: [],
    }));
    const big = { ...m, layers: [...m.layers, ...extra] };
    const bytes = await writeH5Model(big);
    expect((await readH5Model(bytes)).layers.map((l) => l.name)).toEqual(big.layers.map((l) => l.name));
    // numpy.array_split's halves of the 2,303 names, as tf.keras writes them.
    const attrs = (openJsfive(bytes).get('model_weights') as Group).attrs;
    expect(Object.keys(attrs).filter((k) => k.startsWith('layer_names'))).toEqual(['layer_names0', 'layer_names1']);
    expect([(attrs.layer_names0 as string[]).length, (attrs.layer_names1 as string[]).length]).toEqual([1152, 1151]);
  });
});

describe('real Keras files survive read -> write -> read unchanged', () => {
  test.each(['keras/model_A_keras2.4.h5', 'keras/model_A_keras3.5.keras'])('%s', async (name) => {
    const original = await readModelFile(await readBytes(`${FIXTURES}/${name}`), name);
    const again = await readModelFile(await writeModelFile(original), `rewritten ${name}`);
    expect(comparable(again)).toEqual(comparable(original));
  });
});
