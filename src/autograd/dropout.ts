// Dropout and AlphaDropout (training-time only; the layers decide when). The mask is never
// stored or drawn in JS: wgsl/dropout.wgsl hashes (seed, index), and the backward pass
// re-derives the same mask from the same seed. The seed is per-step data (src/fast/capture.ts):
// a replayed step draws it again through the same `draw`, and its backward reads the cell.
// Reference: tests/util/reference.ts dropoutKept (the same hash in 32-bit integers).

import { kernelCode } from '../kernels/kernel-code.ts';
import dropoutWgsl from '../kernels/wgsl/dropout.wgsl?raw';
import { grid, params, rt } from '../kernels/runtime.ts';
import { nextSeed } from '../tensor/random.ts';
import { emptyTensor, type Tensor } from '../tensor/tensor.ts';
import type { Rules } from './registry-types.ts';
import { record, type SeedCell } from './tape.ts';

const CODE = kernelCode(dropoutWgsl);

// Keras AlphaDropout constants (SELU's alpha and scale).
const ALPHA_P = -1.6732632423543772848170429916717 * 1.0507009873554804934193349852946;

function checkRate(op: string, rate: number): void {
  if (!(rate >= 0 && rate < 1)) throw new RangeError(`${op}: rate must be in [0, 1), got ${rate}`);
}

function run(x: Tensor, rate: number, seed: SeedCell, alpha: boolean, pass: 0 | 1): Tensor {
  const y = emptyTensor(x.shape);
  if (!x.size) return y;
  // AlphaDropout keeps mean and variance: a = ((1-rate)(1 + rate alpha_p^2))^-1/2, b = -a alpha_p rate.
  const a = ((1 - rate) * (1 + rate * ALPHA_P * ALPHA_P)) ** -0.5;
  const b = -a * ALPHA_P * rate;
  const r = rt();
  r.dispatch(
    { label: alpha ? 'alphaDropout' : 'dropout', code: CODE, constants: { ALPHA: Number(alpha) } },
    [
      r.stepUniform(() => {
        if (pass === 0) seed.value = seed.draw();
        return params([x.size, seed.value >>> 0, pass], [rate, a, b, ALPHA_P]);
      }),
      x.buffer,
      y.buffer,
    ],
    grid(x.size, 256),
  );
  return y;
}

const cell = (seed: number | (() => number)): SeedCell => ({ draw: typeof seed === 'number' ? () => seed : seed, value: 0 });

/** Zeroes each element with probability `rate`, scales the rest by 1/(1-rate); `seed` may be a per-call source. */
export function dropout(x: Tensor, rate: number, seed: number | (() => number) = nextSeed): Tensor {
  checkRate('dropout', rate);
  const s = cell(seed);
  return record('dropout', [x], run(x, rate, s, false, 0), { rate, seed: s, alpha: false });
}

/** Dropout that keeps SELU's self-normalisation (Keras AlphaDropout). */
export function alphaDropout(x: Tensor, rate: number, seed: number | (() => number) = nextSeed): Tensor {
  checkRate('alphaDropout', rate);
  const s = cell(seed);
  return record('dropout', [x], run(x, rate, s, true, 0), { rate, seed: s, alpha: true });
}

export const dropoutRules: Rules<'dropout'> = {
  dropout: (dy, n) => [run(dy, n.attrs.rate, n.attrs.seed, n.attrs.alpha, 1)],
};
