// Dropout, AlphaDropout and MCDropout. Dropout is active only when training (fit), unless
// the layer is an MCDropout, which stays active at inference too (the seed's
// `class MCDropout(Dropout): def call(self, inputs): return super().call(inputs, training=True)`):
// averaging many stochastic predictions gives Monte Carlo Dropout (Gal & Ghahramani, 2016).

import { alphaDropout, dropout } from '../../autograd/dropout.ts';
import { nextSeed, Rng } from '../../tensor/random.ts';
import type { Tensor } from '../../tensor/tensor.ts';
import { type FeatureShape, Layer, type LayerArgs, type LayerConfig } from './layer.ts';

export interface DropoutArgs extends LayerArgs {
  /** Seeds this layer's own mask sequence (Keras's SeedGenerator); default: the global seed. */
  seed?: number;
}

export class Dropout extends Layer {
  /** Its call() records the same ops for the same shapes: steps may be captured (layer.ts). */
  static readonly capturable = true;
  readonly rate: number;
  readonly seed: number | undefined;
  private readonly rng: Rng | null;

  constructor(rate: number, args: DropoutArgs = {}) {
    super(args);
    if (!(rate >= 0 && rate < 1)) throw new RangeError(`${this.className}: rate must be in [0, 1), got ${rate}`);
    this.rate = rate;
    this.seed = args.seed;
    this.rng = args.seed === undefined ? null : new Rng(args.seed);
  }

  /** A fresh mask seed per call: from the layer's own generator when seeded. */
  protected maskSeed(): number {
    return this.rng ? this.rng.nextU32() : nextSeed();
  }

  get className(): string {
    return 'Dropout';
  }

  outputShape(inputShape: FeatureShape): FeatureShape {
    return inputShape;
  }

  /** Whether dropout is on for this call. */
  protected active(training: boolean): boolean {
    return training && this.rate > 0;
  }

  call(x: Tensor, training: boolean): Tensor {
    return this.active(training) ? dropout(x, this.rate, () => this.maskSeed()) : x;
  }

  protected layerConfig(): LayerConfig {
    return { rate: this.rate, noise_shape: null, seed: this.seed ?? null };
  }
}

export class AlphaDropout extends Dropout {
  /** Its call() records the same ops for the same shapes: steps may be captured (layer.ts). */
  static override readonly capturable = true;
  override get className(): string {
    return 'AlphaDropout';
  }

  override call(x: Tensor, training: boolean): Tensor {
    return this.active(training) ? alphaDropout(x, this.rate, () => this.maskSeed()) : x;
  }
}

/** Dropout that is also on at inference: predict() gives a different sample each call. */
export class MCDropout extends Dropout {
  /** Its call() records the same ops for the same shapes: steps may be captured (layer.ts). */
  static override readonly capturable = true;
  override get className(): string {
    return 'MCDropout';
  }

  protected override active(): boolean {
    return this.rate > 0;
  }
}

export class MCAlphaDropout extends AlphaDropout {
  /** Its call() records the same ops for the same shapes: steps may be captured (layer.ts). */
  static override readonly capturable = true;
  override get className(): string {
    return 'MCAlphaDropout';
  }

  protected override active(): boolean {
    return this.rate > 0;
  }
}
