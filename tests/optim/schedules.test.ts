// Learning-rate schedules: values at listed steps equal Keras's formulas (written out here
// by hand), staircase and piecewise boundaries, cosine warmup, the 1cycle shape, config
// round trips and argument errors. Host-only: no GPU.

import { describe, expect, test } from 'vitest';
import {
  CosineDecay,
  ExponentialDecay,
  InverseTimeDecay,
  type LearningRateSchedule,
  OneCycle,
  PiecewiseConstantDecay,
  PolynomialDecay,
  scheduleFromConfig,
} from '../../src/optim/index.ts';

function expectValues(s: LearningRateSchedule, table: Array<[step: number, lr: number]>): void {
  for (const [step, lr] of table) expect(s.call(step), `${s.className} at step ${step}`).toBeCloseTo(lr, 12);
}

describe('Keras schedules', () => {
  test('ExponentialDecay, continuous and staircase', () => {
    expectValues(new ExponentialDecay(0.1, 10, 0.5), [
      [0, 0.1],
      [5, 0.1 * 0.5 ** 0.5],
      [10, 0.05],
      [25, 0.1 * 0.5 ** 2.5],
    ]);
    expectValues(new ExponentialDecay(0.1, 10, 0.5, true), [
      [0, 0.1],
      [9, 0.1],
      [10, 0.05],
      [19, 0.05],
      [20, 0.025],
    ]);
    // The seed: s = 20 epochs of steps; the rate is divided by 10 every s steps.
    const s = (20 * 55000) / 32;
    expectValues(new ExponentialDecay(0.01, s, 0.1), [
      [s, 0.001],
      [2 * s, 0.0001],
    ]);
  });

  test('InverseTimeDecay, continuous and staircase', () => {
    expectValues(new InverseTimeDecay(0.1, 10, 0.5), [
      [0, 0.1],
      [5, 0.1 / 1.25],
      [10, 0.1 / 1.5],
    ]);
    expectValues(new InverseTimeDecay(0.1, 10, 0.5, true), [
      [9, 0.1],
      [10, 0.1 / 1.5],
      [29, 0.1 / 2],
    ]);
  });

  test('PiecewiseConstantDecay: values[i] while step <= boundaries[i]', () => {
    expectValues(new PiecewiseConstantDecay([100000, 110000], [1.0, 0.5, 0.1]), [
      [0, 1],
      [100000, 1],
      [100001, 0.5],
      [110000, 0.5],
      [110001, 0.1],
      [1e9, 0.1],
    ]);
  });

  test('PolynomialDecay, capped and cycling', () => {
    const f = (p: number) => 0.09 * (1 - p) ** 0.5 + 0.01;
    expectValues(new PolynomialDecay(0.1, 100, 0.01, 0.5), [
      [0, 0.1],
      [50, f(0.5)],
      [100, 0.01],
      [150, 0.01],
    ]);
    expectValues(new PolynomialDecay(0.1, 100, 0.01, 0.5, true), [
      [0, 0.1],
      [100, 0.01],
      [150, f(0.75)],
      [201, f(201 / 300)],
    ]);
    expectValues(new PolynomialDecay(0.1, 10), [[5, (0.1 - 0.0001) * 0.5 + 0.0001]]);
  });

  test('CosineDecay, without and with warmup', () => {
    expectValues(new CosineDecay(1, 100, 0.1), [
      [0, 1],
      [50, 0.55],
      [100, 0.1],
      [200, 0.1],
    ]);
    expectValues(new CosineDecay(0, 100, 0, 0.1, 10), [
      [0, 0],
      [5, 0.05],
      [10, 0.1],
      [60, 0.05],
      [110, 0],
      [500, 0],
    ]);
    // A warmup target without warmup steps: the decay starts from the target.
    expectValues(new CosineDecay(1, 100, 0, 2), [
      [0, 2],
      [50, 1],
    ]);
  });
});

