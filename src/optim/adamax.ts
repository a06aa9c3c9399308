// Adamax (Kingma & Ba 2014, section 7.1), Keras 3's form (keras/src/optimizers/adamax.py):
//   m += (g − m)(1−β1);  u = max(β2·u, |g|);  w −= lr·m / ((1−β1^t)(u + ε)).
// Read next: adamax.wgsl (the rule on the GPU), adam.ts.

import wgsl from './adamax.wgsl?raw';
import type { UpdateRule } from './kernels.ts';
import { Optimizer, type OptimizerOptions } from './optimizer.ts';
import { decayRate, nonNegative } from './validate.ts';

export interface AdamaxOptions extends OptimizerOptions {
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

/** adamax.wgsl's `struct Hyper`. */
type AdamaxHyper = { one_minus_beta_1: number; beta_2: number; epsilon: number; one_minus_beta_1_power: number };

export class Adamax extends Optimizer {
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;

  constructor(options: AdamaxOptions = {}) {
    super(options, { className: 'Adamax', name: 'adamax', learningRate: 0.001 });
    this.beta1 = decayRate('Adamax', 'beta_1', options.beta1 ?? 0.9);
    this.beta2 = decayRate('Adamax', 'beta_2', options.beta2 ?? 0.999);
    this.epsilon = nonNegative('Adamax', 'epsilon', options.epsilon ?? 1e-7);
  }

  protected slotNames(): readonly string[] {
    return ['momentum', 'norm'];
  }

  protected rule(): UpdateRule {
    return { name: 'adamax', wgsl };
  }

  protected updateStep(_lr: number, t: number): AdamaxHyper {
    return {
      one_minus_beta_1: 1 - this.beta1,
      beta_2: this.beta2,
      epsilon: this.epsilon,
      one_minus_beta_1_power: 1 - this.beta1 ** t,
    };
  }

  protected ruleConfig() {
    return { beta_1: this.beta1, beta_2: this.beta2, epsilon: this.epsilon };
  }
}
