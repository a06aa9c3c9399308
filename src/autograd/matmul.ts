// Matrix products: matmul (with transpose flags, so backward needs no transpose copies)
// and dense (matmul + bias + activation in one kernel: the forward of a Dense layer).
// Kernel: wgsl/matmul.wgsl (tiling explained there).

import activationsWgsl from '../kernels/wgsl/activations.wgsl?raw';
import matmulWgsl from '../kernels/wgsl/matmul.wgsl?raw';
import nanWgsl from '../kernels/wgsl/nan.wgsl?raw';
import { params, rt } from '../kernels/runtime.ts';
import { shapeStr } from '../tensor/shape.ts';
import { emptyTensor, type Tensor } from '../tensor/tensor.ts';
import { unaryGrad } from './elementwise.ts';
import { type Activation, UNARY_OPS } from './op-names.ts';
import { sum } from './reduce.ts';
import type { Rules } from './registry-types.ts';
import { needsGrad, record } from './tape.ts';

const CODE = nanWgsl + activationsWgsl + matmulWgsl;
/** Output tile per workgroup (TM and LANES * TN in matmul.wgsl). */
const TILE_M = 16;
const TILE_N = 64;

function product(
  op: string,
  a: Tensor,
  b: Tensor,
  transA: boolean,
  transB: boolean,
  bias: Tensor | null,
  activation: Activation,
): Tensor {
  if (a.rank !== 2 || b.rank !== 2) {
    throw new RangeError(`${op}: expected 2-D operands, got ${shapeStr(a.shape)} x ${shapeStr(b.shape)}`);
  }
  const [M, Ka] = transA ? [a.shape[1], a.shape[0]] : [a.shape[0], a.shape[1]];
  const [Kb, N] = transB ? [b.shape[1], b.shape[0]] : [b.shape[0], b.shape[1]];
  if (Ka !== Kb) {
    const t = (s: boolean) => (s ? 'ᵀ' : '');
    throw new RangeError(
      `${op}: ${shapeStr(a.shape)}${t(transA)} x ${shapeStr(b.shape)}${t(transB)}: inner dimensions ${Ka} != ${Kb}`,
    );
  }
  if (bias && (bias.rank !== 1 || bias.shape[0] !== N)) {
    throw new RangeError(`${op}: bias ${shapeStr(bias.shape)} does not match ${N} output units`);
  }
  const out = emptyTensor([M, N]);
  if (M && N) {
    const r = rt();
    r.dispatch(
      {
        label: op,
        code: CODE,
        constants: { TRANS_A: Number(transA), TRANS_B: Number(transB), HAS_BIAS: Number(!!bias), ACT: UNARY_OPS[activation] },
      },
      [r.uniform(params([M, N, Ka])), a.buffer, b.buffer, (bias ?? a).buffer, out.buffer],
      [Math.ceil(N / TILE_N), Math.ceil(M / TILE_M)],
    );
  }
  return out;
}

/** op(a) · op(b) where op transposes when the flag is set. */
export function matmul(a: Tensor, b: Tensor, transA = false, transB = false): Tensor {
  return record('matmul', [a, b], product('matmul', a, b, transA, transB, null, 'linear'), { transA, transB });
}

/** activation(x · w + b): a Dense layer's forward in one dispatch. */
export function dense(x: Tensor, w: Tensor, b: Tensor | null, activation: Activation = 'linear'): Tensor {
  const y = product('dense', x, w, false, false, b, activation);
  return record('dense', b ? [x, w, b] : [x, w], y, { activation });
}

export const matmulRules: Rules<'matmul' | 'dense'> = {
  // C = op(A) op(B): dA and dB are again products with transposes, never transpose copies.
  matmul: (dC, n) => {
    const [A, B] = n.inputs;
    const { transA, transB } = n.attrs;
    const dA = !needsGrad(A) ? null : transA ? matmul(B, dC, transB, true) : matmul(dC, B, false, !transB);
    const dB = !needsGrad(B) ? null : transB ? matmul(dC, A, true, transA) : matmul(A, dC, !transA, false);
    return [dA, dB];
  },
  // y = act(x W + b): dz = dy * act'(y) (from the output alone), then three products.
  dense: (dy, n) => {
    const [x, w, b] = n.inputs;
    const act = n.attrs.activation;
    const dz = act === 'linear' ? dy : unaryGrad(act, n.output, n.output, dy);
    // The first layer's input (the data) needs no gradient: skip its product.
    const grads: (Tensor | null)[] = [needsGrad(x) ? matmul(dz, w, false, true) : null, needsGrad(w) ? matmul(x, dz, true, false) : null];
    if (b) grads.push(needsGrad(b) ? sum(dz, 0) : null);
    return grads;
  },
};
