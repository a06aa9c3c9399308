// SGD with optional momentum (Polyak 1964) or Nesterov momentum (Nesterov 1983, in the form
// of Sutskever et al. 2013), Keras 3's form (keras/src/optimizers/sgd.py):
//   m = momentum·m − lr·g;  w += m   (Nesterov: w += momentum·m − lr·g)
// and tf.keras 2's `decay` (power scheduling, lr / (1 + decay·t)) from the base class.
// Read next: sgd.wgsl (the rule on the GPU), optimizer.ts (clipping, weight decay, state).

import type { UpdateRule } from './kernels.ts';
import { Optimizer, type OptimizerOptions } from './optimizer.ts';
import wgsl from './sgd.wgsl?raw';
import { unitInterval } from './validate.ts';

export interface SGDOptions extends OptimizerOptions {
  /** In [0, 1]; 0 (the default) is plain gradient descent and keeps no slot. */
  momentum?: number;
  nesterov?: boolean;
}

/** sgd.wgsl's `struct Hyper`. */
type SGDHyper = { momentum: number };

export class SGD extends Optimizer {
  readonly momentum: number;
  readonly nesterov: boolean;

  constructor(options: SGDOptions = {}) {
    super(options, { className: 'SGD', name: 'SGD', learningRate: 0.01 });
    this.momentum = unitInterval('SGD', 'momentum', options.momentum ?? 0);
    this.nesterov = options.nesterov ?? false;
  }

  protected slotNames(): readonly string[] {
    return this.momentum !== 0 ? ['momentum'] : [];
  }

  protected rule(): UpdateRule {
    if (this.momentum === 0) return { name: 'sgd', wgsl, entry: 'descend' };
    return { name: 'sgd_momentum', wgsl, options: { nesterov: this.nesterov } };
  }

  protected updateStep(): SGDHyper {
    return { momentum: this.momentum };
  }

  protected override isPlainDescent(): boolean {
    return this.momentum === 0;
  }

  protected ruleConfig() {
    return { momentum: this.momentum, nesterov: this.nesterov };
  }
}
