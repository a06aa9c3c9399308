// BatchNormalization (keras.layers.BatchNormalization, Ioffe & Szegedy 2015) over the last
// axis. Training (fit) normalizes with the batch's mean and biased variance and moves the
// moving statistics on the GPU, in the same dispatch: moving = moving * momentum + batch *
// (1 - momentum). Inference (evaluate, predict) uses the moving statistics. As in Keras 3
// and tf.keras 2, `trainable = false` puts the layer in inference mode even in fit (the
// transfer-learning rule: a frozen BN layer keeps its statistics and normalizes with them).
// Weights in Keras's order: gamma, beta (trainable), moving_mean, moving_variance (not).
// NOTE: the moving variance takes the biased batch variance, as Keras 3 and tf.keras 2 on
// [batch, features] inputs; tf.keras 2's fused kernel (4-D inputs only) took the unbiased one.
// Read next: src/autograd/batch-norm.ts (the op and its gradient).

import { batchNormInference, batchNormTraining } from '../../autograd/batch-norm.ts';
import type { Tensor } from '../../tensor/tensor.ts';
import { type Constraint, type ConstraintSpec, getConstraint } from './constraints.ts';
import { getInitializer, type Initializer, type InitializerSpec } from './initializers.ts';
import { type FeatureShape, Layer, type LayerArgs, type LayerConfig, type WeightSpec } from './layer.ts';
import { getRegularizer, type Regularizer, type RegularizerSpec } from './regularizers.ts';
import { serializeConstraint, serializeInitializer, serializeRegularizer } from '../../io/config/serialize-parts.ts';

export interface BatchNormalizationArgs extends LayerArgs {
  /** The normalized (channel) axis; only the last axis is supported (-1, Keras's default). */
  axis?: number | number[];
  momentum?: number;
  epsilon?: number;
  /** Learn an offset beta. */
  center?: boolean;
  /** Learn a scale gamma. */
  scale?: boolean;
  betaInitializer?: InitializerSpec;
  gammaInitializer?: InitializerSpec;
  movingMeanInitializer?: InitializerSpec;
  movingVarianceInitializer?: InitializerSpec;
  betaRegularizer?: RegularizerSpec;
  gammaRegularizer?: RegularizerSpec;
  betaConstraint?: ConstraintSpec;
  gammaConstraint?: ConstraintSpec;
}

export class BatchNormalization extends Layer {
  /** Its call() records the same ops for the same shapes: steps may be captured (layer.ts). */
  static readonly capturable = true;
  /** As given until built, then -1 (Keras 3's spelling; tf.keras 2 files get [rank - 1]: layer-config.ts). */
  axis: number | number[];
  readonly momentum: number;
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  readonly betaInitializer: Initializer;
  readonly gammaInitializer: Initializer;
  readonly movingMeanInitializer: Initializer;
  readonly movingVarianceInitializer: Initializer;
  readonly betaRegularizer: Regularizer | null;
  readonly gammaRegularizer: Regularizer | null;
  readonly betaConstraint: Constraint | null;
  readonly gammaConstraint: Constraint | null;
  gamma: Tensor | null = null;
  beta: Tensor | null = null;
  movingMean: Tensor | null = null;
  movingVariance: Tensor | null = null;

  constructor(args: BatchNormalizationArgs = {}) {
    super(args);
    this.axis = args.axis ?? -1;
    this.momentum = args.momentum ?? 0.99;
    this.epsilon = args.epsilon ?? 1e-3;
    if (!(this.momentum >= 0 && this.momentum <= 1)) throw new RangeError(`BatchNormalization: momentum must be in [0, 1], got ${this.momentum}`);
    if (!(this.epsilon > 0)) throw new RangeError(`BatchNormalization: epsilon must be > 0, got ${this.epsilon}`);
    this.center = args.center ?? true;
    this.scale = args.scale ?? true;
    this.betaInitializer = getInitializer(args.betaInitializer ?? 'zeros');
    this.gammaInitializer = getInitializer(args.gammaInitializer ?? 'ones');
    this.movingMeanInitializer = getInitializer(args.movingMeanInitializer ?? 'zeros');
    this.movingVarianceInitializer = getInitializer(args.movingVarianceInitializer ?? 'ones');
    this.betaRegularizer = getRegularizer(args.betaRegularizer);
    this.gammaRegularizer = getRegularizer(args.gammaRegularizer);
    this.betaConstraint = getConstraint(args.betaConstraint);
    this.gammaConstraint = getConstraint(args.gammaConstraint);
  }

  get className(): string {
    return 'BatchNormalization';
  }

  override weightSpecs(inputShape: FeatureShape): WeightSpec[] {
    // The axis counts the batch dimension: for [batch, 300] the last axis is -1 or 1.
    const rank = inputShape.length + 1;
    const axes = Array.isArray(this.axis) ? this.axis : [this.axis];
    if (inputShape.length === 0 || axes.length !== 1 || (axes[0] !== -1 && axes[0] !== rank - 1)) {
      throw new RangeError(
        `BatchNormalization '${this.name}': axis ${JSON.stringify(this.axis)} for input [batch, ${inputShape.join(', ')}]: webgrad normalizes the last axis only (axis -1)`,
      );
    }
    const shape = [inputShape[inputShape.length - 1]];
    return [
      ...(this.scale ? [{ name: 'gamma', shape, init: this.gammaInitializer, regularizer: this.gammaRegularizer, constraint: this.gammaConstraint }] : []),
      ...(this.center ? [{ name: 'beta', shape, init: this.betaInitializer, regularizer: this.betaRegularizer, constraint: this.betaConstraint }] : []),
      { name: 'moving_mean', shape, init: this.movingMeanInitializer, trainable: false },
      { name: 'moving_variance', shape, init: this.movingVarianceInitializer, trainable: false },
    ];
  }

  override build(inputShape: FeatureShape): void {
    super.build(inputShape);
    this.axis = -1;
    this.gamma = this.weight('gamma');
    this.beta = this.weight('beta');
    this.movingMean = this.weight('moving_mean');
    this.movingVariance = this.weight('moving_variance');
  }

  outputShape(inputShape: FeatureShape): FeatureShape {
    return inputShape;
  }

  call(x: Tensor, training: boolean): Tensor {
    const args = { gamma: this.gamma, beta: this.beta, epsilon: this.epsilon };
    // Keras: `if training and self.trainable` — a frozen layer runs in inference mode.
    if (training && this.trainable) {
      return batchNormTraining(x, args, { mean: this.movingMean!, variance: this.movingVariance!, momentum: this.momentum });
    }
    return batchNormInference(x, args, this.movingMean!, this.movingVariance!);
  }

  protected layerConfig(): LayerConfig {
    return {
      axis: this.axis,
      momentum: this.momentum,
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      beta_initializer: serializeInitializer(this.betaInitializer),
      gamma_initializer: serializeInitializer(this.gammaInitializer),
      moving_mean_initializer: serializeInitializer(this.movingMeanInitializer),
      moving_variance_initializer: serializeInitializer(this.movingVarianceInitializer),
      beta_regularizer: serializeRegularizer(this.betaRegularizer),
      gamma_regularizer: serializeRegularizer(this.gammaRegularizer),
      beta_constraint: serializeConstraint(this.betaConstraint),
      gamma_constraint: serializeConstraint(this.gammaConstraint),
    };
  }
}
