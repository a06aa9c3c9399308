// Float64 references for batch normalization (channel last), shared by the op and layer tests.
import type { Arr } from './reference.ts';

/** Per-channel mean and biased variance of x viewed as [rows, C]. */
export function moments(x: Arr): { mean: Float64Array; variance: Float64Array } {
  const c = x.shape.at(-1)!;
  const rows = x.data.length / c;
  const mean = new Float64Array(c);
  const variance = new Float64Array(c);
  for (let j = 0; j < c; j++) {
    let s = 0;
    for (let r = 0; r < rows; r++) s += x.data[r * c + j];
    mean[j] = s / rows;
    let q = 0;
    for (let r = 0; r < rows; r++) q += (x.data[r * c + j] - mean[j]) ** 2;
    variance[j] = q / rows;
  }
  return { mean, variance };
}

/** (x - mean) / sqrt(var + eps) * gamma + beta, channel last. */
export function normalizeRef(x: Arr, mean: ArrayLike<number>, variance: ArrayLike<number>, eps: number, gamma: Arr | null, beta: Arr | null): Arr {
  const c = x.shape.at(-1)!;
  const data = x.data.map((v, i) => {
    const j = i % c;
    return ((v - mean[j]) / Math.sqrt(variance[j] + eps)) * (gamma ? gamma.data[j] : 1) + (beta ? beta.data[j] : 0);
  });
  return { data, shape: [...x.shape] };
}

