// Weight constraints, applied to a weight after every optimizer update during fit (as
// Keras does; TensorFlow.js never applies them in fit, tfjs#3345). Formulas from
// keras/src/constraints/constraints.py: max_norm w * clip(n, 0, max) / (eps + n) with n the
// L2 norm along `axis`; non_neg w * (w >= 0); unit_norm w / (eps + n).

import { add, div, greaterEqual, minimum, mul, sqrt, square } from '../../autograd/elementwise.ts';
import { sum } from '../../autograd/reduce.ts';
import type { Tensor } from '../../tensor/tensor.ts';
import { lookup } from '../../lookup.ts';

const EPS = 1e-7;

export interface Constraint {
  className: string;
  getConfig(): Record<string, number | number[]>;
  /** The constrained values (a new tensor); the caller writes them into the weight. */
  apply(w: Tensor): Tensor;
}

const norm = (w: Tensor, axis: number | number[]) => sqrt(sum(square(w), axis, true));

export function maxNorm(maxValue = 2, axis: number | number[] = 0): Constraint {
  if (!(maxValue > 0)) throw new RangeError(`maxNorm: maxValue must be > 0, got ${maxValue}`);
  return {
    className: 'MaxNorm',
    getConfig: () => ({ max_value: maxValue, axis }),
    apply: (w) => {
      const n = norm(w, axis);
      return mul(w, div(minimum(n, maxValue), add(n, EPS)));
    },
  };
}

export function nonNeg(): Constraint {
  return { className: 'NonNeg', getConfig: () => ({}), apply: (w) => mul(w, greaterEqual(w, 0)) };
}

export function unitNorm(axis: number | number[] = 0): Constraint {
  return { className: 'UnitNorm', getConfig: () => ({ axis }), apply: (w) => div(w, add(norm(w, axis), EPS)) };
}

export const constraints = { maxNorm, nonNeg, unitNorm };

export type ConstraintSpec = Constraint | string | null | undefined;

export function getConstraint(spec: ConstraintSpec, config: Record<string, unknown> = {}): Constraint | null {
  if (spec == null) return null;
  if (typeof spec !== 'string') return spec;
  const axis = config.axis as number | number[] | undefined;
  return lookup('constraint', spec, {
    max_norm: () => maxNorm((config.max_value as number | undefined) ?? 2, axis ?? 0),
    non_neg: () => nonNeg(),
    unit_norm: () => unitNorm(axis ?? 0),
  })();
}
