// Float64 references for the model tests: Keras's activation formulas, a Dense forward pass,
// and small host helpers (deterministic inputs, column norms). Written from the Keras docs
// (keras/src/activations/activations.py), never from webgrad's WGSL.

import { values } from '../util/check.ts';

const SELU_ALPHA = 1.6732632423543772848170429916717;
const SELU_SCALE = 1.0507009873554804934193349852946;

export const activationRef: Record<string, (x: number) => number> = {
  linear: (x) => x,
  relu: (x) => Math.max(0, x),
  elu: (x) => (x > 0 ? x : Math.exp(x) - 1),
  selu: (x) => SELU_SCALE * (x > 0 ? x : SELU_ALPHA * (Math.exp(x) - 1)),
  sigmoid: (x) => 1 / (1 + Math.exp(-x)),
  tanh: (x) => Math.tanh(x),
  softplus: (x) => Math.log1p(Math.exp(x)),
};

/** Softmax over each row of a [rows, cols] array. */
export function softmaxRows(z: Float64Array, cols: number): Float64Array {
  const out = new Float64Array(z.length);
  for (let r = 0; r < z.length / cols; r++) {
    const row = z.subarray(r * cols, (r + 1) * cols);
    const m = Math.max(...row);
    let s = 0;
    for (let j = 0; j < cols; j++) s += Math.exp(row[j] - m);
    for (let j = 0; j < cols; j++) out[r * cols + j] = Math.exp(row[j] - m) / s;
  }
  return out;
}

/** x [n, k] · w [k, m] + b [m], in float64. */
export function denseRef(x: ArrayLike<number>, w: ArrayLike<number>, b: ArrayLike<number> | null, n: number, k: number, m: number): Float64Array {
  const out = new Float64Array(n * m);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < m; j++) {
      let s = b ? b[j] : 0;
      for (let t = 0; t < k; t++) s += x[i * k + t] * w[t * m + j];
      out[i * m + j] = s;
    }
  return out;
}

/** Applies an activation by Keras name to pre-activations of `cols` columns. */
export function activateRef(name: string, z: Float64Array, cols: number): Float64Array {
  return name === 'softmax' ? softmaxRows(z, cols) : z.map(activationRef[name]);
}

/** Deterministic float32-exact values in [lo, hi), as a Float32Array. */
export const f32 = (n: number, seed: number, lo = -1, hi = 1): Float32Array => Float32Array.from(values(n, seed, lo, hi));

/** L2 norm of each column of a [rows, cols] kernel (Keras's axis=0 for Dense). */
export function columnNorms(w: ArrayLike<number>, rows: number, cols: number): number[] {
  return Array.from({ length: cols }, (_, j) => {
    let s = 0;
    for (let i = 0; i < rows; i++) s += w[i * cols + j] ** 2;
    return Math.sqrt(s);
  });
}
