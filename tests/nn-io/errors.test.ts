// What loading and saving refuse, each with an error that names the problem: an unknown
// layer class (listing the supported ones), a weight whose shape does not fit the config
// (naming layer, expected and found shapes), a weights-only file given to loadModel, an
// unsupported dtype, an unsaveable activation, an unknown extension; a file without compile
// information loads uncompiled and fit asks for compile(); compile information webgrad cannot
// rebuild is a warning, not an error (more forms: compile-config.test.ts).

import { afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import { ModelFileError } from '../../src/io/errors.ts';
import { writeModelFile } from '../../src/io/files.ts';
import type { KerasJson, ModelFile } from '../../src/io/model-file.ts';
import { ready } from '../../src/kernels/device.ts';
import { Dense } from '../../src/nn/layers/dense.ts';
import { loadModel, modelToFile } from '../../src/io/save.ts';
import { Sequential } from '../../src/nn/model/sequential.ts';
import { Adam } from '../../src/optim/adam.ts';
import { SGD } from '../../src/optim/sgd.ts';
import { setSeed } from '../../src/tensor/random.ts';
import { compileWith, richData, richModel } from './models.ts';
import { rejectsWith } from '../util/expect-error.ts';

beforeAll(async () => {
  await ready();
});

afterEach(() => {
  vi.restoreAllMocks();
});

const rejection = (promise: Promise<unknown>) => rejectsWith(promise, ModelFileError);

/** The model's file with one layer entry of its config changed by `edit`. */
async function editedFile(format: 'h5' | 'keras', layerIndex: number, edit: (layer: KerasJson) => void): Promise<Uint8Array> {
  setSeed(1);
  const model = richModel();
  const file: ModelFile = await modelToFile(model, format);
  model.dispose();
  edit(((file.modelConfig.config as KerasJson).layers as KerasJson[])[layerIndex]);
  return writeModelFile(file);
}

describe('loadModel refuses', () => {
  test.each(['h5', 'keras'] as const)('an unknown layer class, listing the supported ones (%s)', async (format) => {
    const bytes = await editedFile(format, 2, (layer) => {
      layer.class_name = 'Conv2D';
    });
    const error = await rejection(loadModel(bytes));
    expect(error.code).toBe('unsupported-content');
    expect(error.message).toMatch(/model bytes: model config layers\[2\]: unknown layer class 'Conv2D' \(layer 'hidden_1'\)/);
    expect(error.message).toMatch(/webgrad supports Dense, Flatten, Dropout, AlphaDropout, MCDropout, MCAlphaDropout, Activation/);
  });

  test.each(['h5', 'keras'] as const)('a weight whose shape does not fit the config (%s)', async (format) => {
    const bytes = await editedFile(format, 2, (layer) => {
      (layer.config as KerasJson).units = 9;
    });
    const error = await rejection(loadModel(bytes));
    expect(error.code).toBe('shape-mismatch');
    expect(error.message).toMatch(/layer 'hidden_1' \(Dense\) weight 'kernel': expected shape \[12, 9\], found \[12, 10\]/);
  });

  test('a weights-only file, an unsupported dtype, an activity regularizer, a subclassed model, a Functional config without its graph', async () => {
    setSeed(1);
    const model = richModel();
    const weightsOnly = await rejection(loadModel(await model.toBytes('weights.h5')));
    expect([weightsOnly.code, weightsOnly.message]).toEqual(['missing-config', expect.stringMatching(/no root attribute model_config.*Keras 3 weights file.*model\.loadWeights/)]);
    model.dispose();

    const float64 = await rejection(loadModel(await editedFile('keras', 2, (l) => ((l.config as KerasJson).dtype = { class_name: 'DTypePolicy', config: { name: 'mixed_float16' } }))));
    expect(float64.message).toMatch(/\(Dense 'hidden_1'\): dtype .*mixed_float16.* float32 only/);
    const activity = await rejection(loadModel(await editedFile('h5', 2, (l) => ((l.config as KerasJson).activity_regularizer = { class_name: 'L2', config: { l2: 0.1 } }))));
    expect(activity.message).toMatch(/\(Dense 'hidden_1'\): activity_regularizer is not supported/);
    const unknownKey = await rejection(loadModel(await editedFile('keras', 3, (l) => ((l.config as KerasJson).noise_shape = [null, 1]))));
    expect(unknownKey.message).toMatch(/\(AlphaDropout 'alpha_dropout'\): noise_shape \[null,1\] is not supported/);

    setSeed(1);
    const file = await modelToFile(richModel(), 'h5');
    const subclassed = await rejection(loadModel(await writeModelFile({ ...file, modelConfig: { ...file.modelConfig, class_name: 'MyModel' } })));
    expect(subclassed.message).toMatch(/holds a "MyModel" model; webgrad loads Sequential and Functional models/);
    // A Sequential's config under the name Functional lacks the graph (more: functional-graph.test.ts).
    const functional = await rejection(loadModel(await writeModelFile({ ...file, modelConfig: { ...file.modelConfig, class_name: 'Functional' } })));
    expect(functional.message).toMatch(/model config input_layers: expected \[layer_name, node_index, tensor_index\] \(or a list or dict of them\), found undefined/);
  });
});

test('loadWeights into another architecture names the layer and changes no weight', async () => {
  setSeed(1);
  const source = richModel();
  const target = new Sequential([new Dense(10, { inputShape: [12], name: 'a' }), new Dense(7, { name: 'b' })]);
  const before = (await target.getWeights()).map((w) => Array.from(w.data));
  const error = await rejection(target.loadWeights(await source.toBytes('weights.h5')));
  expect([error.code, error.message]).toEqual(['shape-mismatch', "model bytes: layer 'b' (Dense) weight 'kernel': expected shape [10, 7], found [10, 8] in the file (layers/dense_1/vars/0)"]);
  expect((await target.getWeights()).map((w) => Array.from(w.data))).toEqual(before);
  source.dispose();
  target.dispose();
});

describe('compile information', () => {
  test('a model saved uncompiled loads uncompiled, and fit asks for compile()', async () => {
    setSeed(1);
    const model = richModel();
    const [x, y] = richData(8);
    for (const format of ['h5', 'keras'] as const) {
      const loaded = await loadModel(await model.toBytes(format));
      expect(loaded.compiled).toBeNull();
      await expect(loaded.fit(x, y, { verbose: 0 })).rejects.toThrow(/must be compiled first/);
      loaded.dispose();
    }
    model.dispose();
  });

  test('{ compile: false } skips it; an optimizer the file names but webgrad lacks is named in a warning, and the model loads uncompiled', async () => {
    setSeed(1);
    const model = compileWith(richModel(), new SGD());
    expect((await loadModel(await model.toBytes('keras'), { compile: false })).compiled).toBeNull();
    const file = await modelToFile(model, 'h5');
    const ftrl = { ...file, trainingConfig: { ...file.trainingConfig, optimizer_config: { class_name: 'Ftrl', config: {} } } };
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const loaded = await loadModel(await writeModelFile(ftrl));
    expect(loaded.compiled).toBeNull();
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/model bytes: training_config optimizer: unknown optimizer 'Ftrl'.*loaded uncompiled/));
    loaded.dispose();
    model.dispose();
  });

  test('optimizer state that does not fit the optimizer is skipped with a warning, as in Keras', async () => {
    setSeed(1);
    const [x, y] = richData(8);
    const trained = compileWith(richModel(), new Adam());
    await trained.fit(x, y, { verbose: 0 });
    const other = compileWith(richModel(), new SGD({ momentum: 0.5 }));
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    await other.loadWeights(await trained.toBytes('weights.h5'));
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/skipping the optimizer state of model bytes for optimizer 'SGD' \(SGD\): it has 9 variables whereas the saved optimizer has 16/));
    expect(other.compiled?.optimizer.iterations).toBe(0);
    trained.dispose();
    other.dispose();
  });
});

