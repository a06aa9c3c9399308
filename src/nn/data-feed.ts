// Feeding data to fit/evaluate/predict: host arrays are uploaded to the GPU once (uint8
// images stay 1 byte per pixel), and each batch is gathered on the GPU from a row order
// (a permutation, for shuffling) — no per-batch uploads (tensor/gather.ts).

import { NDArray } from '../data/ndarray.ts';
import { tensor, tensorU8 } from '../tensor/create.ts';
import { keep } from '../tensor/memory.ts';
import { Rng } from '../tensor/random.ts';
import { shapeStr } from '../tensor/shape.ts';
import { Tensor } from '../tensor/tensor.ts';

export type Input = NDArray | Tensor;

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

/** Checks that x and y describe the same number of samples. */
export function checkPair(op: string, x: Input, y: Input): void {
  const nx = x.shape[0];
  const ny = y.shape[0];
  if (nx !== ny) {
    throw new RangeError(`${op}: x and y have different numbers of samples: x ${shapeStr(x.shape)}, y ${shapeStr(y.shape)}`);
  }
}
