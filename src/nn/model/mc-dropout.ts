// Monte Carlo Dropout (Gal & Ghahramani, 2016; Hands-On ML ch. 11): average many predictions
// made with dropout on, the book's
//   y_probas = np.stack([model(X, training=True) for _ in range(100)]); y_probas.mean(axis=0)
// The samples are folded into a running mean and spread ON THE GPU (nothing is read back per
// sample). Read next: ../inference.ts (predict), ../layers/dropout.ts (MCDropout).

import { add, div, mul, sqrt, sub } from '../../autograd/elementwise.ts';
import { ready } from '../../kernels/device.ts';
import { scalar, zeros } from '../../tensor/create.ts';
import { keep, tidy } from '../../tensor/memory.ts';
import type { Tensor } from '../../tensor/tensor.ts';
import { checkAllFinite, checkInput, checkPositiveInt } from './checks.ts';
import { type Input, upload } from './data-feed.ts';
import { predictModel } from './inference.ts';
import type { Sequential } from './sequential.ts';

export interface MCPredictOptions {
  /** How many stochastic predictions to average (the book uses 100). */
  samples?: number;
  batchSize?: number;
}

export interface MCPrediction {
  /** The mean prediction over the samples, shaped like predict()'s output. */
  mean: Tensor;
  /** The standard deviation over the samples (population, NumPy's default ddof=0). */
  std: Tensor;
}

/**
 * Runs predict(x, { training: true }) `samples` times (Dropout on; MCDropout always is) and
 * returns the mean and std of the predictions. The caller owns (and disposes) both tensors.
 */
export async function mcPredict(model: Sequential, x: Input, { samples = 100, batchSize = 32 }: MCPredictOptions = {}): Promise<MCPrediction> {
  checkPositiveInt('mcPredict', 'samples', samples);
  checkPositiveInt('mcPredict', 'batchSize', batchSize);
  await ready();
  checkInput('mcPredict', model, [x]);
  checkAllFinite('mcPredict', model, [x], []);
  // Upload x once for all the samples (predict leaves a Tensor input where it is).
  const X = upload('mcPredict x', x);
  let mean: Tensor | null = null;
  let m2: Tensor | null = null;
  try {
    for (let k = 1; k <= samples; k++) {
      const [p] = await predictModel(model, X.data, { batchSize, training: true });
      // Welford's update (stable in float32, unlike E[p²] - E[p]²):
      // delta = p - mean; mean += delta / k; m2 += delta · (p - mean_new).
      const [m, s] = tidy(() => {
        if (!mean || !m2) return [p, zeros(p.shape)];
        const delta = sub(p, mean);
        // NOTE: scalar(k), not the number k: op constants are cached per value, and 100
        // sample counts would fill that cache with values used once.
        const next = add(mean, div(delta, scalar(k)));
        return [next, add(m2, mul(delta, sub(p, next)))];
      });
      if (m !== p) p.dispose();
      mean?.dispose();
      m2?.dispose();
      mean = keep(m);
      m2 = keep(s);
    }
    const std = keep(tidy(() => sqrt(div(m2!, scalar(samples)))));
    m2!.dispose();
    return { mean: mean!, std };
  } catch (e) {
    mean?.dispose();
    m2?.dispose();
    throw e;
  } finally {
    if (X.owned) X.data.dispose();
  }
}
