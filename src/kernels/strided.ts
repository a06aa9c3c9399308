// Packs the `Strided` uniform block of wgsl/strided.wgsl: output shape and up to three
// inputs' strides (0 along broadcast dims), 8 dims at most.

import type { Shape } from '../tensor/shape.ts';
import { params } from './runtime.ts';

export const MAX_RANK = 8;

export function stridedParams(op: string, out: Shape, strides: number[][], opId = 0): Uint8Array {
  if (out.length > MAX_RANK) throw new RangeError(`${op}: tensors of rank ${out.length} exceed the supported ${MAX_RANK}`);
  const pad = (v: readonly number[]) => [...v, ...new Array<number>(MAX_RANK - v.length).fill(0)];
  const n = out.reduce((a, b) => a * b, 1);
  const s = [0, 1, 2].map((i) => pad(strides[i] ?? []));
  return params([n, out.length, opId, 0, ...pad(out), ...s[0], ...s[1], ...s[2]]);
}
