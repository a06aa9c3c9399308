// Activation: applies an activation function as its own layer (keras.layers.Activation).

import type { Tensor } from '../../tensor/tensor.ts';
import { activate, type ActivationName, activationName } from './activations.ts';
import { type FeatureShape, Layer, type LayerArgs, type LayerConfig } from './layer.ts';

export class Activation extends Layer {
  /** Its call() records the same ops for the same shapes: steps may be captured (layer.ts). */
  static readonly capturable = true;
  readonly activation: ActivationName;

  constructor(activation: string, args: LayerArgs = {}) {
    super(args);
    this.activation = activationName(activation);
  }

  get className(): string {
    return 'Activation';
  }

  outputShape(inputShape: FeatureShape): FeatureShape {
    return inputShape;
  }

  call(x: Tensor): Tensor {
    return activate(this.activation, x);
  }

  protected layerConfig(): LayerConfig {
    return { activation: this.activation };
  }
}
