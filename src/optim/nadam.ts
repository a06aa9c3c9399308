// Nadam (Dozat 2015), Keras 3's form (keras/src/optimizers/nadam.py): Adam with Nesterov
// momentum and the schedule u_t = β1·(1 − 0.5·0.96^t); each step first multiplies the
// running product Πu (saved as `u_product`) by u_t, then with v̂ = v/(1 − β2^t):
//   m̂ = u_{t+1}·m/(1 − Πu·u_{t+1}) + (1 − u_t)·g/(1 − Πu);  w −= lr·m̂ / (sqrt(v̂) + ε).
// Read next: nadam.wgsl (the rule on the GPU), adam.ts.

import type { UpdateRule } from './kernels.ts';
import wgsl from './nadam.wgsl?raw';
import { Optimizer, type OptimizerOptions, type ScalarState } from './optimizer.ts';
import { decayRate, nonNegative } from './validate.ts';

export interface NadamOptions extends OptimizerOptions {
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

/** nadam.wgsl's `struct Hyper`: m̂'s two weights, and v̂'s correction. */
type NadamHyper = {
  one_minus_beta_1: number;
  one_minus_beta_2: number;
  epsilon: number;
  momentum_weight: number;
  gradient_weight: number;
  one_minus_beta_2_power: number;
};

export class Nadam extends Optimizer {
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  /** Π u_1..u_t, kept in float64 on the host (Keras keeps it as a float32 variable). */
  private readonly uProduct: ScalarState = { name: 'u_product', value: 1 };

  constructor(options: NadamOptions = {}) {
    super(options, { className: 'Nadam', name: 'nadam', learningRate: 0.001 });
    this.beta1 = decayRate('Nadam', 'beta_1', options.beta1 ?? 0.9);
    this.beta2 = decayRate('Nadam', 'beta_2', options.beta2 ?? 0.999);
    this.epsilon = nonNegative('Nadam', 'epsilon', options.epsilon ?? 1e-7);
  }

  protected slotNames(): readonly string[] {
    return ['momentum', 'velocity'];
  }

  protected override scalarState(): ScalarState[] {
    return [this.uProduct];
  }

  protected rule(): UpdateRule {
    return { name: 'nadam', wgsl };
  }

  private u(t: number): number {
    return this.beta1 * (1 - 0.5 * 0.96 ** t);
  }

  /** Advances u_product (a captured step's replay calls this again, as a real step would). */
  protected updateStep(_lr: number, t: number): NadamHyper {
    const ut = this.u(t);
    const utNext = this.u(t + 1);
    this.uProduct.value *= ut;
    const prod = this.uProduct.value;
    return {
      one_minus_beta_1: 1 - this.beta1,
      one_minus_beta_2: 1 - this.beta2,
      epsilon: this.epsilon,
      momentum_weight: utNext / (1 - prod * utNext),
      gradient_weight: (1 - ut) / (1 - prod),
      one_minus_beta_2_power: 1 - this.beta2 ** t,
    };
  }

  protected ruleConfig() {
    return { beta_1: this.beta1, beta_2: this.beta2, epsilon: this.epsilon };
  }
}
