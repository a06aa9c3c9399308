// Matrix products: matmul (with transpose flags, so backward needs no transpose copies)
// and dense (matmul + bias + activation in one kernel: the forward of a Dense layer).
// Kernels: kernels/matmul-kernels.ts assembles them (matmul-naive.wgsl is the spec); fit's
// plain SGD inside the dense rule: fused-update.ts; activation gradients folded into the
// dense rule's dx product: fused-act-grad.ts. Float64 reference: tests/util/reference.ts matmul.

import { matmulKernel } from '../kernels/matmul-kernels.ts';
import { params, rt } from '../kernels/runtime.ts';
import { shapeStr } from '../tensor/shape.ts';
import { emptyTensor, type Tensor } from '../tensor/tensor.ts';
import { activationGrad } from './elementwise.ts';
import type { ActGrad } from './fused-act-grad.ts';
import { type Activation, opId } from '../kernels/op-names.ts';
import { sum } from './reduce.ts';
import type { Rules } from './registry-types.ts';
import { needsGrad, record } from './tape.ts';

/**
 * The product's extras: a bias and activation (dense's forward), column sums (matmul-io.wgsl's
 * COL_SUMS), or an activation's derivative to multiply by (its ACT_GRAD: fused-act-grad.ts).
 */
interface Epilogue {
  bias: Tensor | null;
  activation: Activation;
  colSums: Tensor | null;
  actGrad?: ActGrad;
}

/** [M, K, N] of op(a) · op(b), after checking the operands fit. */
function productShape(op: string, a: Tensor, b: Tensor, transA: boolean, transB: boolean): [number, number, number] {
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
  const { bias, activation, colSums, actGrad } = e;
  if (bias && (bias.rank !== 1 || bias.shape[0] !== N)) {
    throw new RangeError(`${op}: bias ${shapeStr(bias.shape)} does not match ${N} output units`);
  }
  const out = emptyTensor([M, N]);
  if (actGrad && (actGrad.x.size !== out.size || actGrad.y.size !== out.size)) {
    throw new RangeError(`${op}: the activation's ${shapeStr(actGrad.x.shape)} input and ${shapeStr(actGrad.y.shape)} output do not match the product ${shapeStr(out.shape)}`);
  }
  if (M && N) {
    const r = rt();
    const { code, tileM, tileN } = matmulKernel('product');
    const constants = {
      TRANS_A: Number(transA),
      TRANS_B: Number(transB),
      HAS_BIAS: Number(!!bias),
      ACT: opId('UNARY', actGrad?.op ?? activation),
      COL_SUMS: Number(!!colSums),
      ACT_GRAD: Number(!!actGrad),
    };
    // Bindings a variant does not touch get a buffer that aliases no writable one.
    const buffers = [r.uniform(params([M, N, K])), a.buffer, b.buffer, (bias ?? a).buffer, out.buffer];
    buffers.push(colSums?.buffer ?? r.unusedStorage(), (actGrad?.x ?? a).buffer, (actGrad?.y ?? a).buffer);
    r.dispatch({ label: op, code, constants }, buffers, [Math.ceil(N / tileN), Math.ceil((M + (colSums ? 1 : 0)) / tileM)]);
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

/**
 * dz·wᵀ ⊙ op'(x, y) in one dispatch: a Dense layer's input gradient with the derivative of
 * the activation that made that input applied (fused-act-grad.ts). Backward only: not recorded.
 */
export function denseInputGrad(dz: Tensor, w: Tensor, actGrad: ActGrad): Tensor {
  return product('denseInputGrad', dz, w, false, true, { ...plain, actGrad });
}

/**
 * Plain SGD on a Dense layer's weight w and bias b from their gradients xᵀ·dz and the
 * column sums of dz, which are never stored (the dense-backward-with-SGD kernel,
 * dense-sgd-io.wgsl; `scalars` laid out by kernels/optim-step.ts). Backward only.
 */
export function denseSgd(x: Tensor, dz: Tensor, w: Tensor, b: Tensor, scalars: Tensor): void {
  const [M, K, N] = productShape('denseSgd', x, dz, true, false);
  if (w.rank !== 2 || w.shape[0] !== M || w.shape[1] !== N || b.rank !== 1 || b.shape[0] !== N) {
    throw new RangeError(`denseSgd: weight ${shapeStr(w.shape)} and bias ${shapeStr(b.shape)} do not fit ${shapeStr(x.shape)}ᵀ x ${shapeStr(dz.shape)}`);
  }
  if (!M || !N) return;
  const r = rt();
  const { code, tileM, tileN } = matmulKernel('dense-sgd');
  const buffers = [r.uniform(params([M, N, K])), x.buffer, dz.buffer, w.buffer, b.buffer, scalars.buffer];
  r.dispatch({ label: 'dense-sgd', code }, buffers, [Math.ceil(N / tileN), Math.ceil((M + 1) / tileM)]);
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
  dense: (dy, n, ctx) => {
    const [x, w, b] = n.inputs;
    const act = n.attrs.activation;
    // The product of the layer after may have applied act'(y) already (fused-act-grad.ts).
    const dz = act === 'linear' || ctx.actGrads.has(n.output) ? dy : activationGrad(act, n.output, dy);
    // The first layer's input (the data) needs no gradient: skip its product. When x is
    // another layer's output, the plan may have this product apply that layer's act'.
    const actGrad = ctx.actGrads.get(x);
    const dx = !needsGrad(x) ? null : actGrad ? denseInputGrad(dz, w, actGrad) : matmul(dz, w, false, true);
    // fit's plain SGD, applied here (fused-update.ts): dx above already read w, and the
    // plan made sure this node is the only reader of w and b.
    const sgd = ctx.fusedSgd;
    if (b && sgd?.pairs.get(w) === b) {
      denseSgd(x, dz, w, b, sgd.scalars);
      return [dx, null, null];
    }
    const [wantW, wantB] = [needsGrad(w), !!b && needsGrad(b)];
    if (wantW && wantB) return [dx, ...denseParamGrads(x, dz)]; // dW and db in one dispatch
    const grads = [dx, wantW ? matmul(x, dz, true, false) : null];
    return b ? [...grads, wantB ? sum(dz, 0) : null] : grads;
  },
};
