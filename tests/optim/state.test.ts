// Optimizer state and bookkeeping: getWeights/setWeights continue the same trajectory,
// slot names and order follow Keras's `variables`, one dispatch per variable per step
// (+ one norm dispatch per gradient when clipping by norm), no leaks, tidy-safe slots,
// learning rate changes between steps, and errors that name the bad input.

import { beforeAll, describe, expect, test } from 'vitest';
import { ready } from '../../src/kernels/device.ts';
import { memory, runtimeStats } from '../../src/kernels/runtime.ts';
import { Adagrad, Adam, ExponentialDecay, Nadam, type Optimizer, RMSprop, SGD } from '../../src/optim/index.ts';
import { tensor } from '../../src/tensor/create.ts';
import { tidy } from '../../src/tensor/memory.ts';
import type { Tensor } from '../../src/tensor/tensor.ts';
import { expectStepsClose, gpuSteps, makeVariables, problem, SHAPES } from './harness.ts';
import { type RefOptions, referenceTrajectory } from './reference.ts';

beforeAll(async () => {
  await ready();
});

const p = problem();

function step(opt: Optimizer, vars: Tensor[], t: number): void {
  const grads = p.grads[t].map((g, k) => tensor(g, SHAPES[k]));
  opt.applyGradients(grads.map((g, k) => [g, vars[k]] as const));
  for (const g of grads) g.dispose();
}

describe('getWeights / setWeights continue the same trajectory', () => {
  const cases: Array<[string, () => Optimizer, RefOptions]> = [
    ['SGD momentum', () => new SGD({ learningRate: 0.02, momentum: 0.9 }), { rule: 'sgd', lr: 0.02, momentum: 0.9 }],
    ['Adagrad', () => new Adagrad({ learningRate: 0.05 }), { rule: 'adagrad', lr: 0.05 }],
    [
      'RMSprop centered momentum',
      () => new RMSprop({ learningRate: 0.01, centered: true, momentum: 0.5 }),
      { rule: 'rmsprop', lr: 0.01, centered: true, momentum: 0.5 },
    ],
    ['Adam amsgrad', () => new Adam({ learningRate: 0.01, amsgrad: true }), { rule: 'adam', lr: 0.01, amsgrad: true }],
    ['Nadam', () => new Nadam({ learningRate: 0.01 }), { rule: 'nadam', lr: 0.01 }],
  ];
  for (const [label, make, ref] of cases) {
    test(label, async () => {
      const first = make();
      const vars = makeVariables(p);
      await gpuSteps(first, vars, p, 0, 20);
      const saved = await first.getWeights();
      first.dispose();
      // A fresh optimizer on copies of the variables, loaded with the saved state.
      const copies: Tensor[] = [];
      for (const [k, v] of vars.entries()) {
        const c = tensor(await v.data(), SHAPES[k]);
        c.name = v.name;
        copies.push(c);
      }
      const second = make();
      second.build(copies);
      second.setWeights(saved);
      expect(second.iterations).toBe(20);
      const rest = await gpuSteps(second, copies, p, 20, 50);
      expectStepsClose(label, rest, referenceTrajectory(ref, p.init, p.grads).slice(20));
      second.dispose();
      for (const t of [...vars, ...copies]) t.dispose();
    });
  }
});

test("weightSpecs name the state in Keras's `variables` order", async () => {
  const opt = new Adam({ learningRate: 0.01, amsgrad: true });
  const vars = makeVariables(p);
  step(opt, vars, 0);
  const names = opt.weightSpecs().map((s) => s.name);
  const slot = (name: string) => vars.map((_, k) => `layer${k}_kernel_${name}`);
  expect(names).toEqual([
    'iteration',
    'learning_rate',
    ...slot('momentum'),
    ...slot('velocity'),
    ...slot('velocity_hat'),
  ]);
  expect(opt.weightSpecs()[2].shape).toEqual([3, 4]);
  const w = await opt.getWeights();
  expect(w.map((a) => a.length)).toEqual([1, 1, 12, 5, 300, 12, 5, 300, 12, 5, 300]);
  expect(w[0][0]).toBe(1);
  expect(w[1][0]).toBeCloseTo(0.01, 7);
  // After one Adam step m = (1−β1)·g.
  expect(w[3][0]).toBeCloseTo(0.1 * p.grads[0][1][0], 6);

  const nadam = new Nadam();
  nadam.build(vars);
  expect(
    nadam
      .weightSpecs()
      .map((s) => s.name)
      .at(-1),
  ).toBe('u_product');
  const sgd = new SGD({ learningRate: new ExponentialDecay(0.1, 10, 0.5) });
  sgd.build(vars);
  expect(sgd.weightSpecs().map((s) => s.name)).toEqual(['iteration']);
  // Slots for a variable the optimizer has not been built on: the error says to build first.
  expect(() => new SGD({ momentum: 0.5 }).setWeights([[0], [0.01], [1, 2, 3]])).toThrow(
    /expected 2 arrays.*call build\(variables\) first/,
  );
  expect(() => nadam.setWeights([[0], [0.001], [1, 2]])).toThrow(/expected/);
  for (const o of [opt, nadam, sgd]) o.dispose();
  for (const v of vars) v.dispose();
});

