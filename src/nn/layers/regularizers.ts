// Weight penalties added to the training loss (Keras: l1 * sum|w| + l2 * sum w^2, no 1/2),
// and reported inside `loss` exactly as Keras does. The seed's
// `functools.partial(Dense, kernel_regularizer=l2(0.01))` is `withDefaults` (layers/defaults.ts).

import { abs, add, mul, square } from '../../autograd/elementwise.ts';
import { sum } from '../../autograd/reduce.ts';
import type { Tensor } from '../../tensor/tensor.ts';
import { lookup } from '../../lookup.ts';

export class Regularizer {
  /** The Keras class (L1, L2 or L1L2) is kept, not guessed from the values: l1l2() and l1(0) are zero for one term. */
  constructor(
    readonly l1 = 0,
    readonly l2 = 0,
    readonly className: 'L1' | 'L2' | 'L1L2' = 'L1L2',
  ) {
    for (const [k, v] of [['l1', l1], ['l2', l2]] as const) {
      if (!(v >= 0) || !Number.isFinite(v)) throw new RangeError(`regularizer: ${k} must be a finite number >= 0, got ${v}`);
    }
  }

  /** The penalty for weights `w` (a scalar tensor on the tape). */
  penalty(w: Tensor): Tensor {
    const terms: Tensor[] = [];
    if (this.l1) terms.push(mul(sum(abs(w)), this.l1));
    if (this.l2) terms.push(mul(sum(square(w)), this.l2));
    return terms.length === 2 ? add(terms[0], terms[1]) : terms[0] ?? mul(sum(w), 0);
  }

  getConfig(): Record<string, number> {
    if (this.className === 'L1') return { l1: this.l1 };
    if (this.className === 'L2') return { l2: this.l2 };
    return { l1: this.l1, l2: this.l2 };
  }
}

/** Keras's defaults: l1(0.01), l2(0.01), l1l2({l1: 0, l2: 0}). */
export const l1 = (x = 0.01) => new Regularizer(x, 0, 'L1');
export const l2 = (x = 0.01) => new Regularizer(0, x, 'L2');
export const l1l2 = ({ l1: a = 0, l2: b = 0 }: { l1?: number; l2?: number } = {}) => new Regularizer(a, b, 'L1L2');

export const regularizers = { l1, l2, l1l2 };

export type RegularizerSpec = Regularizer | 'l1' | 'l2' | 'l1_l2' | null | undefined;

export function getRegularizer(spec: RegularizerSpec | string): Regularizer | null {
  if (spec == null) return null;
  if (spec instanceof Regularizer) return spec;
  return lookup('regularizer', spec, { l1: () => l1(), l2: () => l2(), l1_l2: () => l1l2() })();
}

/** From a Keras config {class_name, config}. */
export function regularizerFromConfig(className: string, config: { l1?: number; l2?: number }): Regularizer {
  return lookup('regularizer', className, {
    L1: () => l1(config.l1 ?? 0.01),
    L2: () => l2(config.l2 ?? 0.01),
    L1L2: () => l1l2(config),
  })();
}
