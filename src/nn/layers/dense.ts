// Dense: y = activation(x · kernel + bias), kernel [in, units]. With an elementwise
// activation the whole forward is ONE kernel (matmul + bias + activation epilogue). With
// softmax/sigmoid, the pre-activation is remembered as the output's logits so the loss can
// use the stable from-logits formula, exactly as Keras does (`output._keras_logits`).

import { dense } from '../../autograd/matmul.ts';
import { sigmoid } from '../../autograd/elementwise.ts';
import { softmax } from '../../autograd/softmax.ts';
import { shapeStr } from '../../tensor/shape.ts';
import type { Tensor } from '../../tensor/tensor.ts';
import { activate, type ActivationName, type ActivationSpec, activationName, isFusable } from './activations.ts';
import { type Constraint, type ConstraintSpec, getConstraint } from './constraints.ts';
import { getInitializer, type Initializer, type InitializerSpec, initializers } from './initializers.ts';
import { type FeatureShape, Layer, type LayerArgs, type LayerConfig, type WeightSpec } from './layer.ts';
import { getRegularizer, type Regularizer, type RegularizerSpec } from './regularizers.ts';
import { serializeConstraint, serializeInitializer, serializeRegularizer } from '../../io/config/serialize-parts.ts';

export interface DenseArgs extends LayerArgs {
  activation?: ActivationSpec;
  useBias?: boolean;
  kernelInitializer?: InitializerSpec;
  biasInitializer?: InitializerSpec;
  kernelRegularizer?: RegularizerSpec;
  biasRegularizer?: RegularizerSpec;
  kernelConstraint?: ConstraintSpec;
  biasConstraint?: ConstraintSpec;
}

/** The logits behind a softmax/sigmoid output, for from-logits losses (Keras's _keras_logits). */
export const logitsOf = new WeakMap<Tensor, Tensor>();

export class Dense extends Layer {
  /** Its call() records the same ops for the same shapes: steps may be captured (layer.ts). */
  static readonly capturable = true;
  readonly units: number;
  readonly activation: ActivationName;
  readonly customActivation: ((x: Tensor) => Tensor) | null;
  readonly useBias: boolean;
  readonly kernelInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly kernelRegularizer: Regularizer | null;
  readonly biasRegularizer: Regularizer | null;
  readonly kernelConstraint: Constraint | null;
  readonly biasConstraint: Constraint | null;
  kernel: Tensor | null = null;
  bias: Tensor | null = null;

  constructor(units: number, args: DenseArgs = {}) {
    super(args);
    if (!Number.isInteger(units) || units <= 0) throw new RangeError(`Dense: units must be a positive integer, got ${units}`);
    this.units = units;
    const act = args.activation;
    this.customActivation = typeof act === 'function' ? act : null;
    this.activation = typeof act === 'function' ? 'linear' : activationName(act);
    this.useBias = args.useBias ?? true;
    this.kernelInitializer = getInitializer(args.kernelInitializer ?? initializers.glorotUniform());
    this.biasInitializer = getInitializer(args.biasInitializer ?? initializers.zeros());
    this.kernelRegularizer = getRegularizer(args.kernelRegularizer);
    this.biasRegularizer = getRegularizer(args.biasRegularizer);
    this.kernelConstraint = getConstraint(args.kernelConstraint);
    this.biasConstraint = getConstraint(args.biasConstraint);
  }

  get className(): string {
    return 'Dense';
  }

  override weightSpecs(inputShape: FeatureShape): WeightSpec[] {
    if (inputShape.length !== 1) {
      throw new RangeError(`Dense(${this.units}) '${this.name}': expected input [batch, features], got [batch, ${inputShape.join(', ')}] (add a Flatten layer first)`);
    }
    const kernel = { name: 'kernel', shape: [inputShape[0], this.units], init: this.kernelInitializer, regularizer: this.kernelRegularizer, constraint: this.kernelConstraint };
    if (!this.useBias) return [kernel];
    return [kernel, { name: 'bias', shape: [this.units], init: this.biasInitializer, regularizer: this.biasRegularizer, constraint: this.biasConstraint }];
  }

  override build(inputShape: FeatureShape): void {
    super.build(inputShape);
    this.kernel = this.weight('kernel');
    this.bias = this.weight('bias');
  }

  outputShape(inputShape: FeatureShape): FeatureShape {
    if (inputShape.length !== 1) throw new RangeError(`Dense '${this.name}': expected a flat input, got [batch, ${inputShape.join(', ')}]`);
    return [this.units];
  }

  call(x: Tensor, _training: boolean): Tensor {
    if (x.rank !== 2) throw new RangeError(`Dense(${this.units}) '${this.name}': expected input [batch, ${this.kernel!.shape[0]}], got ${shapeStr(x.shape)}`);
    if (this.customActivation) return this.customActivation(dense(x, this.kernel!, this.bias, 'linear'));
    if (isFusable(this.activation) && this.activation !== 'sigmoid') return dense(x, this.kernel!, this.bias, this.activation);
    const logits = dense(x, this.kernel!, this.bias, 'linear');
    if (this.activation !== 'softmax' && this.activation !== 'sigmoid') return activate(this.activation, logits);
    const y = this.activation === 'softmax' ? softmax(logits) : sigmoid(logits);
    logitsOf.set(y, logits);
    return y;
  }

  protected layerConfig(): LayerConfig {
    return {
      units: this.units,
      activation: this.activation,
      use_bias: this.useBias,
      kernel_initializer: serializeInitializer(this.kernelInitializer),
      bias_initializer: serializeInitializer(this.biasInitializer),
      kernel_regularizer: serializeRegularizer(this.kernelRegularizer),
      bias_regularizer: serializeRegularizer(this.biasRegularizer),
      activity_regularizer: null,
      kernel_constraint: serializeConstraint(this.kernelConstraint),
      bias_constraint: serializeConstraint(this.biasConstraint),
    };
  }
}
