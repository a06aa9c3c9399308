// softmax and logSoftmax along an axis (default: last), one kernel each
// (wgsl/softmax.wgsl; float64 reference: tests/util/reference.ts softmax), and their
// backward rules:
//   softmax:    dx = y * (dy - sum(dy * y))
//   logSoftmax: dx = dy - exp(y) * sum(dy)

import { kernelCode } from '../kernels/kernel-code.ts';
import softmaxWgsl from '../kernels/wgsl/softmax.wgsl?raw';
import { grid, params, rt } from '../kernels/runtime.ts';
import { normAxis, sizeOf } from '../tensor/shape.ts';
import { emptyTensor, type Tensor } from '../tensor/tensor.ts';
import { exp, mul, sub } from './elementwise.ts';
import { SERIAL_MAX_LEN, sum } from './reduce.ts';
import type { Rules } from './registry-types.ts';
import { record } from './tape.ts';

const SOFTMAX = kernelCode(softmaxWgsl);

function run(x: Tensor, axis: number, log: boolean): Tensor {
  const outer = sizeOf(x.shape.slice(0, axis));
  const inner = sizeOf(x.shape.slice(axis + 1));
  const y = emptyTensor(x.shape);
  const rows = outer * inner;
  if (rows && x.shape[axis]) {
    const r = rt();
    const serial = x.shape[axis] <= SERIAL_MAX_LEN; // an invocation per row, else a workgroup
    r.dispatch(
      { label: log ? 'logSoftmax' : 'softmax', code: SOFTMAX, entry: serial ? 'serial' : 'main', constants: { LOG: Number(log) } },
      [r.uniform(params([outer, x.shape[axis], inner])), x.buffer, y.buffer],
      serial ? grid(rows, 64) : grid(rows, 1),
    );
  }
  return y;
}

export function softmax(x: Tensor, axis = -1): Tensor {
  const a = normAxis('softmax', axis, x.rank);
  return record('softmax', [x], run(x, a, false), { axis: a });
}

export function logSoftmax(x: Tensor, axis = -1): Tensor {
  const a = normAxis('logSoftmax', axis, x.rank);
  return record('logSoftmax', [x], run(x, a, true), { axis: a });
}

export const softmaxRules: Rules<'softmax' | 'logSoftmax'> = {
  softmax: (dy, n) => {
    const y = n.output;
    return [mul(y, sub(dy, sum(mul(dy, y), n.attrs.axis, true)))];
  },
  logSoftmax: (dy, n) => [sub(dy, mul(exp(n.output), sum(dy, n.attrs.axis, true)))],
};
