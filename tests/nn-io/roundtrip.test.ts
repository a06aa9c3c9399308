// save -> load for the three formats, on a model with every layer option webgrad saves,
// trained for an epoch so the optimizer has state: the loaded model has the same layer
// names and configs, the same weights and optimizer state bit for bit, the same compile
// information, the same predictions bit for bit, and it continues training exactly as the
// original does (same seed -> identical losses and weights).

import { beforeAll, describe, expect, test } from 'vitest';
import { ready } from '../../src/kernels/device.ts';
import { cloneModel } from '../../src/nn/model/clone.ts';
import type { SaveFormat } from '../../src/io/model-files.ts';
import { loadModel } from '../../src/io/save.ts';
import type { Sequential } from '../../src/nn/model/sequential.ts';
import { Adam } from '../../src/optim/adam.ts';
import type { Optimizer } from '../../src/optim/optimizer.ts';
import { SGD } from '../../src/optim/sgd.ts';
import { setSeed } from '../../src/tensor/random.ts';
import { bits, compileWith, expectSameContinuation, richData, richModel, weightBits } from './models.ts';

beforeAll(async () => {
  await ready();
});

const [x, y] = richData(64);
const fitOptions = { batchSize: 16, verbose: 0, seed: 4 } as const;

async function trained(optimizer: () => Optimizer): Promise<Sequential> {
  setSeed(11);
  const model = compileWith(richModel(), optimizer());
  await model.fit(x, y, { ...fitOptions, epochs: 1 });
  return model;
}


/** Predictions with the same seed (MCDropout is on at inference). */
async function predictBits(m: Sequential): Promise<number[]> {
  setSeed(5);
  const p = await m.predict(x);
  const out = bits(await p.data());
  p.dispose();
  return out;
}

const cases: { format: SaveFormat; optimizer: () => Optimizer }[] = [
  { format: 'h5', optimizer: () => new SGD({ learningRate: 0.05, momentum: 0.9, nesterov: true }) },
  { format: 'keras', optimizer: () => new Adam({ learningRate: 0.002, beta2: 0.99, amsgrad: true, clipnorm: 1 }) },
  { format: 'weights.h5', optimizer: () => new Adam({ learningRate: 0.003 }) },
];

describe.each(cases)('$format', ({ format, optimizer }) => {
  test('save -> load: same configs, weights, optimizer state and predictions; training continues identically', async () => {
    const original = await trained(optimizer);
    const bytes = await original.toBytes(format);
    // Weights only: build the same architecture, compile it, then load (the Keras 3 workflow).
    const loaded = format === 'weights.h5' ? compileWith(cloneModel(original), optimizer()) : ((await loadModel(bytes)) as Sequential);
    if (format === 'weights.h5') await loaded.loadWeights(bytes);

    expect(loaded.name).toBe('rich');
    expect(loaded.layers.map((l) => [l.className, l.getConfig()])).toEqual(original.layers.map((l) => [l.className, l.getConfig()]));
    expect(loaded.layers.map((l) => l.trainable)).toEqual([true, true, true, true, true, false, true, true, true, true]);
    expect(await weightBits(loaded)).toEqual(await weightBits(original));

    const [a, b] = [original.compiled!, loaded.compiled!];
    expect([b.loss.name, b.metrics.map((m) => m.name)]).toEqual([a.loss.name, a.metrics.map((m) => m.name)]);
    expect([b.optimizer.className, b.optimizer.getConfig()]).toEqual([a.optimizer.className, a.optimizer.getConfig()]);
    expect(b.optimizer.iterations).toBe(4);
    expect(b.optimizer.weightSpecs()).toEqual(a.optimizer.weightSpecs());
    expect((await b.optimizer.getWeights()).map(bits)).toEqual((await a.optimizer.getWeights()).map(bits));

    expect(await predictBits(loaded)).toEqual(await predictBits(original));

    await expectSameContinuation(original, loaded, (m) => m.fit(x, y, { ...fitOptions, epochs: 2 }));
  });
});

test('every layer config round-trips, a seeded Dropout included, in both schemas', async () => {
  setSeed(2);
  const model = richModel(1234);
  for (const format of ['h5', 'keras'] as const) {
    const loaded = await loadModel(await model.toBytes(format));
    expect(loaded.compiled).toBeNull();
    expect(loaded.getLayer('dropout').getConfig()).toEqual({ name: 'dropout', trainable: true, dtype: 'float32', rate: 0.2, noise_shape: null, seed: 1234 });
    expect(loaded.layers.map((l) => l.getConfig())).toEqual(model.layers.map((l) => l.getConfig()));
    loaded.dispose();
  }
  model.dispose();
});
