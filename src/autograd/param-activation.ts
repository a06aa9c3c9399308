// Activations with a scalar parameter, for Keras's LeakyReLU(negative_slope) and
// ELU(alpha) layers: one kernel forward, one backward (wgsl/param-activation.wgsl; op ids
// from kernels/op-names.ts). The fixed-parameter activation names (leaky_relu with 0.2, elu
// with 1) are unary ops. Float64 reference: tests/util/reference.ts leakyReluRef, eluRef.
// Read next: src/nn/layers/activation-layers.ts (the layers).

import { kernelCode } from '../kernels/kernel-code.ts';
import { opId, type ParamActivation, wgslIds } from '../kernels/op-names.ts';
import paramActivationWgsl from '../kernels/wgsl/param-activation.wgsl?raw';
import { grid, params, rt } from '../kernels/runtime.ts';
import { emptyTensor, type Tensor } from '../tensor/tensor.ts';
import type { Rules } from './registry-types.ts';
import { record } from './tape.ts';

const CODE = kernelCode(wgslIds('PARAM'), paramActivationWgsl);

function run(entry: 'forward' | 'backward', op: ParamActivation, a: number, inputs: Tensor[], out: Tensor): Tensor {
  if (out.size) {
    const r = rt();
    r.dispatch(
      { label: `${op}(${entry})`, code: CODE, entry, constants: { OP: opId('PARAM', op) } },
      [r.uniform(params([out.size], [a])), ...inputs.map((t) => t.buffer), out.buffer],
      grid(out.size, 256),
    );
  }
  return out;
}

/** y = x for x >= 0, else a x (a = 0.3 in Keras's LeakyReLU layer). */
export function leakyRelu(x: Tensor, slope: number): Tensor {
  return record('paramActivation', [x], run('forward', 'leaky_relu', slope, [x], emptyTensor(x.shape)), { op: 'leaky_relu', a: slope });
}

/** y = x for x >= 0, else alpha (e^x - 1). */
export function eluAlpha(x: Tensor, alpha: number): Tensor {
  return record('paramActivation', [x], run('forward', 'elu', alpha, [x], emptyTensor(x.shape)), { op: 'elu', a: alpha });
}

export const paramActivationRules: Rules<'paramActivation'> = {
  paramActivation: (dy, n) => [run('backward', n.attrs.op, n.attrs.a, [n.inputs[0], dy], emptyTensor(dy.shape))],
};
