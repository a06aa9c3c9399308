// Adagrad (Duchi et al. 2011), Keras 3's form (keras/src/optimizers/adagrad.py):
//   acc += g²;  w −= lr·g / sqrt(acc + ε),  acc starting at initial_accumulator_value.
// Read next: adagrad.wgsl (the rule on the GPU), optimizer.ts.

import wgsl from './adagrad.wgsl?raw';
import type { UpdateRule } from './kernels.ts';
import { Optimizer, type OptimizerOptions } from './optimizer.ts';
import { nonNegative } from './validate.ts';

export interface AdagradOptions extends OptimizerOptions {
  initialAccumulatorValue?: number;
  epsilon?: number;
}

/** adagrad.wgsl's `struct Hyper`. */
type AdagradHyper = { epsilon: number };

export class Adagrad extends Optimizer {
  readonly initialAccumulatorValue: number;
  readonly epsilon: number;

  constructor(options: AdagradOptions = {}) {
    super(options, { className: 'Adagrad', name: 'adagrad', learningRate: 0.001 });
    this.initialAccumulatorValue = nonNegative(
      'Adagrad',
      'initial_accumulator_value',
      options.initialAccumulatorValue ?? 0.1,
    );
    this.epsilon = nonNegative('Adagrad', 'epsilon', options.epsilon ?? 1e-7);
  }

  protected slotNames(): readonly string[] {
    return ['accumulator'];
  }

  protected override slotInitialValue(): number {
    return this.initialAccumulatorValue;
  }

  protected rule(): UpdateRule {
    return { name: 'adagrad', wgsl };
  }

  protected updateStep(): AdagradHyper {
    return { epsilon: this.epsilon };
  }

  protected ruleConfig() {
    return { initial_accumulator_value: this.initialAccumulatorValue, epsilon: this.epsilon };
  }
}
