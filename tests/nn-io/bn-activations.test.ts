// BatchNormalization, LeakyReLU, PReLU, ELU and the new activation names in model files:
// save -> load round trips in the three formats (configs, weights with the moving statistics,
// optimizer state and predictions bit for bit; training continues identically), the layout
// Keras writes (read back with jsfive, which shares no code with the writer), and configs
// as tf.keras 2 and Keras 3 write them.

import { unzipSync } from 'fflate';
import type { Group } from 'jsfive';
import { beforeAll, describe, expect, test } from 'vitest';
import type { KerasJson } from '../../src/io/model-file.ts';
import { ready } from '../../src/kernels/device.ts';
import { cloneModel } from '../../src/nn/model/clone.ts';
import { layerFromKeras, layerToKeras } from '../../src/io/config/layer-config.ts';
import { ELU, LeakyReLU, PReLU } from '../../src/nn/layers/activation-layers.ts';
import { BatchNormalization } from '../../src/nn/layers/batch-normalization.ts';
import { Dense } from '../../src/nn/layers/dense.ts';
import { Flatten } from '../../src/nn/layers/flatten.ts';
import type { SaveFormat } from '../../src/io/model-files.ts';
import { loadModel } from '../../src/io/save.ts';
import { Sequential } from '../../src/nn/model/sequential.ts';
import { Adam } from '../../src/optim/adam.ts';
import { setSeed } from '../../src/tensor/random.ts';
import { openJsfive, walk } from '../io/jsfive-reader.ts';
import { bits, compileWith, expectSameContinuation, richData, weightBits } from './models.ts';

beforeAll(async () => {
  await ready();
});

const [x, y] = richData(48);
const fitOptions = { batchSize: 16, verbose: 0, seed: 4 } as const;
const json = (v: unknown) => JSON.parse(v as string) as KerasJson;
const layersOf = (config: KerasJson) => ((config.config as KerasJson).layers as KerasJson[]).slice(1);
const list = (group: Group, name: string) => (group.attrs[name] as string[]).map((s) => s.replace(/\0+$/, ''));

function bnModel(): Sequential {
  return new Sequential(
    [
      new Flatten({ inputShape: [3, 4] }),
      new BatchNormalization({ name: 'bn_in', momentum: 0.9 }),
      new Dense(10, { name: 'hidden_1', kernelInitializer: 'he_normal' }),
      new LeakyReLU({ name: 'leaky', negativeSlope: 0.2 }),
      new Dense(8, { name: 'hidden_2', activation: 'gelu' }),
      new PReLU({ name: 'prelu', alphaInitializer: 'ones' }),
      new BatchNormalization({ name: 'bn_bare', center: false, scale: false, epsilon: 0.01 }),
      new Dense(8, { name: 'hidden_3', activation: 'silu' }),
      new ELU({ name: 'elu', alpha: 0.5 }),
      new Dense(4, { name: 'output', activation: 'softmax' }),
    ],
    { name: 'bn_model' },
  );
}

async function trained(): Promise<Sequential> {
  setSeed(11);
  const model = compileWith(bnModel(), new Adam({ learningRate: 0.01 }));
  await model.fit(x, y, { ...fitOptions, epochs: 1 });
  return model;
}


async function predictBits(m: Sequential): Promise<number[]> {
  const p = await m.predict(x);
  const out = bits(await p.data());
  p.dispose();
  return out;
}

describe.each(['h5', 'keras', 'weights.h5'] as SaveFormat[])('%s round trip', (format) => {
  test('configs, weights (moving statistics too), optimizer state and predictions bit for bit; training continues identically', async () => {
    const original = await trained();
    const bytes = await original.toBytes(format);
    const loaded = format === 'weights.h5' ? compileWith(cloneModel(original), new Adam({ learningRate: 0.01 })) : ((await loadModel(bytes)) as Sequential);
    if (format === 'weights.h5') await loaded.loadWeights(bytes);
    expect(loaded.layers.map((l) => [l.className, l.getConfig()])).toEqual(original.layers.map((l) => [l.className, l.getConfig()]));
    expect(await weightBits(loaded)).toEqual(await weightBits(original));
    expect((await loaded.compiled!.optimizer.getWeights()).map(bits)).toEqual((await original.compiled!.optimizer.getWeights()).map(bits));
    expect(await predictBits(loaded)).toEqual(await predictBits(original));
    await expectSameContinuation(original, loaded, (m) => m.fit(x, y, { ...fitOptions, epochs: 2 }));
  });
});

