// checkOp: one harness for every op (tinygrad's helper_test_op idea). The same inputs go
// through the float64 reference and the GPU; the forward is compared, then the GPU
// gradient of sum(w * op(x)) is compared with central finite differences of the reference.

import { backward, type BackwardPlan } from '../../src/autograd/backward.ts';
import { tensor } from '../../src/tensor/create.ts';
import { tidy } from '../../src/tensor/memory.ts';
import type { Tensor } from '../../src/tensor/tensor.ts';
import { expectClose, numericGrad, type Tol, values } from './check.ts';
import { type Arr, size } from './reference.ts';

export interface InputSpec {
  shape: number[];
  lo?: number;
  hi?: number;
  /** Fixed values instead of random ones (labels, special values). */
  data?: number[];
  /** Set false for inputs that take no gradient (labels, conditions). */
  grad?: boolean;
}

export interface OpCase {
  name: string;
  inputs: InputSpec[];
  gpu: (ts: Tensor[]) => Tensor;
  ref: (xs: Arr[]) => Arr;
  tol?: Tol;
  gradTol?: Tol;
  /** Skip the gradient check (non-differentiable ops such as comparisons). */
  noGrad?: boolean;
  /** The fast layer's plan for y's tape, to check its rules instead of the plain ones. */
  plan?: (y: Tensor) => BackwardPlan;
}

export async function checkOp(c: OpCase, seed = 1): Promise<void> {
  const xs: Arr[] = c.inputs.map((s, i) => ({
    data: s.data ? Float64Array.from(s.data) : values(size(s.shape), seed * 31 + i, s.lo ?? -1, s.hi ?? 1),
    shape: [...s.shape],
  }));
  const want = c.ref(xs);
  const ts = xs.map((x, i) => {
    const t = tensor(Float32Array.from(x.data), x.shape);
    t.requiresGrad = !c.noGrad && c.inputs[i].grad !== false;
    return t;
  });
  const y = c.gpu(ts);
  expectClose(await y.data(), want.data, c.tol, `${c.name} forward`);
  if (!c.noGrad) {
    const w = values(size(want.shape), seed + 7);
    tidy(() => backward(y, tensor(Float32Array.from(w), y.shape), c.plan?.(y)));
    const numeric = numericGrad(c.ref, xs, w);
    for (let i = 0; i < ts.length; i++) {
      if (!ts[i].requiresGrad) continue;
      const g = ts[i].grad;
      if (!g) throw new Error(`${c.name}: input ${i} got no gradient`);
      expectClose(await g.data(), numeric[i], c.gradTol ?? { atol: 1e-4, rtol: 1e-3 }, `${c.name} grad of input ${i}`);
    }
  }
  for (const t of ts) {
    t.grad?.dispose();
    t.dispose();
  }
  y.dispose();
}
