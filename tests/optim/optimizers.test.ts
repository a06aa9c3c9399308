// Every optimizer and option combination against the float64 Keras reference: 50 steps of a
// fixed gradient sequence on three variables, every step's weights compared at rtol 1e-5.

import { beforeAll, describe, expect, test } from 'vitest';
import { ready } from '../../src/kernels/device.ts';
import {
  Adagrad,
  Adam,
  Adamax,
  AdamW,
  CosineDecay,
  ExponentialDecay,
  Nadam,
  type Optimizer,
  PiecewiseConstantDecay,
  RMSprop,
  SGD,
} from '../../src/optim/index.ts';
import { tensor } from '../../src/tensor/create.ts';
import { expectStepsClose, gpuSteps, makeVariables, problem } from './harness.ts';
import { type RefOptions, referenceTrajectory } from './reference.ts';

beforeAll(async () => {
  await ready();
});

const cosineWarmup = (step: number) => {
  // Keras 3 CosineDecay(0.001, 30, alpha=0.1, warmup_target=0.02, warmup_steps=10), closed form.
  const s = Math.min(step, 40);
  if (s < 10) return 0.001 + (0.02 - 0.001) * (s / 10);
  return 0.02 * (0.9 * 0.5 * (1 + Math.cos((Math.PI * (s - 10)) / 30)) + 0.1);
};

