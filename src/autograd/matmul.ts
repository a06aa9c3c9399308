// Matrix products: matmul (with transpose flags, so backward needs no transpose copies)
// and dense (matmul + bias + activation in one kernel: the forward of a Dense layer).
// Kernels: kernels/matmul-kernels.ts assembles them (matmul-naive.wgsl is the spec). The
// fast layer's rewrites of the dense rule (fit's SGD inside it, activation gradients folded
// into its dx product) are in src/fast/act-grads.ts and fused-sgd.ts.
// Float64 reference: tests/util/reference.ts matmul.

import { PRODUCT_IO, runMatmul } from '../kernels/matmul-kernels.ts';
import { rt } from '../kernels/runtime.ts';
import { shapeStr } from '../tensor/shape.ts';
import { emptyTensor, type Tensor } from '../tensor/tensor.ts';
import { activationGrad } from './elementwise.ts';
import { type Activation, opId } from '../kernels/op-names.ts';
import { sum } from './reduce.ts';
import type { Rules } from './registry-types.ts';
import { needsGrad, record, type TapeNode } from './tape.ts';

/** The product's extras: a bias and activation (dense's forward), column sums (matmul-io.wgsl's COL_SUMS). */
interface Epilogue {
  bias: Tensor | null;
  activation: Activation;
  colSums: Tensor | null;
}

/** [M, K, N] of op(a) · op(b), after checking the operands fit. */
export function productShape(op: string, a: Tensor, b: Tensor, transA: boolean, transB: boolean): [number, number, number] {
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
  return [M, Ka, N];
}

function product(op: string, a: Tensor, b: Tensor, transA: boolean, transB: boolean, e: Epilogue): Tensor {
  const [M, K, N] = productShape(op, a, b, transA, transB);
  const { bias, activation, colSums } = e;
  if (bias && (bias.rank !== 1 || bias.shape[0] !== N)) {
    throw new RangeError(`${op}: bias ${shapeStr(bias.shape)} does not match ${N} output units`);
  }
  const out = emptyTensor([M, N]);
  if (M && N) {
    const constants = {
      TRANS_A: Number(transA),
      TRANS_B: Number(transB),
      HAS_BIAS: Number(!!bias),
      ACT: opId('UNARY', activation),
      COL_SUMS: Number(!!colSums),
    };
    // Bindings a variant does not touch get a buffer that aliases no writable one.
    const buffers = [a.buffer, b.buffer, (bias ?? a).buffer, out.buffer, colSums?.buffer ?? rt().unusedStorage()];
    runMatmul(op, PRODUCT_IO, [M, N, K], buffers, constants, M + (colSums ? 1 : 0));
  }
  return out;
}

const plain: Epilogue = { bias: null, activation: 'linear', colSums: null };

/** op(a) · op(b) where op transposes when the flag is set. */
export function matmul(a: Tensor, b: Tensor, transA = false, transB = false): Tensor {
  return record('matmul', [a, b], product('matmul', a, b, transA, transB, plain), { transA, transB });
}

/**
 * A Dense layer's weight and bias gradients, [xᵀ·dz, the column sums of dz], in one
 * dispatch (matmul-io.wgsl's COL_SUMS). Backward only: not recorded.
 */
export function denseParamGrads(x: Tensor, dz: Tensor): [Tensor, Tensor] {
  const colSums = emptyTensor([dz.shape[1] ?? 0]);
  return [product('matmul', x, dz, true, false, { ...plain, colSums }), colSums];
}

/** The gradients of dense node n's weight and bias (if it has one) from dz, null where none is needed. */
export function denseWeightGrads(n: TapeNode<'dense'>, dz: Tensor): (Tensor | null)[] {
  const [x, w, b] = n.inputs;
  const [wantW, wantB] = [needsGrad(w), !!b && needsGrad(b)];
  if (wantW && wantB) return denseParamGrads(x, dz); // dW and db in one dispatch
  const dw = wantW ? matmul(x, dz, true, false) : null;
  return b ? [dw, wantB ? sum(dz, 0) : null] : [dw];
}

/** activation(x · w + b): a Dense layer's forward in one dispatch. */
export function dense(x: Tensor, w: Tensor, b: Tensor | null, activation: Activation = 'linear'): Tensor {
  const y = product('dense', x, w, false, false, { bias: b, activation, colSums: null });
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
    const [x, w] = n.inputs;
    const act = n.attrs.activation;
    const dz = act === 'linear' ? dy : activationGrad(act, n.output, dy);
    // The first layer's input (the data) needs no gradient: skip its product.
    const dx = needsGrad(x) ? matmul(dz, w, false, true) : null;
    return [dx, ...denseWeightGrads(n, dz)];
  },
};
