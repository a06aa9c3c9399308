// Plain-TypeScript float64 references for every kernel: the specification the WGSL is
// checked against. Written from the formulas (NumPy/Keras semantics), never from the WGSL.
// One section per op family, each naming its kernels (src/kernels/wgsl/) and the TS that
// dispatches them; batch normalization's is batch-norm-reference.ts. Backward kernels are
// checked against finite differences of these (op-harness.ts), not references of their own.

// === Arrays: shapes, strides and broadcasting (the index arithmetic of wgsl/strided.wgsl) ===

export interface Arr {
  data: Float64Array;
  shape: number[];
}

export const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);
export const arr = (data: ArrayLike<number>, shape: number[]): Arr => ({ data: Float64Array.from(data), shape });

export function strides(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i];
  }
  return s;
}

export function broadcastShape(a: number[], b: number[]): number[] {
  const r = Math.max(a.length, b.length);
  return Array.from({ length: r }, (_, i) => {
    const x = a[a.length - r + i] ?? 1;
    const y = b[b.length - r + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) throw new Error('not broadcastable');
    return Math.max(x, y) === 1 ? 1 : x === 1 ? y : x;
  });
}

/** Value of `a` at output multi-index `idx` under broadcasting. */
function at(a: Arr, idx: number[]): number {
  const lead = idx.length - a.shape.length;
  let o = 0;
  const s = strides(a.shape);
  for (let d = 0; d < a.shape.length; d++) o += (a.shape[d] === 1 ? 0 : idx[d + lead]) * s[d];
  return a.data[o];
}

function unravel(i: number, shape: number[]): number[] {
  const idx = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    idx[d] = i % shape[d];
    i = Math.floor(i / shape[d]);
  }
  return idx;
}

// === Elementwise: wgsl/unary.wgsl, binary.wgsl, where.wgsl (autograd/elementwise.ts) ===

export function map(a: Arr, f: (x: number) => number): Arr {
  return { data: a.data.map(f), shape: [...a.shape] };
}

export function zip(a: Arr, b: Arr, f: (x: number, y: number) => number): Arr {
  const shape = broadcastShape(a.shape, b.shape);
  const out = new Float64Array(size(shape));
  for (let i = 0; i < out.length; i++) {
    const idx = unravel(i, shape);
    out[i] = f(at(a, idx), at(b, idx));
  }
  return { data: out, shape };
}

export function zip3(c: Arr, a: Arr, b: Arr, f: (c: number, x: number, y: number) => number): Arr {
  const shape = broadcastShape(broadcastShape(c.shape, a.shape), b.shape);
  const out = new Float64Array(size(shape));
  for (let i = 0; i < out.length; i++) {
    const idx = unravel(i, shape);
    out[i] = f(at(c, idx), at(a, idx), at(b, idx));
  }
  return { data: out, shape };
}

// === Layout: transpose and broadcastTo (wgsl/copy.wgsl: autograd/layout.ts), concat
// (wgsl/concat.wgsl: autograd/concat.ts), gathering rows (wgsl/gather.wgsl: tensor/gather.ts) ===

/** NumPy's transpose: output axis i is input axis perm[i]. */
export function transpose(x: Arr, perm: number[]): Arr {
  const shape = perm.map((a) => x.shape[a]);
  const inStrides = strides(x.shape);
  const out = new Float64Array(x.data.length);
  const idx = new Array<number>(shape.length).fill(0);
  for (let i = 0; i < out.length; i++) {
    let o = 0;
    for (let d = 0; d < shape.length; d++) o += idx[d] * inStrides[perm[d]];
    out[i] = x.data[o];
    for (let d = shape.length - 1; d >= 0 && ++idx[d] === shape[d]; d--) idx[d] = 0;
  }
  return { data: out, shape };
}

/** np.concatenate: walks the output, reading each element from its part. */
export function concat(xs: Arr[], axis: number): Arr {
  const a = axis < 0 ? axis + xs[0].shape.length : axis;
  const shape = [...xs[0].shape];
  shape[a] = xs.reduce((n, x) => n + x.shape[a], 0);
  const out = new Float64Array(size(shape));
  const st = strides(shape);
  for (let i = 0; i < out.length; i++) {
    const idx = shape.map((_, d) => Math.floor(i / st[d]) % shape[d]);
    let k = 0;
    let pos = idx[a];
    while (pos >= xs[k].shape[a]) pos -= xs[k++].shape[a];
    const partStrides = strides(xs[k].shape);
    out[i] = xs[k].data[idx.reduce((o, v, d) => o + (d === a ? pos : v) * partStrides[d], 0)];
  }
  return { data: out, shape };
}

