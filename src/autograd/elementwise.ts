// Elementwise ops: unary (exp, relu, ...), binary with NumPy broadcasting (add, mul, ...,
// comparisons) and where(). Forward dispatches one WGSL kernel; the backward rules are
// below, next to their forward. Kernels: wgsl/unary.wgsl, unary-grad.wgsl, binary.wgsl,
// where.wgsl (strided.wgsl and activations.wgsl are shared snippets); the op ids come from
// kernels/op-names.ts. Float64 references: tests/util/reference.ts (unaryRef, zip, zip3).

import { kernelCode } from '../kernels/kernel-code.ts';
import { ACTIVATIONS_WGSL, type Activation, type BinaryOp, COMPARISONS, opId, type UnaryOp, wgslIds } from '../kernels/op-names.ts';
import binaryWgsl from '../kernels/wgsl/binary.wgsl?raw';
import stridedWgsl from '../kernels/wgsl/strided.wgsl?raw';
import unaryGradWgsl from '../kernels/wgsl/unary-grad.wgsl?raw';
import unaryWgsl from '../kernels/wgsl/unary.wgsl?raw';
import whereWgsl from '../kernels/wgsl/where.wgsl?raw';
import { grid, params, rt } from '../kernels/runtime.ts';
import { stridedParams } from './strided-params.ts';
import { constant } from '../tensor/create.ts';
import { broadcastShapes, broadcastStrides, type Shape } from '../tensor/shape.ts';
import { emptyTensor, Tensor } from '../tensor/tensor.ts';
import { sumToShape } from './reduce-kernel.ts';
import type { Rules } from './registry-types.ts';
import { record } from './tape.ts';

const UNARY = kernelCode(ACTIVATIONS_WGSL, unaryWgsl);
const UNARY_GRAD = kernelCode(ACTIVATIONS_WGSL, unaryGradWgsl);
const BINARY = kernelCode(wgslIds('BINARY'), stridedWgsl, binaryWgsl);
const WHERE = kernelCode(stridedWgsl, whereWgsl);

export type TensorLike = Tensor | number;
const asTensor = (x: TensorLike): Tensor => (x instanceof Tensor ? x : constant(x));

export function unary(op: UnaryOp, x: Tensor): Tensor {
  const y = emptyTensor(x.shape);
  if (x.size) {
    const r = rt();
    r.dispatch(
      { label: `unary:${op}`, code: UNARY, entry: 'forward', constants: { OP: opId('UNARY', op) } },
      [r.uniform(params([x.size])), x.buffer, y.buffer],
      grid(x.size, 256),
    );
  }
  return record('unary', [x], y, { op });
}

/** dx = dy * op'(x, y) in one kernel. */
export function unaryGrad(op: UnaryOp, x: Tensor, y: Tensor, dy: Tensor): Tensor {
  const dx = emptyTensor(x.shape);
  if (x.size) {
    const r = rt();
    r.dispatch(
      { label: `unary-grad:${op}`, code: UNARY_GRAD, constants: { OP: opId('UNARY', op) } },
      [r.uniform(params([x.size])), x.buffer, y.buffer, dy.buffer, dx.buffer],
      grid(x.size, 256),
    );
  }
  return dx;
}

/**
 * dx = dy * act'(y) for a fused Dense, which keeps only its output y: an activation's
 * derivative is a function of y alone (op-names.ts ACTIVATIONS), so y fills the x slot too.
 */
export function activationGrad(act: Activation, y: Tensor, dy: Tensor): Tensor {
  return unaryGrad(act, y, y, dy);
}

export function binary(op: BinaryOp, a: TensorLike, b: TensorLike): Tensor {
  const ta = asTensor(a);
  const tb = asTensor(b);
  const shape = broadcastShapes(op, ta.shape, tb.shape);
  const out = emptyTensor(shape);
  if (out.size) {
    const r = rt();
    r.dispatch(
      { label: `binary:${op}`, code: BINARY, constants: { OP: opId('BINARY', op) } },
      [
        r.uniform(stridedParams(op, shape, [broadcastStrides(ta.shape, shape), broadcastStrides(tb.shape, shape)])),
        ta.buffer,
        tb.buffer,
        out.buffer,
      ],
      grid(out.size, 256),
    );
  }
  return COMPARISONS.includes(op) ? out : record('binary', [ta, tb], out, { op });
}

