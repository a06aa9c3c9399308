// Activation gradients folded into the product before them. In a stack of Dense layers the
// backward of layer l+1 computes dy = dz·Wᵀ, the gradient of layer l's output y, and layer
// l's rule then computes dz = dy ⊙ act'(y) (unary-grad.wgsl), a dispatch of its own. When
// that product is the only source of y's gradient, its epilogue can multiply by act'(y)
// itself (denseInputGrad below: fast/act-grads-io.wgsl, the same op_grad call)
// and layer l's rule take what it receives as dz. planActGrads finds where, on the tape,
// before backward runs: y must feed exactly one node, a dense node reading it as its input
// x, and keep no .grad of its own. The producer is a dense node with an activation (op'(y) from y) or a unary op
// (op'(x, y): gelu and silu follow their Dense as one). Read next: backward-plan.ts (the
// rules that use the plan), autograd/matmul.ts (the plain dense rule).

import actGradsIoWgsl from './act-grads-io.wgsl?raw';
import nanWgsl from '../kernels/wgsl/nan.wgsl?raw';
import { productShape } from '../autograd/matmul.ts';
import { ACTIVATIONS_WGSL, opId, type UnaryOp } from '../kernels/op-names.ts';
import { tapeReaders, type TapeNode } from '../autograd/tape.ts';
import { MATMUL_PARAMS_WGSL, runMatmul } from '../kernels/matmul-kernels.ts';
import { shapeStr } from '../tensor/shape.ts';
import { emptyTensor, type Tensor } from '../tensor/tensor.ts';

/** act-grads-io.wgsl with what it calls: the interface the matmul kernels read here. */
const ACT_GRAD_IO = nanWgsl + ACTIVATIONS_WGSL + MATMUL_PARAMS_WGSL + actGradsIoWgsl;

/** The factor op'(x, y) that a product's epilogue applies for the node that made y. */
export interface ActGrad {
  op: UnaryOp;
  x: Tensor;
  y: Tensor;
}

/** y's derivative factor when its producer's rule is dy ⊙ op'(x, y), else null. */
function factor(node: TapeNode): ActGrad | null {
  if (node.op === 'unary') return { op: (node as TapeNode<'unary'>).attrs.op, x: node.inputs[0], y: node.output };
  const act = node.op === 'dense' ? (node as TapeNode<'dense'>).attrs.activation : 'linear';
  // A Dense layer keeps only its output: its activations' derivatives read y alone.
  return act === 'linear' ? null : { op: act, x: node.output, y: node.output };
}

/** The outputs y on loss's tape whose gradient backward carries as dy ⊙ op'(x, y), with that factor. */
export function planActGrads(loss: Tensor): Map<Tensor, ActGrad> {
  const plan = new Map<Tensor, ActGrad>();
  for (const [y, [reader, ...others]] of tapeReaders(loss)) {
    const f = y.node && !y.requiresGrad && !others.length ? factor(y.node) : null;
    if (f && reader.op === 'dense' && reader.inputs.lastIndexOf(y) === 0) plan.set(y, f);
  }
  return plan;
}

/**
 * dz·wᵀ ⊙ op'(x, y) in one dispatch: a Dense layer's input gradient with the derivative of
 * the activation that made that input applied. Backward only: not recorded.
 */
export function denseInputGrad(dz: Tensor, w: Tensor, f: ActGrad): Tensor {
  const [M, K, N] = productShape('denseInputGrad', dz, w, false, true);
  const dx = emptyTensor([M, N]);
  if (f.x.size !== dx.size || f.y.size !== dx.size) {
    throw new RangeError(`denseInputGrad: the activation's ${shapeStr(f.x.shape)} input and ${shapeStr(f.y.shape)} output do not match the product ${shapeStr(dx.shape)}`);
  }
  if (M && N) runMatmul('denseInputGrad', ACT_GRAD_IO, [M, N, K], [dz.buffer, w.buffer, dx.buffer, f.x.buffer, f.y.buffer], { ACT: opId('UNARY', f.op) });
  return dx;
}
