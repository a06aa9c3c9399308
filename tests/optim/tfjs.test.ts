// Where TensorFlow.js implements the same formula as Keras, webgrad's trajectories must match
// it too: SGD, momentum / Nesterov at a constant rate (tfjs accumulates g and scales by lr
// when applying, the same at constant lr), Adagrad and non-centered RMSprop (ε inside the
// sqrt in both), Adamax. tfjs's epsilon default on float32 backends is 1e-7, Keras's too.
// Not compared: Adam (tfjs adds ε to the bias-corrected sqrt(v̂): another formula) and
// centered RMSprop (tfjs subtracts ε: NaN for zero gradients).

import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, test } from 'vitest';
import { ready } from '../../src/kernels/device.ts';
import { Adagrad, Adamax, type Optimizer, RMSprop, SGD } from '../../src/optim/index.ts';
import { expectStepsClose, gpuSteps, makeVariables, type Problem, problem, SHAPES } from './harness.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await ready();
});

let uid = 0;

function tfjsTrajectory(opt: tf.Optimizer, p: Problem): number[][][] {
  const vars = p.init.map((w, k) => tf.variable(tf.tensor(w, SHAPES[k]), true, `optim_test_${uid++}`));
  const out: number[][][] = [];
  for (const step of p.grads) {
    const grads: tf.NamedTensorMap = {};
    step.forEach((g, k) => (grads[vars[k].name] = tf.tensor(g, SHAPES[k])));
    opt.applyGradients(grads);
    tf.dispose(Object.values(grads));
    out.push(vars.map((v) => Array.from(v.dataSync())));
  }
  tf.dispose(vars);
  opt.dispose();
  return out;
}

const cases: Array<[string, () => Optimizer, () => tf.Optimizer]> = [
  ['SGD', () => new SGD({ learningRate: 0.05 }), () => tf.train.sgd(0.05)],
  ['SGD momentum', () => new SGD({ learningRate: 0.02, momentum: 0.9 }), () => tf.train.momentum(0.02, 0.9)],
  [
    'SGD nesterov',
    () => new SGD({ learningRate: 0.02, momentum: 0.9, nesterov: true }),
    () => tf.train.momentum(0.02, 0.9, true),
  ],
  ['Adagrad', () => new Adagrad({ learningRate: 0.05 }), () => tf.train.adagrad(0.05, 0.1)],
  ['RMSprop', () => new RMSprop({ learningRate: 0.01 }), () => tf.train.rmsprop(0.01, 0.9, 0, 1e-7, false)],
  [
    'RMSprop momentum',
    () => new RMSprop({ learningRate: 0.01, rho: 0.8, momentum: 0.5 }),
    () => tf.train.rmsprop(0.01, 0.8, 0.5, 1e-7, false),
  ],
  ['Adamax', () => new Adamax({ learningRate: 0.01 }), () => tf.train.adamax(0.01, 0.9, 0.999, 1e-7, 0)],
];

describe('webgrad matches TensorFlow.js where the formulas agree', () => {
  const p = problem();
  for (const [label, ours, theirs] of cases) {
    test(label, async () => {
      const opt = ours();
      const vars = makeVariables(p);
      const gpu = await gpuSteps(opt, vars, p);
      expectStepsClose(`${label} vs tfjs`, gpu, tfjsTrajectory(theirs(), p));
      opt.dispose();
      for (const v of vars) v.dispose();
    });
  }
});
