// The five real Functional files of shared/fixtures/keras-functional (tf.keras 2.2.4-tf and
// 2.4 `.h5`, tf.keras 2.13 `.keras` from Windows, Keras 3.10 `.keras`, Keras 3.12 `.h5`),
// each loaded with loadModel's DEFAULT options: a Model whose inputs are in input_layers
// order, predicting fixtures.json's NumPy figures within float32 tolerance, and compiled as
// its file says (or, where webgrad cannot rebuild the compile information, loaded
// uncompiled with a warning naming why). Both projects.

import { afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import { NDArray } from '../../src/data/ndarray.ts';
import { ModelFileError } from '../../src/io/errors.ts';
import { readModelFile, writeModelFile } from '../../src/io/files.ts';
import type { KerasJson } from '../../src/io/model-file.ts';
import { ready } from '../../src/kernels/device.ts';
import { memory } from '../../src/kernels/runtime.ts';
import { Model } from '../../src/nn/model/model.ts';
import { loadModel } from '../../src/io/save.ts';
import type { Tensor } from '../../src/tensor/tensor.ts';
import { rejectsWith } from '../util/expect-error.ts';
import { readBytes } from '../util/files.ts';
import { FUNCTIONAL_DIR, functionalFixtures } from '../util/functional-fixtures.ts';

const DIR = FUNCTIONAL_DIR;
const fixtures = await functionalFixtures();

/** What each file's compile information becomes: the losses and their weights (null: none given), and any warning. */
const COMPILED: Record<string, { losses: string[]; weights: (number | null)[]; warning?: RegExp } | RegExp> = {
  // tf.keras 2.2.4-tf's metrics ["mse", "mse"]: webgrad has no mse metric, so the model loads uncompiled.
  'Kuz-man__hands-on-machine-learning-with-scikit-learn-keras-and-tensorflow__my_keras_model.h5': /training_config: Unknown metric 'mse'.*The model is loaded uncompiled/,
  'rogersaloo__example__functional_model.h5': { losses: ['mean_squared_error', 'mean_squared_error'], weights: [0.9, 0.1] },
  // Saved frozen after training: the Adam state of 6 variables has no trainable weight to go to (Keras skips it too).
  'ediashta__HaiMeds-Churn-Prediction__functional_model.keras': {
    losses: ['binary_crossentropy'],
    weights: [null],
    warning: /skipping the optimizer state .* it has 2 variables whereas the saved optimizer has 13/,
  },
  'keshaviscool__learning_ml__callback_tester_model.keras': { losses: ['mean_squared_error'], weights: [null] },
  'LAMTI-Karim__deep-learning-keras-experiments__my_keras_model.h5': { losses: ['mean_squared_error', 'mean_squared_error'], weights: [0.9, 0.1] },
};

beforeAll(async () => {
  await ready();
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe.each(fixtures)('$file (Keras $keras_version)', (fx) => {
  test('loads with the default options and predicts its NumPy figures', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const model = await loadModel(await readBytes(`${DIR}/${fx.file}`));
    expect(model).toBeInstanceOf(Model);
    const m = model as Model;
    expect(m.inputNames).toEqual(fx.inputs.map((i) => i.layer));
    expect(m.outputNames).toEqual(fx.outputs.map((o) => o.layer));
    const xs = fx.inputs.map((i) => new NDArray(Float32Array.from(i.data), i.shape));
    const out = await m.predict(xs);
    const outs: Tensor[] = Array.isArray(out) ? out : [out];
    expect(outs.length).toBe(fx.outputs.length);
    for (const [k, o] of fx.outputs.entries()) {
      expect(outs[k].shape).toEqual(o.shape);
      const got = await outs[k].data();
      const err = Math.max(...o.predictions.map((p, i) => Math.abs(got[i] - p) / Math.max(1, Math.abs(p))));
      expect(err, `${o.layer}`).toBeLessThan(1e-5);
      outs[k].dispose();
    }
    const expected = COMPILED[fx.file];
    if (expected instanceof RegExp) {
      expect(m.compiled).toBeNull();
      expect(warn).toHaveBeenCalledWith(expect.stringMatching(expected));
    } else {
      if (expected.warning) expect(warn).toHaveBeenCalledWith(expect.stringMatching(expected.warning));
      else expect(warn).not.toHaveBeenCalled();
      expect(m.compiled!.outputs.map((o) => o.loss?.name)).toEqual(expected.losses);
      expect(m.compiled!.outputs.map((o) => o.weight)).toEqual(expected.weights);
    }
    m.dispose();
  });
});

test('tf.keras 2.13 saved the model with trainable=false: every layer is frozen, as Keras loads it', async () => {
  const model = (await loadModel(await readBytes(`${DIR}/ediashta__HaiMeds-Churn-Prediction__functional_model.keras`))) as Model;
  expect(model.layers.map((l) => l.trainable)).toEqual([false, false, false, false, false]);
  expect(model.trainableWeights).toEqual([]);
  model.dispose();
});

describe('a damaged Functional file: loadModel rejects with a ModelFileError naming the problem, and frees what it built', () => {
  const FILE = 'rogersaloo__example__functional_model.h5';
  /** The fixture with its model_config changed by `damage` (layers: deep_input, dense_10, wide_input, dense_11, concatenate_2, main_output, aux_output). */
  async function damaged(damage: (layers: KerasJson[], config: KerasJson) => void): Promise<Uint8Array> {
    const file = await readModelFile(await readBytes(`${DIR}/${FILE}`), FILE);
    const config = file.modelConfig.config as KerasJson;
    damage(config.layers as KerasJson[], config);
    return writeModelFile(file);
  }
  const cases: [string, (layers: KerasJson[], config: KerasJson) => void, RegExp][] = [
    ['an unknown inbound layer', (l) => (l[3].inbound_nodes = [[['dense_99', 0, 0, {}]]]), /layers\[3\] \('dense_11'\) inbound_nodes\[0\]: \['dense_99', 0, 0\] names an unknown layer 'dense_99'/],
    ['a cycle', (l) => (l[1].inbound_nodes = [[['dense_11', 0, 0, {}]]]), /the layers 'dense_10', 'dense_11', 'concatenate_2', 'main_output', 'aux_output' wait on each other's outputs \(a cycle/],
    ['a missing input', (_, c) => (c.input_layers = [['wide_input', 0, 0]]), /the outputs depend on the InputLayer\(s\) 'deep_input', which input_layers does not list/],
    ['weights that do not fit the graph', (l) => (l[4].inbound_nodes = [[['wide_input', 0, 0, {}], ['dense_10', 0, 0, {}], ['dense_11', 0, 0, {}]]]), /layer 'main_output' \(Dense\) weight 'kernel': expected shape \[65, 1\], found \[35, 1\]/],
  ];
  test.each(cases)('%s', async (_, damage, message) => {
    const bytes = await damaged(damage);
    const before = memory().bytesInUse;
    const e = await rejectsWith(loadModel(bytes), ModelFileError);
    expect(e.message).toMatch(message);
    expect(memory().bytesInUse).toBe(before);
  });
});
