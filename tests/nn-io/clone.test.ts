// cloneModel (Keras's clone_model): the same architecture and layer configs with fresh
// weights and nothing shared, so training the clone leaves the original alone, which
// reusing the original's layers in a new Sequential does not.

import { beforeAll, describe, expect, test } from 'vitest';
import { ready } from '../../src/kernels/device.ts';
import { cloneModel } from '../../src/nn/model/clone.ts';
import { Dense } from '../../src/nn/layers/dense.ts';
import { Sequential } from '../../src/nn/model/sequential.ts';
import { SGD } from '../../src/optim/sgd.ts';
import type { Tensor } from '../../src/tensor/tensor.ts';
import { setSeed } from '../../src/tensor/random.ts';
import { bits, compileWith, richData, richModel } from './models.ts';

beforeAll(async () => {
  await ready();
});

const [x, y] = richData(32);
const allBits = async (m: Sequential) => (await m.getWeights()).map((w) => bits(w.data as Float32Array));

describe('cloneModel', () => {
  test('same names and configs, fresh weights, no shared tensors, not compiled', async () => {
    setSeed(1);
    const model = compileWith(richModel(), new SGD());
    const clone = cloneModel(model);
    expect(clone.name).toBe(model.name);
    expect(clone.layers.map((l) => [l.className, l.getConfig()])).toEqual(model.layers.map((l) => [l.className, l.getConfig()]));
    expect(clone.inputShape).toEqual([3, 4]);
    expect(clone.compiled).toBeNull();
    expect(clone.layers.some((l, i) => l === model.layers[i])).toBe(false);
    const tensors = new Set(model.weights.map((w) => w.tensor));
    expect(clone.weights.some((w) => tensors.has(w.tensor))).toBe(false);
    // Fresh draws: every randomly initialized kernel differs; the seeded heUniform (seed 7)
    // and the constant bias initializer give the same values, as they do in Keras.
    const [a, b] = [await allBits(model), await allBits(clone)];
    const same = a.map((w, i) => w.every((v, j) => v === b[i][j]));
    const names = model.layers.flatMap((l) => l.weights.map((w) => `${l.name}/${w.name}`));
    expect(names.filter((_, i) => same[i])).toEqual(['hidden_1/bias', 'hidden_2/kernel', 'hidden_2/bias', 'frozen/bias', 'output/bias']);
    model.dispose();
    clone.dispose();
  });

  test('clone + setWeights is an independent copy; reused layers are shared', async () => {
    setSeed(2);
    const model = compileWith(richModel(), new SGD({ learningRate: 0.1 }));
    const original = await allBits(model);

    const copy = cloneModel(model);
    copy.setWeights(await model.getWeights());
    expect(await allBits(copy)).toEqual(original);
    await compileWith(copy, new SGD({ learningRate: 0.1 })).fit(x, y, { epochs: 1, verbose: 0 });
    expect(await allBits(copy)).not.toEqual(original);
    expect(await allBits(model)).toEqual(original);

    // Keras semantics: a new Sequential over the same layer objects trains them in place.
    const shared = new Sequential(model.layers.slice(0, -1));
    shared.add(new Dense(4, { activation: 'softmax' }));
    await compileWith(shared, new SGD({ learningRate: 0.1 })).fit(x, y, { epochs: 1, verbose: 0 });
    expect((await allBits(model)).slice(0, 2)).not.toEqual(original.slice(0, 2));
    copy.dispose();
    shared.dispose();
  });

  test('a custom activation function is carried over as it is', async () => {
    const identity = (t: Tensor) => t;
    const model = new Sequential([new Dense(3, { inputShape: [2], activation: identity, name: 'custom' })]);
    const clone = cloneModel(model);
    expect((clone.layers[0] as Dense).customActivation).toBe(identity);
    model.dispose();
    clone.dispose();
  });
});
