// Normalization (keras.layers.Normalization): standardizes each feature with a mean and a
// variance learnt from data by adapt() — not by training — as chapter 10 does at a network's
// input: y = (x - mean) / max(sqrt(variance), 1e-7), or x · max(sqrt(variance), 1e-7) + mean
// when `invert`. Its weights are Keras 3's: `mean`, `variance` and an int64 `count` (which
// Keras 3's adapt leaves at 0; it is kept for older files), none trainable.
// Read next: layer.ts, batch-normalization.ts (the statistics learnt during training instead).

import { add, div, maximum, mul, sqrt, sub } from '../../autograd/elementwise.ts';
import { NDArray } from '../../data/ndarray.ts';
import { shapeStr } from '../../tensor/shape.ts';
import { Tensor } from '../../tensor/tensor.ts';
import { initializers } from './initializers.ts';
import { type FeatureShape, Layer, type LayerArgs, type LayerConfig, type WeightSpec } from './layer.ts';

/** Keras's backend.epsilon(): the floor of the standard deviation. */
const EPSILON = 1e-7;

export interface NormalizationArgs extends LayerArgs {
  /** The axis with one mean and variance per position; only the last (-1, Keras's default) is supported. */
  axis?: number | number[];
  /** Undo a normalization instead (x · std + mean). */
  invert?: boolean;
}

export class Normalization extends Layer {
  /** Its call() records the same ops for the same shapes: steps may be captured (layer.ts). */
  static readonly capturable = true;
  readonly invert: boolean;

  constructor(args: NormalizationArgs = {}) {
    super(args);
    const axis = args.axis ?? -1;
    if (!(axis === -1 || (Array.isArray(axis) && axis.length === 1 && axis[0] === -1))) {
      throw new RangeError(`Normalization: only axis -1 (the last, Keras's default) is supported, got ${JSON.stringify(axis)}`);
    }
    this.invert = args.invert ?? false;
  }

  get className(): string {
    return 'Normalization';
  }

  override weightSpecs(inputShape: FeatureShape): WeightSpec[] {
    if (inputShape.length === 0) throw new RangeError(`Normalization '${this.name}': expected input [batch, ..., features], got [batch]`);
    const features = [inputShape[inputShape.length - 1]];
    return [
      { name: 'mean', shape: features, init: initializers.zeros(), trainable: false },
      { name: 'variance', shape: features, init: initializers.ones(), trainable: false },
      { name: 'count', shape: [], init: initializers.zeros(), trainable: false, dtype: 'int64' },
    ];
  }

  /** The learnt mean (null before build). */
  get mean(): Tensor | null {
    return this.weight('mean');
  }

  /** The learnt variance (null before build). */
  get variance(): Tensor | null {
    return this.weight('variance');
  }

  outputShape(inputShape: FeatureShape): FeatureShape {
    return inputShape;
  }

  call(x: Tensor): Tensor {
    const std = maximum(sqrt(this.variance!), EPSILON);
    return this.invert ? add(mul(x, std), this.mean!) : div(sub(x, this.mean!), std);
  }

  /**
   * Keras's adapt(data): the mean and (biased) variance of each feature over every other axis
   * of `data` [samples, ..., features], computed in float64 on the host, written into the
   * weights. Builds the layer for data's shape on first use.
   */
  async adapt(data: NDArray | Tensor): Promise<void> {
    const host = data instanceof Tensor ? new NDArray(await data.data(), data.shape) : data;
    if (!(host instanceof NDArray)) throw new TypeError(`Normalization '${this.name}'.adapt: expected an NDArray or a Tensor, got ${typeof data}`);
    const feature = host.shape.slice(1);
    if (host.shape.length < 2 || host.shape[0] === 0) throw new RangeError(`Normalization '${this.name}'.adapt: expected data [samples, ..., features] with samples, got ${shapeStr(host.shape)}`);
    if (!this.built) this.build(feature);
    else if (host.shape.at(-1) !== this.mean!.shape[0]) {
      throw new RangeError(`Normalization '${this.name}'.adapt: the layer was built for ${this.mean!.shape[0]} features, got data ${shapeStr(host.shape)}`);
    }
    const c = host.shape.at(-1)!;
    const values = host.toFloat32();
    const rows = values.length / c;
    const mean = new Float64Array(c);
    const sq = new Float64Array(c);
    for (let i = 0; i < values.length; i++) mean[i % c] += values[i];
    for (let j = 0; j < c; j++) mean[j] /= rows;
    for (let i = 0; i < values.length; i++) sq[i % c] += (values[i] - mean[i % c]) ** 2;
    this.setWeights([Float32Array.from(mean), Float32Array.from(sq, (s) => s / rows), new Float32Array([0])]);
  }

  protected layerConfig(): LayerConfig {
    return { axis: [-1], invert: this.invert, mean: null, variance: null };
  }
}
