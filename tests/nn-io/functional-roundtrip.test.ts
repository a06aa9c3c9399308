// save -> load of a Functional model in the three formats: two inputs, two outputs with loss
// weights, Concatenate, Add and Multiply, a layer applied twice (shared weights), a Dropout
// fixed to training=false, trained for an epoch so the optimizer has state. The loaded model
// has the same graph, layer configs, weights and optimizer state bit for bit, the same compile
// information and predictions, and it continues training exactly as the original does.

import { beforeAll, describe, expect, test } from 'vitest';
import { NDArray } from '../../src/data/ndarray.ts';
import { ready } from '../../src/kernels/device.ts';
import { Dense } from '../../src/nn/layers/dense.ts';
import { Dropout } from '../../src/nn/layers/dropout.ts';
import { Input } from '../../src/nn/layers/input-layer.ts';
import { Add, Concatenate, Multiply } from '../../src/nn/layers/merge.ts';
import { Model } from '../../src/nn/model/model.ts';
import type { SaveFormat } from '../../src/io/model-files.ts';
import { loadModel } from '../../src/io/save.ts';
import { Adam } from '../../src/optim/adam.ts';
import type { Optimizer } from '../../src/optim/optimizer.ts';
import { SGD } from '../../src/optim/sgd.ts';
import { setSeed } from '../../src/tensor/random.ts';
import { tensor } from '../../src/tensor/create.ts';
import type { Tensor } from '../../src/tensor/tensor.ts';
import { bits, expectSameContinuation, weightBits } from './models.ts';

beforeAll(async () => {
  await ready();
});

/** Chapter 10's two-input, two-output Wide & Deep, with a shared layer, more merges and a frozen-mode Dropout. */
function wideDeep(): Model {
  const wide = Input({ shape: [5], name: 'wide_input' });
  const deep = Input({ shape: [6], name: 'deep_input' });
  const hidden1 = new Dense(8, { activation: 'relu', name: 'hidden1' }).apply(deep);
  const hidden2 = new Dense(5, { activation: 'relu', name: 'hidden2' }).apply(hidden1);
  const shared = new Dense(5, { activation: 'tanh', name: 'shared' });
  const twice = shared.apply(shared.apply(wide));
  const gated = new Multiply({ name: 'gate' }).apply([twice, hidden2]);
  const summed = new Add({ name: 'sum' }).apply([gated, wide]);
  const dropout = new Dropout(0.5, { name: 'drop' });
  const dropped = dropout.apply(hidden2);
  // Keras's dropout(hidden2, training=False): this call stays off even in fit().
  dropped.node.training = false;
  const concat = new Concatenate({ name: 'concat' }).apply([summed, dropped]);
  const main = new Dense(1, { name: 'main_output' }).apply(concat);
  const aux = new Dense(1, { name: 'aux_output' }).apply(hidden2);
  return new Model({ inputs: [wide, deep], outputs: [main, aux], name: 'wide_deep' });
}

function data(n: number): [NDArray[], NDArray[]] {
  const values = (k: number, f: (i: number) => number) => Float32Array.from({ length: n * k }, (_, i) => f(i));
  const wide = new NDArray(values(5, (i) => Math.sin(i * 0.7)), [n, 5]);
  const deep = new NDArray(values(6, (i) => Math.cos(i * 0.3)), [n, 6]);
  const y = new NDArray(values(1, (i) => Math.sin(i) + 0.5), [n, 1]);
  return [[wide, deep], [y, y]];
}

const [x, y] = data(32);
const fitOptions = { batchSize: 8, verbose: 0, seed: 4 } as const;

async function trained(optimizer: () => Optimizer): Promise<Model> {
  setSeed(11);
  const model = wideDeep();
  model.compile({ loss: ['mse', 'mae'], lossWeights: [0.9, 0.1], optimizer: optimizer() });
  await model.fit(x, y, { ...fitOptions, epochs: 1 });
  return model;
}

async function predictBits(m: Model): Promise<number[][]> {
  const out = (await m.predict(x)) as Tensor[];
  const got = await Promise.all(out.map(async (t) => bits(await t.data())));
  for (const t of out) t.dispose();
  return got;
}

/** The graph as its connections: each layer's calls by the names of what they take. */
const graphOf = (m: Model) => m.layers.map((l) => [l.name, l.className, l.getConfig(), l.inboundNodes.map((n) => [n.inputs.map((t) => t.name), n.training ?? null])]);

const cases: { format: SaveFormat; optimizer: () => Optimizer }[] = [
  { format: 'h5', optimizer: () => new SGD({ learningRate: 0.05, momentum: 0.9 }) },
  { format: 'keras', optimizer: () => new Adam({ learningRate: 0.002, amsgrad: true }) },
  { format: 'weights.h5', optimizer: () => new Adam({ learningRate: 0.003 }) },
];

describe.each(cases)('$format', ({ format, optimizer }) => {
  test('save -> load: same graph, configs, weights, optimizer state and predictions; training continues identically', async () => {
    const original = await trained(optimizer);
    const bytes = await original.toBytes(format);
    let loaded: Model;
    if (format === 'weights.h5') {
      loaded = wideDeep();
      loaded.compile({ loss: ['mse', 'mae'], lossWeights: [0.9, 0.1], optimizer: optimizer() });
      await loaded.loadWeights(bytes);
    } else {
      const m = await loadModel(bytes);
      expect(m).toBeInstanceOf(Model);
      loaded = m as Model;
      expect(loaded.name).toBe('wide_deep');
      expect(graphOf(loaded)).toEqual(graphOf(original));
      const [a, b] = [original.compiled!, loaded.compiled!];
      expect(b.outputs.map((o) => [o.name, o.loss?.name, o.weight])).toEqual(a.outputs.map((o) => [o.name, o.loss?.name, o.weight]));
      expect([b.optimizer.className, b.optimizer.getConfig()]).toEqual([a.optimizer.className, a.optimizer.getConfig()]);
    }
    expect(loaded.inputNames).toEqual(['wide_input', 'deep_input']);
    expect(await weightBits(loaded)).toEqual(await weightBits(original));
    expect((await loaded.compiled!.optimizer.getWeights()).map(bits)).toEqual((await original.compiled!.optimizer.getWeights()).map(bits));
    expect(await predictBits(loaded)).toEqual(await predictBits(original));
    await expectSameContinuation(original, loaded, (m) => m.fit(x, y, { ...fitOptions, epochs: 2 }));
  });
});

test('saved again, a loaded model writes the same .h5 bytes', async () => {
  const model = await trained(() => new SGD({ learningRate: 0.01 }));
  const h5 = await model.toBytes('h5');
  const again = (await loadModel(h5)) as Model;
  expect(await again.toBytes('h5')).toEqual(h5);
  again.dispose();
  model.dispose();
});

test("a Dropout call saved with training=false stays off when the loaded model trains (Keras's dropout(x, training=False))", async () => {
  const model = await trained(() => new SGD({ learningRate: 0.01 }));
  const loaded = (await loadModel(await model.toBytes('keras'))) as Model;
  const xs = x.map((a) => tensor(a.toFloat32(), a.shape));
  const run = async (training: boolean) => {
    const outs = loaded.forward(xs, training);
    const got = await Promise.all(outs.map(async (t) => bits(await t.data())));
    for (const t of outs) t.dispose();
    return got;
  };
  setSeed(3);
  expect(await run(true)).toEqual(await run(false));
  for (const t of xs) t.dispose();
  loaded.dispose();
  model.dispose();
});
