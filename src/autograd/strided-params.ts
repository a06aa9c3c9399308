// Packs the `Strided` uniform block of kernels/wgsl/strided.wgsl: output shape and up to three
// inputs' strides (0 along broadcast dims), 8 dims at most, plus each input's fast-path
// mode (laid out like the output / repeating every `tail` elements / general).

import { type Shape, stridesOf } from '../tensor/shape.ts';
import { params } from '../kernels/runtime.ts';

export const MAX_RANK = 8;

/** [mode, tail] of an input read with `strides` into an output of shape `out`. */
function fastPath(out: Shape, strides: readonly number[]): [number, number] {
  const dense = stridesOf(out);
  const dims = out.map((_, d) => d).filter((d) => out[d] > 1); // size-1 dims never move
  if (dims.every((d) => strides[d] === dense[d])) return [1, 0];
  // A suffix of the output's dims read densely, the dims before it broadcast (stride 0).
  const first = dims.find((d) => strides[d] !== 0);
  if (first === undefined) return [2, 1]; // a scalar
  const tail = out.slice(first).reduce((a, b) => a * b, 1);
  const ok = dims.every((d) => (d < first ? strides[d] === 0 : strides[d] === dense[d]));
  return ok ? [2, tail] : [0, 0];
}

export function stridedParams(op: string, out: Shape, strides: number[][]): Uint8Array {
  if (out.length > MAX_RANK) throw new RangeError(`${op}: tensors of rank ${out.length} exceed the supported ${MAX_RANK}`);
  const pad = (v: readonly number[]) => [...v, ...new Array<number>(MAX_RANK - v.length).fill(0)];
  const n = out.reduce((a, b) => a * b, 1);
  const paths = [0, 1, 2].map((i) => (strides[i] ? fastPath(out, strides[i]) : [1, 0]));
  const modes = paths.reduce((m, [mode], i) => m | (mode << (2 * i)), 0);
  const s = [0, 1, 2].map((i) => pad(strides[i] ?? []));
  // The zero after `modes` pads `tail` to its 16-byte alignment.
  return params([n, out.length, modes, 0, paths[0][1], paths[1][1], paths[2][1], 0, ...pad(out), ...s[0], ...s[1], ...s[2]]);
}