describe('one fused dispatch per variable per step', () => {
  const cases: Array<[string, () => Optimizer, number]> = [
    ['SGD', () => new SGD(), 3],
    ['SGD momentum clipvalue', () => new SGD({ momentum: 0.9, clipvalue: 0.1 }), 3],
    ['RMSprop centered momentum', () => new RMSprop({ centered: true, momentum: 0.9 }), 3],
    ['Adam clipnorm', () => new Adam({ clipnorm: 1 }), 6],
    ['Nadam globalClipnorm', () => new Nadam({ globalClipnorm: 1 }), 6],
  ];
  for (const [label, make, want] of cases) {
    test(label, () => {
      const opt = make();
      const vars = makeVariables(p);
      step(opt, vars, 0); // the first step also fills the new slots
      const before = runtimeStats().dispatches;
      step(opt, vars, 1);
      expect(runtimeStats().dispatches - before).toBe(want);
      opt.dispose();
      for (const v of vars) v.dispose();
    });
  }
});

test('no leaks: memory is the same after step 10 and step 50, and back to the start after dispose', async () => {
  const start = memory();
  const opt = new Adam({ learningRate: 0.01, globalClipnorm: 1, weightDecay: 0.01 });
  const vars = makeVariables(p);
  let at10 = memory();
  for (let t = 0; t < 50; t++) {
    step(opt, vars, t);
    if (t === 9) {
      await vars[0].data();
      at10 = memory();
    }
  }
  await vars[0].data();
  const at50 = memory();
  expect(at50.bytesInUse).toBe(at10.bytesInUse);
  expect(at50.buffersInUse).toBe(at10.buffersInUse);
  opt.dispose();
  for (const v of vars) v.dispose();
  expect(memory().bytesInUse).toBe(start.bytesInUse);
  expect(memory().buffersInUse).toBe(start.buffersInUse);
});

test('slots survive a tidy scope around applyGradients', async () => {
  const opt = new SGD({ learningRate: 0.02, momentum: 0.9 });
  const vars = makeVariables(p);
  for (let t = 0; t < 3; t++) {
    tidy(() => {
      const grads = p.grads[t].map((g, k) => tensor(g, SHAPES[k]));
      opt.applyGradients(grads.map((g, k) => [g, vars[k]] as const));
    });
  }
  const ref = referenceTrajectory({ rule: 'sgd', lr: 0.02, momentum: 0.9 }, p.init, p.grads.slice(0, 3));
  const got = await Promise.all(vars.map((v) => v.data()));
  got.forEach((w, k) => w.forEach((x, i) => expect(x).toBeCloseTo(ref[2][k][i], 5)));
  expect((await opt.getWeights()).length).toBe(5);
  opt.dispose();
  for (const v of vars) v.dispose();
});

test('the learning rate can change between steps; a schedule is read at `iterations`', async () => {
  const opt = new SGD({ learningRate: 0.05, momentum: 0.5 });
  const vars = makeVariables(p);
  const a = await gpuSteps(opt, vars, p, 0, 10);
  opt.learningRate = 0.01;
  expect(opt.learningRate).toBe(0.01);
  const b = await gpuSteps(opt, vars, p, 10, 20);
  const ref = referenceTrajectory(
    { rule: 'sgd', momentum: 0.5, lr: (s) => (s < 10 ? 0.05 : 0.01) },
    p.init,
    p.grads.slice(0, 20),
  );
  expectStepsClose(
    'lr change',
    a.map((steps, k) => [...steps, ...b[k]]),
    ref,
  );

  const scheduled = new SGD({ learningRate: new ExponentialDecay(0.1, 10, 0.5) });
  expect(scheduled.learningRate).toBe(0.1);
  scheduled.iterations = 10;
  expect(scheduled.learningRate).toBeCloseTo(0.05, 12);
  expect(() => (scheduled.learningRate = 0.01)).toThrow(TypeError);
  opt.dispose();
  for (const v of vars) v.dispose();
});

test('bad hyper-parameters and inputs are errors that name them', () => {
  expect(() => new SGD({ learningRate: 0 })).toThrow(/SGD: learning_rate must be a finite number > 0, got 0/);
  expect(() => new Adam({ learningRate: Number.NaN })).toThrow(/learning_rate.*NaN/);
  expect(() => new SGD({ momentum: -0.1 })).toThrow(/momentum must be a number in \[0, 1\], got -0.1/);
  expect(() => new RMSprop({ rho: 1 })).toThrow(/rho must be a number in \[0, 1\), got 1/);
  expect(() => new Adam({ beta1: 1.5 })).toThrow(/beta_1/);
  expect(() => new Adagrad({ epsilon: -1 })).toThrow(/epsilon/);
  expect(() => new SGD({ clipnorm: 1, clipvalue: 1 })).toThrow(/only one of clipnorm, clipvalue and global_clipnorm/);
  expect(() => new SGD({ clipnorm: -1 })).toThrow(/clipnorm must be a finite number > 0, got -1/);
  expect(() => new SGD({ weightDecay: -1 })).toThrow(/weight_decay/);
  const opt = new SGD();
  expect(() => (opt.learningRate = -1)).toThrow(RangeError);
  const w = tensor([1, 2, 3], [3]);
  const g = tensor([1, 2], [2]);
  expect(() => opt.applyGradients([[g, w]])).toThrow(/gradient \[2\] does not match variable \[3\]/);
  expect(() => opt.applyGradients([[w, w]])).toThrow(/share one buffer/);
  expect(opt.iterations).toBe(0);
  opt.applyGradients([]);
  expect(opt.iterations).toBe(0);
  w.dispose();
  g.dispose();
});
