// Feeding data to fit/evaluate/predict: host arrays are uploaded to the GPU once (uint8
// images stay 1 byte per pixel), and each batch is gathered on the GPU from a row order
// (a permutation, for shuffling) — no per-batch uploads (tensor/gather.ts). A model with
// several inputs or outputs takes a list (in the order of its inputs/outputs) or an object
// keyed by their names (toList).

import { NDArray } from '../../data/ndarray.ts';
import { tensor, tensorU8 } from '../../tensor/create.ts';
import { keep } from '../../tensor/memory.ts';
import { Rng } from '../../tensor/random.ts';
import { shapeStr } from '../../tensor/shape.ts';
import { Tensor } from '../../tensor/tensor.ts';

export type Input = NDArray | Tensor;
/**
 * Data for a model's inputs (or targets for its outputs): one array, a list in order, or an
 * object by name. A target list may hold null for an output compiled without a loss.
 */
export type Inputs = Input | (Input | null)[] | Record<string, Input>;

const isData = (v: unknown): v is Input => v instanceof NDArray || v instanceof Tensor;

/**
 * `v` as one array per name, in `names` order. `what` is 'x' (names: the inputs) or 'y' (the
 * outputs); `needed` says which names must be given (targets of outputs without a loss may
 * be left out; those entries are null).
 */
export function toList(op: string, what: 'x' | 'y', model: string, names: string[], v: Inputs, needed = names.map(() => true)): (Input | null)[] {
  const kind = what === 'x' ? 'input' : 'output';
  const form = `a list of ${names.length} arrays (${names.join(', ')}) or an object keyed by ${kind} name`;
  if (isData(v)) {
    if (names.length === 1) return [v];
    throw new RangeError(`${op}: model '${model}' has ${names.length} ${kind}s; give ${what} as ${form}, got one array ${shapeStr(v.shape)}`);
  }
  if (Array.isArray(v)) {
    if (v.length !== names.length) throw new RangeError(`${op}: model '${model}' has ${names.length} ${kind}s (${names.join(', ')}), but ${what} is a list of ${v.length}`);
    const bad = v.findIndex((a, i) => !(isData(a) || (a === null && !needed[i])));
    if (bad >= 0) throw new TypeError(`${op}: ${what}[${bad}] (${kind} '${names[bad]}') must be an NDArray or a Tensor, got ${typeof v[bad]}`);
    return v;
  }
  if (typeof v !== 'object' || v === null) throw new TypeError(`${op}: ${what} must be an NDArray, a Tensor, ${form}; got ${String(v)}`);
  const unknown = Object.keys(v).filter((k) => !names.includes(k));
  if (unknown.length) throw new RangeError(`${op}: ${what} has key(s) ${unknown.map((k) => `'${k}'`).join(', ')} that name no ${kind} of model '${model}' (${kind}s: ${names.join(', ')})`);
  const missing = names.filter((n, i) => needed[i] && !(n in v));
  if (missing.length) throw new RangeError(`${op}: ${what} lacks ${missing.map((k) => `'${k}'`).join(', ')} (model '${model}' ${kind}s: ${names.join(', ')})`);
  return names.map((n) => {
    const a = v[n];
    if (a !== undefined && !isData(a)) throw new TypeError(`${op}: ${what}['${n}'] must be an NDArray or a Tensor, got ${typeof a}`);
    return a ?? null;
  });
}

/** A dataset resident on the GPU, plus whether this feed owns (and must free) it. */
export interface Resident {
  data: Tensor;
  owned: boolean;
}

/** Uploads host data once (kept out of tidy scopes); GPU tensors are used as they are. */
export function upload(name: string, x: Input): Resident {
  if (x instanceof Tensor) return { data: x, owned: false };
  if (!(x instanceof NDArray)) throw new TypeError(`${name}: expected an NDArray or a Tensor, got ${typeof x}`);
  const t = x.data instanceof Uint8Array ? tensorU8(x.data, x.shape, x.scale) : tensor(x.toFloat32(), x.shape);
  return { data: keep(t), owned: true };
}

/** Row order for an epoch: 0..n-1, or a seeded shuffle. As float32 (exact below 2^24). */
export function rowOrder(n: number, shuffle: boolean, rng: Rng): Tensor {
  const order = shuffle ? rng.permutation(n) : Uint32Array.from({ length: n }, (_, i) => i);
  return keep(tensor(Float32Array.from(order), [n]));
}

/** Checks that every array of x and y (named as the messages show them) describes the same number of samples. */
export function checkPair(op: string, xs: Input[], ys: Input[], xNames = ['x'], yNames = ['y']): void {
  const all = [...xs.map((a, i) => [xNames[i], a] as const), ...ys.map((a, i) => [yNames[i], a] as const)];
  const [name0, a0] = all[0];
  const other = all.find(([, a]) => a.shape[0] !== a0.shape[0]);
  if (other) {
    const both = xs.length === 1 && ys.length === 1 ? 'x and y have' : `${name0} and ${other[0]} have`;
    throw new RangeError(`${op}: ${both} different numbers of samples: ${name0} ${shapeStr(a0.shape)}, ${other[0]} ${shapeStr(other[1].shape)}`);
  }
}
