// RMSprop (Hinton 2012, Neural Networks for Machine Learning, lecture 6e; centered: Graves
// 2013), Keras 3's form (keras/src/optimizers/rmsprop.py):
//   v = ρ·v + (1−ρ)·g²;  inc = lr·g / sqrt(v + ε)   (centered: sqrt(v − a² + ε), a = ρ·a + (1−ρ)·g)
//   w −= inc, or with momentum m = μ·m + inc, w −= m.  ε sits inside the sqrt, as in Keras.
// Read next: rmsprop.wgsl (the rule on the GPU), optimizer.ts.

import type { UpdateRule } from './kernels.ts';
import { Optimizer, type OptimizerOptions } from './optimizer.ts';
import wgsl from './rmsprop.wgsl?raw';
import { decayRate, nonNegative } from './validate.ts';

export interface RMSpropOptions extends OptimizerOptions {
  rho?: number;
  momentum?: number;
  epsilon?: number;
  centered?: boolean;
}

/** rmsprop.wgsl's `struct Hyper`. */
type RMSpropHyper = { rho: number; one_minus_rho: number; momentum: number; epsilon: number };

export class RMSprop extends Optimizer {
  readonly rho: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly centered: boolean;

  constructor(options: RMSpropOptions = {}) {
    super(options, { className: 'RMSprop', name: 'rmsprop', learningRate: 0.001 });
    this.rho = decayRate('RMSprop', 'rho', options.rho ?? 0.9);
    this.momentum = nonNegative('RMSprop', 'momentum', options.momentum ?? 0);
    this.epsilon = nonNegative('RMSprop', 'epsilon', options.epsilon ?? 1e-7);
    this.centered = options.centered ?? false;
  }

  /** Keras's build order; the kernel finds the optional slots by the same options. */
  protected slotNames(): readonly string[] {
    return ['velocity', ...(this.momentum > 0 ? ['momentum'] : []), ...(this.centered ? ['average_gradient'] : [])];
  }

  protected rule(): UpdateRule {
    return { name: 'rmsprop', wgsl, options: { centered: this.centered, has_momentum: this.momentum > 0 } };
  }

  protected updateStep(): RMSpropHyper {
    return { rho: this.rho, one_minus_rho: 1 - this.rho, momentum: this.momentum, epsilon: this.epsilon };
  }

  protected ruleConfig() {
    return { rho: this.rho, momentum: this.momentum, epsilon: this.epsilon, centered: this.centered };
  }
}
