// Making tensors: from host data (uploaded once with queue.writeBuffer), filled on the
// GPU (wgsl/fill.wgsl), or drawn from the seeded host generator (random.ts).

import { kernelCode } from '../kernels/kernel-code.ts';
import fillWgsl from '../kernels/wgsl/fill.wgsl?raw';
import { grid, params, rt } from '../kernels/runtime.ts';
import { keep } from './memory.ts';
import { Rng } from './random.ts';
import { checkShape, type Shape, shapeStr, sizeOf } from './shape.ts';
import { checkTensorFits, emptyTensor, type Tensor } from './tensor.ts';

const CODE = kernelCode(fillWgsl);

type Nested = number | Nested[];

function flatten(v: Nested, shape: number[], depth: number, out: number[]): void {
  if (typeof v === 'number') {
    if (depth !== shape.length) throw new RangeError('tensor(): ragged nested array');
    out.push(v);
    return;
  }
  if (shape.length === depth) shape.push(v.length);
  else if (shape[depth] !== v.length) throw new RangeError('tensor(): ragged nested array');
  for (const x of v) flatten(x, shape, depth + 1, out);
}

/** Uploads host values into a new tensor. */
export function tensor(values: ArrayLike<number> | Nested, shape?: Shape): Tensor {
  let data: Float32Array;
  let inferred: number[];
  if (typeof values === 'number' || Array.isArray(values)) {
    const flat: number[] = [];
    inferred = [];
    flatten(values as Nested, inferred, 0, flat);
    data = Float32Array.from(flat);
  } else {
    data = values instanceof Float32Array ? values : Float32Array.from(values as ArrayLike<number>);
    inferred = [data.length];
  }
  const s = shape ? [...shape] : inferred;
  checkShape('tensor', s);
  if (sizeOf(s) !== data.length) {
    throw new RangeError(`tensor(): ${data.length} values do not fill shape ${shapeStr(s)} (${sizeOf(s)} elements)`);
  }
  const t = emptyTensor(s);
  if (data.length) rt().write(t.buffer, data);
  return t;
}

/** Uploads bytes as a compact uint8 tensor whose values read as byte * scale. */
export function tensorU8(bytes: Uint8Array, shape: Shape, scale = 1): Tensor {
  checkShape('tensorU8', shape);
  if (sizeOf(shape) !== bytes.length) {
    throw new RangeError(`tensorU8(): ${bytes.length} bytes do not fill shape ${shapeStr(shape)}`);
  }
  const t = emptyTensor(shape, 'uint8', scale);
  const padded = new Uint8Array(Math.ceil(bytes.length / 4) * 4);
  padded.set(bytes);
  if (padded.length) rt().write(t.buffer, padded);
  return t;
}

export function fill(shape: Shape, value: number): Tensor {
  checkShape('fill', shape);
  const t = emptyTensor(shape);
  if (t.size === 0) return t;
  const r = rt();
  r.dispatch(
    { label: 'fill', code: CODE },
    [r.uniform(params([t.size], [value])), t.buffer],
    grid(t.size, 256),
  );
  return t;
}

export const zeros = (shape: Shape): Tensor => fill(shape, 0);
export const ones = (shape: Shape): Tensor => fill(shape, 1);
export const scalar = (v: number): Tensor => tensor([v], []);

/** Cached scalars per device: op constants (x * 0.5, loss * n) upload once, not per step. */
const constants = new WeakMap<object, Map<number, Tensor>>();
const MAX_CONSTANTS = 256;

/** A shared scalar tensor for an op's numeric operand. Never dispose it. */
export function constant(v: number): Tensor {
  const r = rt();
  let cache = constants.get(r);
  if (!cache) constants.set(r, (cache = new Map()));
  const hit = cache.get(v);
  if (hit && !hit.isDisposed) return hit;
  if (cache.size >= MAX_CONSTANTS) return scalar(v); // a rare value: an ordinary scoped tensor
  const t = keep(scalar(v));
  r.pool.cache(t.buffer); // a bounded cache: memory() reports it apart from what is in use
  cache.set(v, t);
  return t;
}

function drawn(shape: Shape, draw: (rng: Rng) => number, seed?: number): Tensor {
  checkShape('random', shape);
  checkTensorFits(shape, `a random tensor ${shapeStr(shape)}`); // before its host values are made
  const rng = new Rng(seed);
  const data = new Float32Array(sizeOf(shape));
  for (let i = 0; i < data.length; i++) data[i] = draw(rng);
  return tensor(data, shape);
}

export function randomUniform(shape: Shape, minval = 0, maxval = 1, seed?: number): Tensor {
  return drawn(shape, (r) => r.uniform(minval, maxval), seed);
}

export function randomNormal(shape: Shape, mean = 0, stddev = 1, seed?: number): Tensor {
  return drawn(shape, (r) => mean + stddev * r.normal(), seed);
}

/** Normal values redrawn until within 2 stddev of the mean (Keras's truncated_normal). */
export function truncatedNormal(shape: Shape, mean = 0, stddev = 1, seed?: number): Tensor {
  return drawn(shape, (r) => mean + stddev * r.truncatedNormal(), seed);
}
