// Adam (Kingma & Ba 2014), Keras 3's form (keras/src/optimizers/adam.py):
//   m += (g − m)(1−β1);  v += (g² − v)(1−β2);  α = lr·sqrt(1−β2^t)/(1−β1^t)
//   w −= α·m / (sqrt(v) + ε)      (ε "hat", outside the bias correction)
// with AMSGrad (Reddi et al. 2018) using v̂ = max(v̂, v) in place of v.
// Read next: adam.wgsl (the rule on the GPU), adamw.ts (Adam + weight decay), nadam.ts.

import wgsl from './adam.wgsl?raw';
import type { UpdateRule } from './kernels.ts';
import { Optimizer, type OptimizerOptions } from './optimizer.ts';
import { decayRate, nonNegative } from './validate.ts';

export interface AdamOptions extends OptimizerOptions {
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  amsgrad?: boolean;
}

/** adam.wgsl's `struct Hyper`. */
type AdamHyper = { alpha: number; one_minus_beta_1: number; one_minus_beta_2: number; epsilon: number };

export class Adam extends Optimizer {
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly amsgrad: boolean;

  /** `identity` lets AdamW reuse the rule under its own class name and defaults. */
  constructor(options: AdamOptions = {}, identity = { className: 'Adam', name: 'adam' }) {
    super(options, { ...identity, learningRate: 0.001 });
    this.beta1 = decayRate(identity.className, 'beta_1', options.beta1 ?? 0.9);
    this.beta2 = decayRate(identity.className, 'beta_2', options.beta2 ?? 0.999);
    this.epsilon = nonNegative(identity.className, 'epsilon', options.epsilon ?? 1e-7);
    this.amsgrad = options.amsgrad ?? false;
  }

  protected slotNames(): readonly string[] {
    return this.amsgrad ? ['momentum', 'velocity', 'velocity_hat'] : ['momentum', 'velocity'];
  }

  protected rule(): UpdateRule {
    return { name: 'adam', wgsl, options: { amsgrad: this.amsgrad } };
  }

  /** The bias corrections fold into the step size α, once per step rather than per element. */
  protected updateStep(lr: number, t: number): AdamHyper {
    return {
      alpha: (lr * Math.sqrt(1 - this.beta2 ** t)) / (1 - this.beta1 ** t),
      one_minus_beta_1: 1 - this.beta1,
      one_minus_beta_2: 1 - this.beta2,
      epsilon: this.epsilon,
    };
  }

  protected ruleConfig() {
    return { beta_1: this.beta1, beta_2: this.beta2, epsilon: this.epsilon, amsgrad: this.amsgrad };
  }
}