describe('saving refuses', () => {
  test('an unknown extension, a weights path without .weights.h5, a custom activation function', async () => {
    setSeed(1);
    const model = richModel();
    const ext = await rejection(model.save('model.pt'));
    expect([ext.code, ext.message]).toEqual(['unknown-format', expect.stringMatching(/"model\.pt".*\.keras.*\.h5 or \.hdf5.*\.weights\.h5/)]);
    expect((await rejection(model.saveWeights('w.h5'))).message).toMatch(/"w\.h5" must end in \.weights\.h5/);
    model.dispose();
    const custom = new Sequential([new Dense(2, { inputShape: [3], activation: (t) => t })]);
    expect((await rejection(custom.toBytes('keras'))).message).toMatch(/Dense '.*': its activation is a custom function/);
    custom.dispose();
  });

  test('tf.keras 2 has no weight decay: AdamW goes to .keras, not .h5', async () => {
    setSeed(1);
    const model = compileWith(richModel(), new Adam({ weightDecay: 0.01 }));
    expect((await rejection(model.toBytes('h5'))).message).toMatch(/tf\.keras 2's \.h5 format has no weight_decay; save as \.keras/);
    expect((await loadModel(await model.toBytes('keras'))).compiled?.optimizer.weightDecay).toBe(0.01);
    model.dispose();
  });
});
