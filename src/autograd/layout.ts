// Layout ops: reshape (a view, no copy), transpose and broadcastTo (both one strided copy,
// wgsl/copy.wgsl after strided.wgsl), and their backward rules. Float64 references:
// tests/util/reference.ts transpose, zip (broadcasting).

import { kernelCode } from '../kernels/kernel-code.ts';
import copyWgsl from '../kernels/wgsl/copy.wgsl?raw';
import stridedWgsl from '../kernels/wgsl/strided.wgsl?raw';
import { grid, rt } from '../kernels/runtime.ts';
import { stridedParams } from './strided-params.ts';
import { broadcastShapes, broadcastStrides, type Shape, shapeStr, sameShape, sizeOf, stridesOf } from '../tensor/shape.ts';
import { emptyTensor, type Tensor } from '../tensor/tensor.ts';
import type { Rules } from './registry-types.ts';
import { sumToShape } from './reduce-kernel.ts';
import { record } from './tape.ts';

const COPY = kernelCode(stridedWgsl, copyWgsl);

/** Same values, new shape (one dim may be -1: inferred). Shares the buffer. */
export function reshape(x: Tensor, shape: Shape): Tensor {
  const s = [...shape];
  const infer = s.indexOf(-1);
  if (infer >= 0) {
    const known = sizeOf(s.filter((_, i) => i !== infer));
    s[infer] = known === 0 ? 0 : x.size / known;
  }
  if (sizeOf(s) !== x.size || s.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new RangeError(`reshape: cannot reshape ${shapeStr(x.shape)} (${x.size} elements) to ${shapeStr(shape)}`);
  }
  return record('reshape', [x], x.view(s), {});
}

function stridedCopy(op: string, x: Tensor, shape: Shape, strides: number[]): Tensor {
  const out = emptyTensor(shape);
  if (out.size) {
    const r = rt();
    r.dispatch(
      { label: op, code: COPY },
      [r.uniform(stridedParams(op, shape, [strides])), x.buffer, out.buffer],
      grid(out.size, 256),
    );
  }
  return out;
}

/** Permutes the axes (default: reversed), like np.transpose. */
export function transpose(x: Tensor, perm?: number[]): Tensor {
  const p = perm ?? x.shape.map((_, i) => x.rank - 1 - i);
  if (p.length !== x.rank || [...p].sort((a, b) => a - b).some((v, i) => v !== i)) {
    throw new RangeError(`transpose: perm [${p}] is not a permutation of the ${x.rank} axes of ${shapeStr(x.shape)}`);
  }
  const st = stridesOf(x.shape);
  const out = stridedCopy('transpose', x, p.map((a) => x.shape[a]), p.map((a) => st[a]));
  return record('transpose', [x], out, { perm: p });
}

/** Repeats x along broadcast dims to `shape` (NumPy rules). */
export function broadcastTo(x: Tensor, shape: Shape): Tensor {
  const target = broadcastShapes('broadcastTo', x.shape, shape);
  if (!sameShape(target, shape)) {
    throw new RangeError(`broadcastTo: cannot broadcast ${shapeStr(x.shape)} to ${shapeStr(shape)}`);
  }
  if (sameShape(x.shape, shape)) return reshape(x, shape);
  const out = stridedCopy('broadcastTo', x, shape, broadcastStrides(x.shape, shape));
  return record('broadcast', [x], out, {});
}

export const layoutRules: Rules<'reshape' | 'transpose' | 'broadcast'> = {
  reshape: (dy, n) => [reshape(dy, n.inputs[0].shape)],
  transpose: (dy, n) => {
    const inv = new Array<number>(n.attrs.perm.length);
    n.attrs.perm.forEach((a, i) => (inv[a] = i));
    return [transpose(dy, inv)];
  },
  broadcast: (dy, n) => [sumToShape(dy, n.inputs[0].shape)],
};