test('OneCycle: up to maxRate, back to startRate, then down to lastRate (Hands-On ML)', () => {
  const s = new OneCycle(100, 0.1);
  expect([s.startRate, s.lastIterations, s.halfIteration, s.lastRate]).toEqual([0.01, 11, 44, 0.01 / 1000]);
  expectValues(s, [
    [0, 0.01],
    [22, 0.055],
    [44, 0.1],
    [66, 0.055],
    [88, 0.01],
    [94, 0.01 + ((0.00001 - 0.01) * 6) / 12],
    [100, 0.00001],
    [150, 0.00001],
  ]);
  const rates = Array.from({ length: 101 }, (_, i) => s.call(i));
  expect(Math.max(...rates)).toBeCloseTo(0.1, 12);
  for (let i = 1; i <= 100; i++) {
    if (i <= 44) expect(rates[i]).toBeGreaterThan(rates[i - 1]);
    else expect(rates[i]).toBeLessThan(rates[i - 1]);
  }
  const custom = new OneCycle(40, 1, { startRate: 0.5, lastIterations: 10, lastRate: 0.01 });
  expectValues(custom, [
    [0, 0.5],
    [15, 1],
    [30, 0.5],
    [40, 0.01],
  ]);
});

test('schedules round-trip through their Keras JSON form', () => {
  const all: LearningRateSchedule[] = [
    new ExponentialDecay(0.01, 1000, 0.1, true),
    new InverseTimeDecay(0.1, 10, 0.5),
    new PiecewiseConstantDecay([5, 10], [0.1, 0.01, 0.001]),
    new PolynomialDecay(0.1, 100, 0.01, 2, true),
    new CosineDecay(0, 100, 0.1, 0.1, 10),
    new OneCycle(100, 0.1),
  ];
  for (const s of all) {
    const json = JSON.parse(JSON.stringify(s.serialize()));
    const back = scheduleFromConfig(json);
    expect(back.getConfig()).toEqual(s.getConfig());
    for (const step of [0, 3, 7, 50, 150]) expect(back.call(step)).toBe(s.call(step));
  }
  expect(new ExponentialDecay(0.01, 1000, 0.1).serialize()).toEqual({
    module: 'keras.optimizers.schedules',
    class_name: 'ExponentialDecay',
    config: {
      initial_learning_rate: 0.01,
      decay_steps: 1000,
      decay_rate: 0.1,
      staircase: false,
      name: 'ExponentialDecay',
    },
    registered_name: null,
  });
  expect(() => scheduleFromConfig({ class_name: 'StepDecay', config: {} })).toThrow(
    /unknown learning-rate schedule 'StepDecay'; known: ExponentialDecay/,
  );
  expect(() =>
    scheduleFromConfig({
      class_name: 'ExponentialDecay',
      config: { initial_learning_rate: 0.1, decay_steps: 1, decay_rate: 0.5, rate: 2 },
    }),
  ).toThrow(/unknown key\(s\) rate/);
  expect(() =>
    scheduleFromConfig({
      class_name: 'ExponentialDecay',
      config: { initial_learning_rate: '0.1', decay_steps: 1, decay_rate: 0.5 },
    }),
  ).toThrow(/'initial_learning_rate' must be a number/);
});

test('bad schedule arguments are errors that name them', () => {
  expect(() => new ExponentialDecay(0.1, 0, 0.5)).toThrow(/decay_steps must be a finite number > 0, got 0/);
  expect(() => new PolynomialDecay(0.1, -5)).toThrow(/decay_steps/);
  expect(() => new PiecewiseConstantDecay([1, 2], [0.1, 0.2])).toThrow(/one more element than boundaries/);
  expect(() => new PiecewiseConstantDecay([2, 1], [0.1, 0.2, 0.3])).toThrow(/strictly increasing/);
  expect(() => new CosineDecay(0.1, 10, 0, null, 2.5)).toThrow(/warmup_steps must be an integer/);
  expect(() => new OneCycle(0, 0.1)).toThrow(/iterations/);
  expect(() => new OneCycle(100, Number.NaN)).toThrow(/max_rate/);
});