const cases: Array<[string, () => Optimizer, RefOptions]> = [
  ['SGD', () => new SGD({ learningRate: 0.05 }), { rule: 'sgd', lr: 0.05 }],
  ['SGD momentum', () => new SGD({ learningRate: 0.02, momentum: 0.9 }), { rule: 'sgd', lr: 0.02, momentum: 0.9 }],
  [
    'SGD nesterov',
    () => new SGD({ learningRate: 0.02, momentum: 0.9, nesterov: true }),
    { rule: 'sgd', lr: 0.02, momentum: 0.9, nesterov: true },
  ],
  [
    'SGD decay (power scheduling)',
    () => new SGD({ learningRate: 0.05, decay: 0.05 }),
    { rule: 'sgd', lr: 0.05, decay: 0.05 },
  ],
  [
    'SGD momentum + weightDecay',
    () => new SGD({ learningRate: 0.02, momentum: 0.5, weightDecay: 0.1 }),
    { rule: 'sgd', lr: 0.02, momentum: 0.5, weightDecay: 0.1 },
  ],
  ['SGD clipnorm', () => new SGD({ learningRate: 0.05, clipnorm: 0.5 }), { rule: 'sgd', lr: 0.05, clipnorm: 0.5 }],
  [
    'SGD globalClipnorm',
    () => new SGD({ learningRate: 0.05, globalClipnorm: 1 }),
    { rule: 'sgd', lr: 0.05, globalClipnorm: 1 },
  ],
  [
    'SGD momentum clipvalue',
    () => new SGD({ learningRate: 0.02, momentum: 0.9, clipvalue: 0.3 }),
    { rule: 'sgd', lr: 0.02, momentum: 0.9, clipvalue: 0.3 },
  ],
  [
    'SGD ExponentialDecay schedule',
    () => new SGD({ learningRate: new ExponentialDecay(0.1, 10, 0.5) }),
    { rule: 'sgd', lr: (s) => 0.1 * 0.5 ** (s / 10) },
  ],
  [
    'SGD momentum PiecewiseConstantDecay',
    () => new SGD({ learningRate: new PiecewiseConstantDecay([10, 30], [0.05, 0.02, 0.005]), momentum: 0.9 }),
    { rule: 'sgd', momentum: 0.9, lr: (s) => (s <= 10 ? 0.05 : s <= 30 ? 0.02 : 0.005) },
  ],
  ['Adagrad', () => new Adagrad({ learningRate: 0.05 }), { rule: 'adagrad', lr: 0.05 }],
  [
    'Adagrad accumulator/epsilon + weightDecay',
    () => new Adagrad({ learningRate: 0.05, initialAccumulatorValue: 0.5, epsilon: 1e-3, weightDecay: 0.2 }),
    { rule: 'adagrad', lr: 0.05, initialAccumulatorValue: 0.5, epsilon: 1e-3, weightDecay: 0.2 },
  ],
  ['RMSprop', () => new RMSprop({ learningRate: 0.01 }), { rule: 'rmsprop', lr: 0.01 }],
  [
    'RMSprop momentum',
    () => new RMSprop({ learningRate: 0.01, momentum: 0.5, rho: 0.8 }),
    { rule: 'rmsprop', lr: 0.01, momentum: 0.5, rho: 0.8 },
  ],
  [
    'RMSprop centered',
    () => new RMSprop({ learningRate: 0.01, centered: true }),
    { rule: 'rmsprop', lr: 0.01, centered: true },
  ],
  [
    'RMSprop centered momentum clipvalue',
    () => new RMSprop({ learningRate: 0.01, centered: true, momentum: 0.9, clipvalue: 0.4 }),
    { rule: 'rmsprop', lr: 0.01, centered: true, momentum: 0.9, clipvalue: 0.4 },
  ],
  ['Adam', () => new Adam({ learningRate: 0.01 }), { rule: 'adam', lr: 0.01 }],
  ['Adam amsgrad', () => new Adam({ learningRate: 0.01, amsgrad: true }), { rule: 'adam', lr: 0.01, amsgrad: true }],
  [
    'Adam betas/epsilon clipnorm',
    () => new Adam({ learningRate: 0.01, beta1: 0.5, beta2: 0.9, epsilon: 1e-3, clipnorm: 0.7 }),
    { rule: 'adam', lr: 0.01, beta1: 0.5, beta2: 0.9, epsilon: 1e-3, clipnorm: 0.7 },
  ],
  [
    'Adam CosineDecay warmup schedule',
    () => new Adam({ learningRate: new CosineDecay(0.001, 30, 0.1, 0.02, 10) }),
    { rule: 'adam', lr: cosineWarmup },
  ],
  ['AdamW', () => new AdamW({ learningRate: 0.01, weightDecay: 0.1 }), { rule: 'adam', lr: 0.01, weightDecay: 0.1 }],
  [
    'AdamW default decay amsgrad',
    () => new AdamW({ learningRate: 0.01, amsgrad: true }),
    { rule: 'adam', lr: 0.01, weightDecay: 0.004, amsgrad: true },
  ],
  ['Adamax', () => new Adamax({ learningRate: 0.01 }), { rule: 'adamax', lr: 0.01 }],
  [
    'Adamax weightDecay globalClipnorm',
    () => new Adamax({ learningRate: 0.01, weightDecay: 0.05, globalClipnorm: 0.8 }),
    { rule: 'adamax', lr: 0.01, weightDecay: 0.05, globalClipnorm: 0.8 },
  ],
  ['Nadam', () => new Nadam({ learningRate: 0.01 }), { rule: 'nadam', lr: 0.01 }],
  [
    'Nadam globalClipnorm',
    () => new Nadam({ learningRate: 0.01, beta1: 0.8, globalClipnorm: 1 }),
    { rule: 'nadam', lr: 0.01, beta1: 0.8, globalClipnorm: 1 },
  ],
];

describe('optimizer trajectories match the float64 Keras reference', () => {
  const p = problem();
  for (const [label, make, ref] of cases) {
    test(label, async () => {
      const opt = make();
      const vars = makeVariables(p);
      const gpu = await gpuSteps(opt, vars, p);
      expectStepsClose(label, gpu, referenceTrajectory(ref, p.init, p.grads));
      expect(opt.iterations).toBe(p.grads.length);
      opt.dispose();
      for (const v of vars) v.dispose();
    });
  }
});

test('centered RMSprop stays finite (and still) where every gradient is 0', async () => {
  const w = tensor([0.5, -1, 2], [3]);
  const opt = new RMSprop({ learningRate: 0.1, centered: true, momentum: 0.9 });
  for (let i = 0; i < 5; i++) {
    const g = tensor([0, 0, 0], [3]);
    opt.applyGradients([[g, w]]);
    g.dispose();
  }
  expect(Array.from(await w.data())).toEqual([0.5, -1, 2]);
  opt.dispose();
  w.dispose();
});
