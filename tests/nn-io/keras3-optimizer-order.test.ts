// Keras 3 keeps an optimizer's state by position, in the order its build() creates the
// variables: Adam's momentum and velocity variable by variable (m0, v0, m1, v1, ...), as the
// Keras 3.10 file of the corpus shows by name. Files webgrad writes follow that order, Keras 3
// legacy `.h5` files are restored by position as Keras 3 does, and a misplaced state is caught.

import { afterEach, beforeAll, expect, test, vi } from 'vitest';
import { readModelFile, writeModelFile } from '../../src/io/files.ts';
import { ready } from '../../src/kernels/device.ts';
import { Dense } from '../../src/nn/layers/dense.ts';
import { loadModel, modelToFile } from '../../src/io/save.ts';
import { Sequential } from '../../src/nn/model/sequential.ts';
import { Adam } from '../../src/optim/adam.ts';
import { Nadam } from '../../src/optim/nadam.ts';
import type { Optimizer } from '../../src/optim/optimizer.ts';
import { ndarray } from '../../src/data/ndarray.ts';
import { setSeed } from '../../src/tensor/random.ts';
import { FIXTURES, readBytes } from '../util/files.ts';

beforeAll(async () => {
  await ready();
});

afterEach(() => {
  vi.restoreAllMocks();
});

/** Dense 3 -> 4 -> 2, one step of `opt` taken, so every slot holds values. */
async function trained(opt: Optimizer): Promise<Sequential> {
  setSeed(5);
  const model = new Sequential([new Dense(4, { inputShape: [3], activation: 'relu' }), new Dense(2, { activation: 'softmax' })]);
  model.compile({ optimizer: opt, loss: 'sparse_categorical_crossentropy' });
  await model.fit(ndarray([1, 2, 3, -1, 0.5, 2], [2, 3]), ndarray([0, 1]), { verbose: 0, epochs: 2 });
  return model;
}

const shapes = (m: Sequential) => m.compiled!.trainable.map((w) => [...w.tensor.shape]);

test('the Keras 3.10 corpus file names its Adam state in that order: iteration, learning_rate, then momentum and velocity per variable', async () => {
  const file = await readModelFile(await readBytes(`${FIXTURES}/keras-corpus/NTU-DL-APP__dnn-inference-113C52002__model_model.h5`));
  const names = file.optimizerWeights.map((w) => w.name.replace(/^adam\/(sequential_)?/, ''));
  expect(names.slice(0, 6)).toEqual(['iteration', 'learning_rate', 'dense_kernel_momentum', 'dense_kernel_velocity', 'dense_bias_momentum', 'dense_bias_velocity']);
});

test('Adam state in .keras: written in Keras 3 order and read back exactly', async () => {
  const model = await trained(new Adam({ learningRate: 0.01 }));
  const records = (await modelToFile(model, 'keras')).optimizerWeights;
  const [k1, b1, k2, b2] = shapes(model);
  expect(records.map((r) => r.shape)).toEqual([[], [], k1, k1, b1, b1, k2, k2, b2, b2]);
  // vars/2 and vars/3 are the first kernel's momentum and velocity (webgrad lists all momentums first).
  const state = await model.compiled!.optimizer.getWeights();
  expect([records[2].data, records[3].data]).toEqual([state[2], state[6]]);
  const loaded = await loadModel(await model.toBytes('keras'));
  expect(await loaded.compiled!.optimizer.getWeights()).toEqual(state);
  model.dispose();
  loaded.dispose();
});

test("a Keras 3 legacy .h5 (Keras's names, by position) restores Adam's state; Nadam's u_product moved after the slots in Keras 3.10", async () => {
  for (const [opt, version] of [[new Adam({ learningRate: 0.01 }), '3.10.0'], [new Nadam(), '3.10.0'], [new Nadam(), '3.5.0']] as const) {
    const model = await trained(opt);
    const file = await modelToFile(model, 'keras');
    const state = await model.compiled!.optimizer.getWeights();
    // Nadam: webgrad's own .keras (3.5.0) puts u_product right after learning_rate.
    const records = file.optimizerWeights.map((r, i) => ({ ...r, name: `opt/var_${i}` }));
    if (opt instanceof Nadam && version === '3.10.0') records.push(records.splice(2, 1)[0]);
    const h5 = await writeModelFile({ ...file, format: 'h5', kerasVersion: version, optimizerWeights: records, layers: file.layers.map((l, i) => ({ ...l, weights: l.weights.map((w, j) => ({ ...w, name: `${model.layers[i].name}/w${j}` })) })) });
    const warn = vi.spyOn(console, 'warn');
    const loaded = await loadModel(h5);
    expect(warn).not.toHaveBeenCalled();
    expect(await loaded.compiled!.optimizer.getWeights()).toEqual(state);
    model.dispose();
    loaded.dispose();
  }
});

test('state in another order (slot by slot) does not fit its shapes: skipped with a warning, never loaded misplaced', async () => {
  const model = await trained(new Adam());
  const file = await modelToFile(model, 'keras');
  const slotBySlot = await model.compiled!.optimizer.getWeights();
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  const records = slotBySlot.map((data, i) => ({ ...file.optimizerWeights[i], data, shape: i < 2 ? [] : shapes(model)[(i - 2) % 4] }));
  const loaded = await loadModel(await writeModelFile({ ...file, optimizerWeights: records }));
  expect(warn).toHaveBeenCalledWith(expect.stringMatching(/skipping the optimizer state .* its state '\w+_bias_momentum' has shape \[4\] but the file holds 8 values/));
  expect(loaded.compiled!.optimizer.iterations).toBe(0);
  model.dispose();
  loaded.dispose();
});