// The config keys of a BatchNormalization layer as tf.keras 2.x and Keras 3.10 wrote them
// (Keras 3.10's from the BN model in the shared corpus, NTU-DL-APP's model.h5).
const KERAS_BN_KEYS = [
  'name', 'trainable', 'dtype', 'axis', 'momentum', 'epsilon', 'center', 'scale', 'beta_initializer', 'gamma_initializer',
  'moving_mean_initializer', 'moving_variance_initializer', 'beta_regularizer', 'gamma_regularizer', 'beta_constraint', 'gamma_constraint',
];

describe("the layout Keras writes, read back with jsfive", () => {
  let model: Sequential;
  beforeAll(async () => {
    model = await trained();
  });

  test(".h5: weight names gamma:0, beta:0, moving_mean:0, moving_variance:0 in Keras's order; tf.keras 2 configs", async () => {
    const file = openJsfive(await model.toBytes('h5'));
    const weights = file.get('model_weights') as Group;
    expect(list(weights.get('bn_in') as Group, 'weight_names')).toEqual(['bn_in/gamma:0', 'bn_in/beta:0', 'bn_in/moving_mean:0', 'bn_in/moving_variance:0']);
    expect(list(weights.get('bn_bare') as Group, 'weight_names')).toEqual(['bn_bare/moving_mean:0', 'bn_bare/moving_variance:0']);
    expect(list(weights.get('prelu') as Group, 'weight_names')).toEqual(['prelu/alpha:0']);
    expect(list(weights.get('leaky') as Group, 'weight_names')).toEqual([]);
    const datasets = walk(file).filter((e) => typeof e !== 'string');
    expect(datasets).toContainEqual({ path: 'model_weights/bn_in/bn_in/moving_variance:0', dtype: '<f4', shape: [12] });
    const layers = layersOf(json(file.attrs.model_config));
    const bn = layers[1].config as KerasJson;
    expect(Object.keys(bn)).toEqual(KERAS_BN_KEYS);
    expect([bn.axis, bn.momentum, bn.epsilon, bn.gamma_initializer]).toEqual([[1], 0.9, 0.001, { class_name: 'Ones', config: {} }]);
    expect(layers[3].config).toEqual({ name: 'leaky', trainable: true, dtype: 'float32', alpha: 0.2 });
    expect((layers[4].config as KerasJson).activation).toBe('gelu');
    expect((layers[7].config as KerasJson).activation).toBe('swish'); // tf.keras 2's name for silu
    expect(layers[5].config).toEqual({
      name: 'prelu', trainable: true, dtype: 'float32', alpha_initializer: { class_name: 'Ones', config: {} }, alpha_regularizer: null, alpha_constraint: null, shared_axes: null,
    });
    expect(layers[8].config).toEqual({ name: 'elu', trainable: true, dtype: 'float32', alpha: 0.5 });
    // The moving statistics are not trained: no optimizer slots for them.
    const slots = list(file.get('optimizer_weights') as Group, 'weight_names');
    expect(slots.filter((n) => n.includes('bn_in/'))).toEqual(['adam/bn_in/gamma/m:0', 'adam/bn_in/beta/m:0', 'adam/bn_in/gamma/v:0', 'adam/bn_in/beta/v:0']);
  });

  test('.keras: vars 0..3 = gamma, beta, moving_mean, moving_variance per class-named group; Keras 3 configs', async () => {
    const entries = unzipSync(await model.toBytes('keras'));
    const datasets = walk(openJsfive(entries['model.weights.h5'])).filter((e) => typeof e !== 'string');
    expect(datasets.filter((d) => d.path.startsWith('layers/batch_normalization'))).toEqual([
      ...[0, 1, 2, 3].map((i) => ({ path: `layers/batch_normalization/vars/${i}`, dtype: '<f4', shape: [12] })),
      ...[0, 1].map((i) => ({ path: `layers/batch_normalization_1/vars/${i}`, dtype: '<f4', shape: [8] })),
    ]);
    expect(datasets.filter((d) => d.path.startsWith('layers/p_re_lu'))).toEqual([{ path: 'layers/p_re_lu/vars/0', dtype: '<f4', shape: [8] }]);
    const layers = layersOf(json(new TextDecoder().decode(entries['config.json'])));
    const bn = layers[1].config as KerasJson;
    expect(Object.keys(bn)).toEqual([...KERAS_BN_KEYS, 'synchronized']);
    expect([bn.axis, bn.synchronized, bn.beta_initializer]).toEqual([-1, false, { module: 'keras.initializers', class_name: 'Zeros', config: {}, registered_name: null }]);
    expect(layers[3]).toMatchObject({ module: 'keras.layers', class_name: 'LeakyReLU', config: { name: 'leaky', negative_slope: 0.2 } });
    expect(Object.keys(layers[3].config as KerasJson)).toEqual(['name', 'trainable', 'dtype', 'negative_slope']);
    expect((layers[7].config as KerasJson).activation).toBe('silu');
  });
});