/** Rows `order[start..start + count)` of `data` (rows of rowSize), times scale: out[r, c] = data[order[start + r], c] * scale. */
export function gatherRows(data: ArrayLike<number>, rowSize: number, order: number[], start: number, count: number, scale: number): number[] {
  const out: number[] = [];
  for (let r = 0; r < count; r++) {
    const src = order[start + r] * rowSize;
    // As the kernel: the f32 scale times the value, rounded to f32.
    for (let c = 0; c < rowSize; c++) out.push(Math.fround(data[src + c] * Math.fround(scale)));
  }
  return out;
}

// === Reductions: wgsl/reduce.wgsl (autograd/reduce-kernel.ts, reduce.ts) ===

/** Reduce over `axes` with `f` starting from `init`; keepDims as NumPy. */
export function reduce(a: Arr, axes: number[], f: (acc: number, x: number) => number, init: number, keepDims = false): Arr {
  const kept = a.shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const out = new Float64Array(size(kept)).fill(init);
  const ks = strides(kept);
  for (let i = 0; i < a.data.length; i++) {
    const idx = unravel(i, a.shape);
    let o = 0;
    for (let d = 0; d < idx.length; d++) o += (axes.includes(d) ? 0 : idx[d]) * ks[d];
    out[o] = f(out[o], a.data[i]);
  }
  return { data: out, shape: keepDims ? kept : a.shape.filter((_, i) => !axes.includes(i)) };
}

// === Matrix product: wgsl/matmul-naive.wgsl and its fast forms (autograd/matmul.ts) ===

export function matmul(a: Arr, b: Arr, transA = false, transB = false): Arr {
  const [M, K] = transA ? [a.shape[1], a.shape[0]] : a.shape;
  const N = transB ? b.shape[0] : b.shape[1];
  const out = new Float64Array(M * N);
  for (let m = 0; m < M; m++)
    for (let n = 0; n < N; n++) {
      let s = 0;
      for (let k = 0; k < K; k++) {
        s += (transA ? a.data[k * M + m] : a.data[m * K + k]) * (transB ? b.data[n * K + k] : b.data[k * N + n]);
      }
      out[m * N + n] = s;
    }
  return { data: out, shape: [M, N] };
}

// === Activations: wgsl/activations.wgsl, param-activation.wgsl (autograd/elementwise.ts,
// param-activation.ts) ===

export const SELU_ALPHA = 1.6732632423543772848170429916717;
export const SELU_SCALE = 1.0507009873554804934193349852946;

export const unaryRef: Record<string, (x: number) => number> = {
  linear: (x) => x,
  neg: (x) => -x,
  abs: Math.abs,
  sign: (x) => (Number.isNaN(x) ? NaN : Math.sign(x)),
  exp: Math.exp,
  log: Math.log,
  sqrt: Math.sqrt,
  square: (x) => x * x,
  relu: (x) => (x < 0 ? 0 : x),
  elu: (x) => (x > 0 ? x : Math.expm1(x)),
  selu: (x) => SELU_SCALE * (x > 0 ? x : SELU_ALPHA * Math.expm1(x)),
  sigmoid: (x) => 1 / (1 + Math.exp(-x)),
  tanh: Math.tanh,
  softplus: (x) => Math.log1p(Math.exp(-Math.abs(x))) + Math.max(x, 0),
  leaky_relu: (x) => Math.max(x, 0.2 * x),
  gelu: (x) => x * normCdf(x),
  silu: (x) => x / (1 + Math.exp(-x)),
  hard_sigmoid: (x) => Math.min(Math.max(x / 6 + 0.5, 0), 1),
  hard_sigmoid_keras2: (x) => Math.min(Math.max(0.2 * x + 0.5, 0), 1),
};

