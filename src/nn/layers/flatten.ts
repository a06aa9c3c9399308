// Flatten: [batch, d1, d2, ...] -> [batch, d1*d2*...]. A reshape: no copy, no kernel.

import { reshape } from '../../autograd/layout.ts';
import type { Tensor } from '../../tensor/tensor.ts';
import { type FeatureShape, Layer, type LayerConfig } from './layer.ts';

export class Flatten extends Layer {
  /** Its call() records the same ops for the same shapes: steps may be captured (layer.ts). */
  static readonly capturable = true;
  get className(): string {
    return 'Flatten';
  }

  outputShape(inputShape: FeatureShape): FeatureShape {
    return [inputShape.reduce((a, b) => a * b, 1)];
  }

  call(x: Tensor): Tensor {
    return reshape(x, [x.shape[0], -1]);
  }

  protected layerConfig(): LayerConfig {
    return { data_format: 'channels_last' };
  }
}
