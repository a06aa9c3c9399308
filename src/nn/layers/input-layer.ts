// Input() and InputLayer: where a Functional graph starts. Input({ shape, name }) makes an
// InputLayer with one node and no inputs, and returns that node's symbolic tensor; a Model
// feeds each of its inputs' data there. Read next: layer.ts (the graph's records), ../model/model.ts.

import type { Tensor } from '../../tensor/tensor.ts';
import { type FeatureShape, type GraphNode, Layer, type LayerConfig, SymbolicTensor } from './layer.ts';
import { uniqueName } from './names.ts';

export interface InputArgs {
  /** Shape of one sample, without the batch dimension (Keras's `shape=`). */
  shape: number[];
  /** The input's name (its InputLayer's; default input_layer, input_layer_1, ... as Keras 3). */
  name?: string;
}

/** Keras's InputLayer: the identity, marking a graph's input. Applied by no one: Input() makes it. */
export class InputLayer extends Layer {
  /** Its call() records nothing: steps may be captured (layer.ts). */
  static readonly capturable = true;

  constructor({ shape, name }: InputArgs) {
    if (!Array.isArray(shape) || shape.some((d) => !Number.isInteger(d) || d <= 0)) {
      throw new RangeError(`Input: shape must be a list of positive integers without the batch dimension, e.g. { shape: [8] }; got ${JSON.stringify(shape)}`);
    }
    super({ name: name ?? uniqueName('input_layer'), inputShape: shape });
    this.built = true;
    const node: GraphNode = { layer: this, index: 0, inputs: [], listInput: false, outputs: [] };
    node.outputs.push(new SymbolicTensor([...shape], node, 0));
    this.inboundNodes.push(node);
  }

  get className(): string {
    return 'InputLayer';
  }

  /** The symbolic tensor that stands for this input's data. */
  get output(): SymbolicTensor {
    return this.inboundNodes[0].outputs[0];
  }

  outputShape(inputShape: FeatureShape): FeatureShape {
    return inputShape;
  }

  call(x: Tensor): Tensor {
    return x;
  }

  /** Keras 3's InputLayer config (no `trainable`): batch_shape with null for the batch. */
  override getConfig(): LayerConfig {
    return { batch_shape: [null, ...this.inputShape!], dtype: 'float32', sparse: false, name: this.name };
  }

  protected layerConfig(): LayerConfig {
    return {};
  }
}

/** Keras's `keras.Input(shape=..., name=...)`: a symbolic tensor to build a graph from. */
export function Input(args: InputArgs): SymbolicTensor {
  return new InputLayer(args).output;
}