/** erfc(z) in float64: the Maclaurin series of erf for |z| < 3, a continued fraction beyond. */
export function erfc(z: number): number {
  if (Math.abs(z) < 3) {
    let term = z;
    let sum = z;
    for (let n = 1; n < 100; n++) {
      term *= (-z * z) / n;
      sum += term / (2 * n + 1);
    }
    return 1 - (2 / Math.sqrt(Math.PI)) * sum;
  }
  if (z < 0) return 2 - erfc(-z);
  let k = z;
  for (let n = 80; n >= 1; n--) k = z + n / 2 / k;
  return Math.exp(-z * z) / (Math.sqrt(Math.PI) * k);
}

/** The standard normal CDF, Phi(x) = erfc(-x / sqrt 2) / 2. */
export const normCdf = (x: number): number => 0.5 * erfc(-x / Math.SQRT2);

/** Keras's LeakyReLU layer: x for x >= 0, else slope x. */
export const leakyReluRef = (slope: number) => (x: number) => (x >= 0 ? x : slope * x);
/** Keras's ELU layer: x for x >= 0, else alpha (e^x - 1). */
export const eluRef = (alpha: number) => (x: number) => (x >= 0 ? x : alpha * Math.expm1(x));

// === Softmax: wgsl/softmax.wgsl (autograd/softmax.ts) ===

export function softmax(a: Arr, axis: number, log = false): Arr {
  const mx = reduce(a, [axis], Math.max, -Infinity, true);
  const shifted = zip(a, mx, (x, m) => x - m);
  const s = reduce(map(shifted, Math.exp), [axis], (p, x) => p + x, 0, true);
  return log ? zip(shifted, s, (x, t) => x - Math.log(t)) : zip(shifted, s, (x, t) => Math.exp(x) / t);
}

// === Cross-entropy losses: wgsl/losses.wgsl (autograd/losses.ts) ===

export const EPS = 1e-7;
const clip = (v: number) => Math.min(Math.max(v, EPS), 1 - EPS);

/** Keras 3 (TF backend) sparse categorical CE per row. */
export function sparseCE(labels: number[], pred: Arr, fromLogits: boolean): number[] {
  const C = pred.shape[pred.shape.length - 1];
  return labels.map((y, r) => {
    const row = Array.from(pred.data.subarray(r * C, (r + 1) * C));
    const z = fromLogits ? row : row.map((p) => Math.log(clip(p)));
    const m = Math.max(...z);
    const lse = m + Math.log(z.reduce((s, v) => s + Math.exp(v - m), 0));
    return lse - z[y];
  });
}

export function categoricalCE(target: Arr, pred: Arr, fromLogits: boolean): number[] {
  const C = pred.shape[pred.shape.length - 1];
  const rows = pred.data.length / C;
  return Array.from({ length: rows }, (_, r) => {
    const z = Array.from(pred.data.subarray(r * C, (r + 1) * C));
    const t = Array.from(target.data.subarray(r * C, (r + 1) * C));
    if (fromLogits) {
      const m = Math.max(...z);
      const lse = m + Math.log(z.reduce((s, v) => s + Math.exp(v - m), 0));
      return t.reduce((s, tj, j) => s + tj * (lse - z[j]), 0);
    }
    const S = z.reduce((a, b) => a + b, 0);
    return -t.reduce((s, tj, j) => s + tj * Math.log(clip(z[j] / S)), 0);
  });
}

export function binaryCE(t: number, p: number, fromLogits: boolean): number {
  if (fromLogits) return Math.max(p, 0) - p * t + Math.log1p(Math.exp(-Math.abs(p)));
  const c = clip(p);
  return -(t * Math.log(c) + (1 - t) * Math.log(1 - c));
}

// === Dropout: wgsl/dropout.wgsl (autograd/dropout.ts) ===

/** The PCG hash of dropout.wgsl's spec, in 32-bit integer arithmetic. */
export function pcg(v: number): number {
  const state = (Math.imul(v >>> 0, 747796405) + 2891336453) >>> 0;
  const word = Math.imul(((state >>> (((state >>> 28) + 4) >>> 0)) ^ state) >>> 0, 277803737) >>> 0;
  return ((word >>> 22) ^ word) >>> 0;
}

export function dropoutKept(seed: number, i: number, rate: number): boolean {
  const u = ((pcg((seed ^ pcg(i)) >>> 0) >>> 8) * (1 / 16777216));
  return u >= rate;
}
