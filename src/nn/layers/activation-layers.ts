// The activation layers of Keras that carry a parameter: LeakyReLU (negative_slope, 0.3 by
// default, unlike the leaky_relu function's 0.2), ELU (alpha) and PReLU (a learned slope
// per unit, alpha, that `sharedAxes` may share across axes). keras.layers.{LeakyReLU, ELU,
// PReLU}. Read next: src/autograd/param-activation.ts (their kernel).

import { add, mul, neg, relu } from '../../autograd/elementwise.ts';
import { eluAlpha, leakyRelu } from '../../autograd/param-activation.ts';
import type { Tensor } from '../../tensor/tensor.ts';
import { type Constraint, type ConstraintSpec, getConstraint } from './constraints.ts';
import { getInitializer, type Initializer, type InitializerSpec } from './initializers.ts';
import { type FeatureShape, Layer, type LayerArgs, type LayerConfig, type WeightSpec } from './layer.ts';
import { getRegularizer, type Regularizer, type RegularizerSpec } from './regularizers.ts';
import { serializeConstraint, serializeInitializer, serializeRegularizer } from '../../io/config/serialize-parts.ts';

/** A layer that maps each element on its own: the output shape is the input shape. */
abstract class Elementwise extends Layer {
  outputShape(inputShape: FeatureShape): FeatureShape {
    return inputShape;
  }
}

export interface LeakyReLUArgs extends LayerArgs {
  /** Slope below zero (Keras 3's name; tf.keras 2 called it alpha). */
  negativeSlope?: number;
}

export class LeakyReLU extends Elementwise {
  /** Its call() records the same ops for the same shapes: steps may be captured (layer.ts). */
  static readonly capturable = true;
  readonly negativeSlope: number;

  constructor(args: LeakyReLUArgs = {}) {
    super(args);
    this.negativeSlope = args.negativeSlope ?? 0.3;
    if (!(this.negativeSlope >= 0)) throw new RangeError(`LeakyReLU: negativeSlope must be >= 0, got ${this.negativeSlope}`);
  }

  get className(): string {
    return 'LeakyReLU';
  }

  call(x: Tensor): Tensor {
    return leakyRelu(x, this.negativeSlope);
  }

  protected layerConfig(): LayerConfig {
    return { negative_slope: this.negativeSlope };
  }
}

export interface ELUArgs extends LayerArgs {
  alpha?: number;
}

export class ELU extends Elementwise {
  /** Its call() records the same ops for the same shapes: steps may be captured (layer.ts). */
  static readonly capturable = true;
  readonly alpha: number;

  constructor(args: ELUArgs = {}) {
    super(args);
    this.alpha = args.alpha ?? 1;
    if (!Number.isFinite(this.alpha)) throw new RangeError(`ELU: alpha must be a number, got ${this.alpha}`);
  }

  get className(): string {
    return 'ELU';
  }

  call(x: Tensor): Tensor {
    return eluAlpha(x, this.alpha);
  }

  protected layerConfig(): LayerConfig {
    return { alpha: this.alpha };
  }
}

export interface PReLUArgs extends LayerArgs {
  alphaInitializer?: InitializerSpec;
  alphaRegularizer?: RegularizerSpec;
  alphaConstraint?: ConstraintSpec;
  /** Axes (1 = the first after the batch) along which one slope is shared. */
  sharedAxes?: number | number[] | null;
}

export class PReLU extends Elementwise {
  /** Its call() records the same ops for the same shapes: steps may be captured (layer.ts). */
  static readonly capturable = true;
  readonly alphaInitializer: Initializer;
  readonly alphaRegularizer: Regularizer | null;
  readonly alphaConstraint: Constraint | null;
  readonly sharedAxes: number[] | null;
  alpha: Tensor | null = null;

  constructor(args: PReLUArgs = {}) {
    super(args);
    this.alphaInitializer = getInitializer(args.alphaInitializer ?? 'zeros');
    this.alphaRegularizer = getRegularizer(args.alphaRegularizer);
    this.alphaConstraint = getConstraint(args.alphaConstraint);
    const s = args.sharedAxes;
    this.sharedAxes = s == null ? null : Array.isArray(s) ? [...s] : [s];
  }

  get className(): string {
    return 'PReLU';
  }

  override weightSpecs(inputShape: FeatureShape): WeightSpec[] {
    const shape = [...inputShape];
    for (const a of this.sharedAxes ?? []) {
      if (!Number.isInteger(a) || a < 1 || a > shape.length) {
        throw new RangeError(`PReLU '${this.name}': shared axis ${a} is not an axis of input [batch, ${inputShape.join(', ')}] (use 1..${shape.length})`);
      }
      shape[a - 1] = 1;
    }
    return [{ name: 'alpha', shape, init: this.alphaInitializer, regularizer: this.alphaRegularizer, constraint: this.alphaConstraint }];
  }

  override build(inputShape: FeatureShape): void {
    super.build(inputShape);
    this.alpha = this.weight('alpha');
  }

  call(x: Tensor): Tensor {
    // Keras's formula: relu(x) - alpha * relu(-x), alpha broadcast over the batch (and shared axes).
    return add(relu(x), mul(neg(this.alpha!), relu(neg(x))));
  }

  protected layerConfig(): LayerConfig {
    return {
      alpha_initializer: serializeInitializer(this.alphaInitializer),
      alpha_regularizer: serializeRegularizer(this.alphaRegularizer),
      alpha_constraint: serializeConstraint(this.alphaConstraint),
      shared_axes: this.sharedAxes,
    };
  }
}
