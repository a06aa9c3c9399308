// Test models for the save/load tests: a small Sequential that uses every layer option
// webgrad can save (initializers, l1/l2/l1l2 regularizers, maxNorm/nonNeg/unitNorm
// constraints, Dropout/AlphaDropout/MCDropout, an Activation layer, a frozen layer), and
// deterministic data for it.

import { expect } from 'vitest';
import { NDArray } from '../../src/data/ndarray.ts';
import { initializers } from '../../src/nn/layers/initializers.ts';
import { Activation } from '../../src/nn/layers/activation.ts';
import { Dense } from '../../src/nn/layers/dense.ts';
import { AlphaDropout, Dropout, MCDropout } from '../../src/nn/layers/dropout.ts';
import { Flatten } from '../../src/nn/layers/flatten.ts';
import { maxNorm, nonNeg, unitNorm } from '../../src/nn/layers/constraints.ts';
import { l1, l1l2, l2 } from '../../src/nn/layers/regularizers.ts';
import type { History } from '../../src/nn/callbacks/history.ts';
import type { Network } from '../../src/nn/model/network.ts';
import { Sequential } from '../../src/nn/model/sequential.ts';
import type { Optimizer } from '../../src/optim/optimizer.ts';
import { setSeed } from '../../src/tensor/random.ts';

/** Input [3, 4] -> 4 classes. `dropoutSeed` seeds the plain Dropout (its mask sequence is not saved). */
export function richModel(dropoutSeed?: number): Sequential {
  return new Sequential(
    [
      new Flatten({ inputShape: [3, 4] }),
      new Dense(10, { name: 'hidden_1', activation: 'selu', kernelInitializer: 'lecun_normal', kernelRegularizer: l2(0.01) }),
      new AlphaDropout(0.1, { name: 'alpha_dropout' }),
      new Dense(8, {
        name: 'hidden_2',
        activation: 'elu',
        kernelInitializer: initializers.heUniform({ seed: 7 }),
        biasInitializer: initializers.constant({ value: 0.1 }),
        kernelRegularizer: l1(0.001),
        kernelConstraint: maxNorm(1.5),
        biasConstraint: nonNeg(),
      }),
      new Dropout(0.2, { name: 'dropout', seed: dropoutSeed }),
      new Dense(8, {
        name: 'frozen',
        activation: 'relu',
        kernelInitializer: initializers.varianceScaling({ scale: 2, mode: 'fan_out', distribution: 'untruncated_normal' }),
        kernelRegularizer: l1l2({ l1: 1e-4, l2: 1e-3 }),
        kernelConstraint: unitNorm(0),
        trainable: false,
      }),
      new MCDropout(0.1, { name: 'mc_dropout' }),
      new Dense(6, { name: 'hidden_3', kernelInitializer: initializers.randomNormal({ stddev: 0.3 }), useBias: false }),
      new Activation('tanh', { name: 'activation' }),
      new Dense(4, { name: 'output', activation: 'softmax', kernelInitializer: initializers.truncatedNormal({ stddev: 0.2 }) }),
    ],
    { name: 'rich' },
  );
}

/** Compiles `model` with `optimizer` (sparse CE, accuracy). */
export function compileWith(model: Sequential, optimizer: Optimizer): Sequential {
  model.compile({ optimizer, loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  return model;
}

/** n samples [n, 3, 4] and labels 0..3 that depend on them (so training has a signal). */
export function richData(n = 64): [NDArray, NDArray] {
  const x = Float32Array.from({ length: n * 12 }, (_, i) => Math.sin(i * 0.37) + Math.cos(i * 1.3) * 0.5);
  const y = Float32Array.from({ length: n }, (_, i) => (x[i * 12] + x[i * 12 + 5] > 0 ? 2 : 0) + (x[i * 12 + 3] > 0 ? 1 : 0));
  return [new NDArray(x, [n, 3, 4]), new NDArray(y, [n])];
}

/** The bit patterns of float32 values, so that -0 and NaN compare exactly. */
export const bits = (a: Float32Array): number[] => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));

/** A model's weights as [shape, bit patterns]. */
export const weightBits = async (m: Network) => (await m.getWeights()).map((w) => [w.shape, bits(w.data as Float32Array)]);

/**
 * A saved model and its reloaded copy, trained on with one seed (`fit`: two epochs of the
 * same data), give identical losses and weights; both are disposed.
 */
export async function expectSameContinuation<M extends Network>(original: M, loaded: M, fit: (m: M) => Promise<History>): Promise<void> {
  setSeed(9);
  const continued = await fit(original);
  setSeed(9);
  const resumed = await fit(loaded);
  expect(resumed.history.loss).toEqual(continued.history.loss);
  expect(Number.isFinite(resumed.history.loss[1])).toBe(true);
  expect(await weightBits(loaded)).toEqual(await weightBits(original));
  original.dispose();
  loaded.dispose();
}