describe('configs as Keras writes them', () => {
  const read = (className: string, config: KerasJson, version: 'keras2' | 'keras3' = 'keras3', inputShape: number[] | null = [6]) =>
    layerFromKeras({ class_name: className, config: { name: `${className.toLowerCase()}_x`, trainable: true, dtype: 'float32', ...config } }, 'test', inputShape, {}, version);

  test("tf.keras 2's BatchNormalization (axis as a list) and LeakyReLU (alpha)", () => {
    const bn = read('BatchNormalization', { axis: [1], momentum: 0.9, epsilon: 0.01, center: false, scale: true, gamma_initializer: { class_name: 'Ones', config: {} } }, 'keras2') as BatchNormalization;
    expect([bn.axis, bn.momentum, bn.epsilon, bn.center, bn.scale]).toEqual([[1], 0.9, 0.01, false, true]);
    bn.build([6]);
    expect(bn.axis).toBe(-1);
    expect(bn.weights.map((w) => w.name)).toEqual(['gamma', 'moving_mean', 'moving_variance']);
    bn.dispose();
    expect((read('LeakyReLU', { alpha: 0.1 }, 'keras2') as LeakyReLU).negativeSlope).toBe(0.1);
    expect((read('LeakyReLU', { negative_slope: 0.25 }) as LeakyReLU).negativeSlope).toBe(0.25);
    expect((read('LeakyReLU', {}) as LeakyReLU).negativeSlope).toBe(0.3);
    expect((read('PReLU', { shared_axes: [1] }) as PReLU).sharedAxes).toEqual([1]);
  });

  test("hard_sigmoid means each version's formula; a file cannot name the other's", () => {
    expect((read('Dense', { units: 2, activation: 'hard_sigmoid' }, 'keras2') as Dense).activation).toBe('hard_sigmoid_keras2');
    expect((read('Dense', { units: 2, activation: 'hard_sigmoid' }) as Dense).activation).toBe('hard_sigmoid');
    expect((read('Dense', { units: 2, activation: 'swish' }, 'keras2') as Dense).activation).toBe('silu');
    const keras3 = new Dense(2, { activation: 'hard_sigmoid' });
    expect(() => layerToKeras(keras3, 'keras2', [6], false)).toThrow(/differs from tf.keras 2's.*save as \.keras/);
    expect(layerToKeras(new Dense(2, { activation: 'hard_sigmoid_keras2' }), 'keras2', [6], false)).toMatchObject({ config: { activation: 'hard_sigmoid' } });
  });

  test("a file's Keras version decides: .h5 (tf.keras 2.4) and .keras (Keras 3.5) each reload their own hard_sigmoid", async () => {
    const model = (activation: 'hard_sigmoid' | 'hard_sigmoid_keras2') => new Sequential([new Dense(2, { activation, inputShape: [3] })]);
    const k2 = model('hard_sigmoid_keras2');
    const k3 = model('hard_sigmoid');
    const [l2, l3] = [await loadModel(await k2.toBytes('h5')), await loadModel(await k3.toBytes('keras'))];
    expect([(l2.layers[0] as Dense).activation, (l3.layers[0] as Dense).activation]).toEqual(['hard_sigmoid_keras2', 'hard_sigmoid']);
    await expect(k3.toBytes('h5')).rejects.toThrow(/save as \.keras/);
    for (const m of [k2, k3, l2, l3]) m.dispose();
  });

  test('what webgrad cannot honour is a named error', () => {
    expect(() => read('BatchNormalization', { renorm: true })).toThrow(/renorm=true/);
    expect(() => read('BatchNormalization', { center: 'yes' })).toThrow(/center must be true or false/);
    expect(() => read('PReLU', { shared_axes: 'all' })).toThrow(/shared_axes must be/);
    const bn = read('BatchNormalization', { axis: 1 }, 'keras3', null) as BatchNormalization;
    expect(() => new Sequential([bn], { name: 'bad_axis' }).build([4, 6])).toThrow(/normalizes the last axis only/);
  });
});
