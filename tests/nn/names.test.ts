// Names as a Keras user writes them: snake_case (Keras) and camelCase resolve to the same
// thing, and an unknown name is an error that lists the valid names and suggests the closest.
import { beforeAll, describe, expect, test } from 'vitest';
import { Dense, getInitializer, ndarray, ready, Sequential, SGD } from '../../src/index.ts';
import { activateRef, denseRef, f32 } from './reference.ts';
import { expectClose } from '../util/check.ts';

beforeAll(async () => {
  await ready();
});

const compiled = (loss: string, metrics: string[] = [], optimizer: string | SGD = new SGD()) => {
  const m = new Sequential([new Dense(3, { activation: 'softmax', inputShape: [4] })]);
  m.compile({ optimizer, loss, metrics });
  return m;
};

describe('Keras names and camelCase', () => {
  test('losses: snake_case, camelCase and the mse/mae aliases', () => {
    const pairs = [
      ['sparse_categorical_crossentropy', 'sparseCategoricalCrossentropy'],
      ['categorical_crossentropy', 'categoricalCrossentropy'],
      ['binary_crossentropy', 'binaryCrossentropy'],
      ['mean_squared_error', 'meanSquaredError'],
      ['mean_squared_error', 'mse'],
      ['mean_absolute_error', 'meanAbsoluteError'],
      ['mean_absolute_error', 'mae'],
    ];
    for (const [keras, other] of pairs) {
      expect(compiled(other).compiled?.loss.name).toBe(keras);
      expect(compiled(keras).compiled?.loss).toBe(compiled(other).compiled?.loss);
    }
  });

  test("metrics: 'accuracy' resolves by loss; Keras and camelCase names", () => {
    expect(compiled('sparse_categorical_crossentropy', ['accuracy', 'sparseCategoricalAccuracy']).compiled?.metrics.map((m) => m.name)).toEqual([
      'accuracy',
      'sparse_categorical_accuracy',
    ]);
    expect(compiled('binaryCrossentropy', ['binary_accuracy', 'acc']).compiled?.metrics.map((m) => m.name)).toEqual(['binary_accuracy', 'acc']);
  });

  test('optimizers by name, any case', () => {
    for (const [name, cls] of [['sgd', 'SGD'], ['SGD', 'SGD'], ['adam', 'Adam'], ['RMSprop', 'RMSprop'], ['rmsprop', 'RMSprop'], ['Nadam', 'Nadam']]) {
      expect(compiled('mse', [], name).compiled?.optimizer.className).toBe(cls);
    }
  });

  test('initializers: he_normal, heNormal and HeNormal are one initializer', () => {
    for (const name of ['he_normal', 'heNormal', 'HeNormal']) expect(getInitializer(name).className).toBe('HeNormal');
    expect(getInitializer('glorotUniform').className).toBe('GlorotUniform');
  });

  test('activations: Keras names give the same layer output as the camelCase/any-case spelling', async () => {
    const x = f32(4 * 4, 2);
    const w = f32(4 * 3, 3);
    for (const name of ['SELU', 'Softplus', 'relu']) {
      const m = new Sequential([new Dense(3, { activation: name as 'relu', inputShape: [4] })]);
      m.setWeights([ndarray(w, [4, 3]), ndarray([0, 0, 0], [3])]);
      const y = await m.predict(ndarray(x, [4, 4]));
      expectClose(await y.data(), activateRef(name.toLowerCase(), denseRef(x, w, null, 4, 4, 3), 3), { atol: 1e-5, rtol: 1e-4 });
      y.dispose();
      m.dispose();
    }
  });
});

describe('unknown names list the valid ones and suggest the closest', () => {
  const cases: [string, () => unknown, string, string[]][] = [
    ['activation', () => new Dense(3, { activation: 'sellu' as 'selu' }), 'selu', ['relu', 'softmax', 'softplus']],
    ['loss', () => compiled('sparse_categorical_crossentropi'), 'sparse_categorical_crossentropy', ['mse', 'binary_crossentropy']],
    ['optimizer', () => compiled('mse', [], 'adamm'), 'adam', ['sgd', 'rmsprop', 'nadam']],
    ['initializer', () => getInitializer('he_normall'), 'he_normal', ['glorot_uniform', 'lecun_normal', 'truncated_normal']],
    ['metric', () => compiled('mse', ['acuracy']), 'accuracy', ['binary_accuracy', 'sparse_categorical_accuracy']],
  ];
  test.each(cases)('%s', (kind, make, closest, valid) => {
    let message = '';
    try {
      make();
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain(`Unknown ${kind}`);
    expect(message).toContain(`Did you mean '${closest}'?`);
    for (const v of valid) expect(message).toContain(v);
  });
});

test('default layer names skip names given explicitly (e.g. by a loaded model), so they never collide', () => {
  const first = new Dense(2).name; // 'dense' or 'dense_k'
  const k = first === 'dense' ? 0 : Number(first.split('_').at(-1));
  const explicit = new Dense(2, { name: `dense_${k + 1}` }).name;
  expect(explicit).toBe(`dense_${k + 1}`);
  expect(new Dense(2).name).toBe(`dense_${k + 2}`);
});
