// Adamax (Kingma & Ba 2014, section 7.1), Keras 3's form (keras/src/optimizers/adamax.py):
//   m += (g − m)(1−β1);  u = max(β2·u, |g|);  w −= lr·m / ((1−β1^t)(u + ε)).
// Read next: adam.ts, wgsl/optim-update.wgsl (adamax).

import type { StepRule } from './kernels.ts';
import { Optimizer, type OptimizerOptions } from './optimizer.ts';
import { decayRate, nonNegative } from './validate.ts';

export interface AdamaxOptions extends OptimizerOptions {
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

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

  protected stepRule(lr: number, t: number): StepRule {
    return { rule: 'adamax', flags: 0, lr, h: [1 - this.beta1, this.beta2, this.epsilon, 1 - this.beta1 ** t] };
  }

  protected ruleConfig() {
    return { beta_1: this.beta1, beta_2: this.beta2, epsilon: this.epsilon };
  }
}
