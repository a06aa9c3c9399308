// Optimizer configs in Keras's JSON form: getConfig writes Keras 3's keys, configs round
// trip through optimizerFromConfig (schedules included), getOptimizer resolves names as
// keras.optimizers.get does, and tf.keras 2 configs (lr, decay, jit_compile) load.
// Host-only: no GPU.

import { describe, expect, test } from 'vitest';
import {
  Adagrad,
  Adam,
  Adamax,
  AdamW,
  CosineDecay,
  getOptimizer,
  Nadam,
  type Optimizer,
  optimizerFromConfig,
  RMSprop,
  SGD,
  serializeOptimizer,
} from '../../src/optim/index.ts';

const KERAS_BASE = {
  weight_decay: null,
  clipnorm: null,
  global_clipnorm: null,
  clipvalue: null,
  use_ema: false,
  ema_momentum: 0.99,
  ema_overwrite_frequency: null,
  loss_scale_factor: null,
  gradient_accumulation_steps: null,
};

describe('getConfig matches Keras 3 defaults', () => {
  const expected: Array<[Optimizer, Record<string, unknown>]> = [
    [new SGD(), { name: 'SGD', learning_rate: 0.01, ...KERAS_BASE, momentum: 0, nesterov: false }],
    [
      new Adagrad(),
      { name: 'adagrad', learning_rate: 0.001, ...KERAS_BASE, initial_accumulator_value: 0.1, epsilon: 1e-7 },
    ],
    [
      new RMSprop(),
      { name: 'rmsprop', learning_rate: 0.001, ...KERAS_BASE, rho: 0.9, momentum: 0, epsilon: 1e-7, centered: false },
    ],
    [
      new Adam(),
      { name: 'adam', learning_rate: 0.001, ...KERAS_BASE, beta_1: 0.9, beta_2: 0.999, epsilon: 1e-7, amsgrad: false },
    ],
    [
      new AdamW(),
      {
        name: 'adamw',
        learning_rate: 0.001,
        ...KERAS_BASE,
        weight_decay: 0.004,
        beta_1: 0.9,
        beta_2: 0.999,
        epsilon: 1e-7,
        amsgrad: false,
      },
    ],
    [new Adamax(), { name: 'adamax', learning_rate: 0.001, ...KERAS_BASE, beta_1: 0.9, beta_2: 0.999, epsilon: 1e-7 }],
    [new Nadam(), { name: 'nadam', learning_rate: 0.001, ...KERAS_BASE, beta_1: 0.9, beta_2: 0.999, epsilon: 1e-7 }],
  ];
  for (const [opt, config] of expected) {
    test(opt.className, () => {
      expect(opt.getConfig()).toEqual(config);
      expect(Object.keys(opt.getConfig())).toEqual(Object.keys(config));
    });
  }
});

test('configs round-trip, schedules and legacy decay included', () => {
  const opts: Optimizer[] = [
    new SGD({ learningRate: 0.05, momentum: 0.9, nesterov: true, decay: 1e-4, clipnorm: 1, name: 'sgd_1' }),
    new RMSprop({ learningRate: 0.01, rho: 0.8, momentum: 0.5, centered: true, globalClipnorm: 2 }),
    new Adam({
      learningRate: new CosineDecay(0, 100, 0.1, 0.01, 10),
      amsgrad: true,
      clipvalue: 0.5,
      weightDecay: 0.01,
    }),
    new Nadam({ beta1: 0.8 }),
    new AdamW({ weightDecay: 0.1 }),
  ];
  for (const opt of opts) {
    const json = JSON.parse(JSON.stringify(serializeOptimizer(opt)));
    const back = optimizerFromConfig(json);
    expect(back.constructor).toBe(opt.constructor);
    expect(back.getConfig()).toEqual(opt.getConfig());
  }
  expect(opts[0].getConfig().decay).toBe(1e-4);
  expect((opts[2].getConfig().learning_rate as { class_name: string }).class_name).toBe('CosineDecay');
});

test('tf.keras 2 configs load; unsupported Keras features and unknown keys are errors', () => {
  const legacy = optimizerFromConfig({
    class_name: 'Custom>Adam',
    config: {
      name: 'Adam',
      lr: 0.002,
      decay: 0.0,
      beta_1: 0.9,
      beta_2: 0.999,
      epsilon: 1e-7,
      amsgrad: false,
      jit_compile: true,
      is_legacy_optimizer: false,
    },
  });
  expect(legacy).toBeInstanceOf(Adam);
  expect(legacy.learningRate).toBe(0.002);
  expect(optimizerFromConfig({ class_name: 'sgd', config: {} })).toBeInstanceOf(SGD);
  expect(() => optimizerFromConfig({ class_name: 'Adam', config: { use_ema: true } })).toThrow(
    /use_ema=true is not supported/,
  );
  expect(() => optimizerFromConfig({ class_name: 'SGD', config: { beta_1: 0.9 } })).toThrow(
    /SGD config: unknown key 'beta_1'/,
  );
  expect(() => optimizerFromConfig({ class_name: 'Adam', config: { learning_rate: 'fast' } })).toThrow(
    /learning_rate must be a number or a serialized schedule/,
  );
});

test('getOptimizer resolves names like keras.optimizers.get', () => {
  expect(getOptimizer('sgd')).toBeInstanceOf(SGD);
  expect(getOptimizer('RMSprop')).toBeInstanceOf(RMSprop);
  expect(getOptimizer('adamw')).toBeInstanceOf(AdamW);
  expect(getOptimizer('Nadam').learningRate).toBe(0.001);
  const mine = new Adamax();
  expect(getOptimizer(mine)).toBe(mine);
  expect(getOptimizer({ class_name: 'Adagrad', config: { learning_rate: 0.1 } }).learningRate).toBe(0.1);
  expect(() => getOptimizer('adadelta')).toThrow(
    "Unknown optimizer 'adadelta'. Did you mean 'adam'? Valid: sgd, adam, rmsprop, adagrad, nadam, adamax, adamw",
  );
  expect(() => new AdamW({ weightDecay: null })).toThrow(/AdamW: weight_decay must be a number/);
});