/** cond != 0 ? a : b, elementwise with broadcasting. */
export function where(cond: Tensor, a: TensorLike, b: TensorLike): Tensor {
  const ta = asTensor(a);
  const tb = asTensor(b);
  const shape = broadcastShapes('where', broadcastShapes('where', cond.shape, ta.shape), tb.shape);
  const out = emptyTensor(shape);
  if (out.size) {
    const r = rt();
    const strides = [cond, ta, tb].map((t) => broadcastStrides(t.shape, shape));
    r.dispatch(
      { label: 'where', code: WHERE },
      [r.uniform(stridedParams('where', shape, strides)), cond.buffer, ta.buffer, tb.buffer, out.buffer],
      grid(out.size, 256),
    );
  }
  return record('where', [cond, ta, tb], out, {});
}

export const add = (a: TensorLike, b: TensorLike) => binary('add', a, b);
export const sub = (a: TensorLike, b: TensorLike) => binary('sub', a, b);
export const mul = (a: TensorLike, b: TensorLike) => binary('mul', a, b);
export const div = (a: TensorLike, b: TensorLike) => binary('div', a, b);
export const pow = (a: TensorLike, b: TensorLike) => binary('pow', a, b);
export const maximum = (a: TensorLike, b: TensorLike) => binary('maximum', a, b);
export const minimum = (a: TensorLike, b: TensorLike) => binary('minimum', a, b);
export const equal = (a: TensorLike, b: TensorLike) => binary('equal', a, b);
export const notEqual = (a: TensorLike, b: TensorLike) => binary('notEqual', a, b);
export const less = (a: TensorLike, b: TensorLike) => binary('less', a, b);
export const lessEqual = (a: TensorLike, b: TensorLike) => binary('lessEqual', a, b);
export const greater = (a: TensorLike, b: TensorLike) => binary('greater', a, b);
export const greaterEqual = (a: TensorLike, b: TensorLike) => binary('greaterEqual', a, b);

export const neg = (x: Tensor) => unary('neg', x);
export const abs = (x: Tensor) => unary('abs', x);
export const sign = (x: Tensor) => unary('sign', x);
export const exp = (x: Tensor) => unary('exp', x);
export const log = (x: Tensor) => unary('log', x);
export const sqrt = (x: Tensor) => unary('sqrt', x);
export const square = (x: Tensor) => unary('square', x);
export const relu = (x: Tensor) => unary('relu', x);
export const elu = (x: Tensor) => unary('elu', x);
export const selu = (x: Tensor) => unary('selu', x);
export const sigmoid = (x: Tensor) => unary('sigmoid', x);
export const tanh = (x: Tensor) => unary('tanh', x);
export const softplus = (x: Tensor) => unary('softplus', x);
export const gelu = (x: Tensor) => unary('gelu', x);
export const silu = (x: Tensor) => unary('silu', x);
export const hardSigmoid = (x: Tensor) => unary('hard_sigmoid', x);

/** The gradient of a broadcast operand: dy summed over the broadcast dims, back to `shape`. */
const unb = (dy: Tensor, shape: Shape) => sumToShape(dy, shape);

// NOTE: maximum/minimum send the gradient of a tie to the first operand (as TF does).
export const elementwiseRules: Rules<'unary' | 'binary' | 'where'> = {
  unary: (dy, n) => [unaryGrad(n.attrs.op, n.inputs[0], n.output, dy)],
  binary: (dy, n) => {
    const [a, b] = n.inputs;
    const y = n.output;
    switch (n.attrs.op) {
      case 'add':
        return [unb(dy, a.shape), unb(dy, b.shape)];
      case 'sub':
        return [unb(dy, a.shape), unb(neg(dy), b.shape)];
      case 'mul':
        return [unb(mul(dy, b), a.shape), unb(mul(dy, a), b.shape)];
      case 'div':
        return [unb(div(dy, b), a.shape), unb(neg(mul(dy, div(y, b))), b.shape)];
      case 'pow':
        // d/da a^b = b a^(b-1); d/db a^b = a^b ln a (NaN for a < 0, as in TF).
        return [unb(mul(dy, mul(b, pow(a, sub(b, 1)))), a.shape), unb(mul(dy, mul(y, log(a))), b.shape)];
      case 'maximum':
      case 'minimum': {
        const first = n.attrs.op === 'maximum' ? greaterEqual(a, b) : lessEqual(a, b);
        return [unb(mul(dy, first), a.shape), unb(mul(dy, sub(1, first)), b.shape)];
      }
      default:
        return [null, null];
    }
  },
  where: (dy, n) => {
    const [c, a, b] = n.inputs;
    return [null, unb(where(c, dy, 0), a.shape), unb(where(c, 0, dy), b.shape)];
  },
};
