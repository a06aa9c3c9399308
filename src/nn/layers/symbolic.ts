// The Functional API's graph: symbolic tensors (Keras's KerasTensor: a shape and the node
// that made it, no data) and nodes (one application of a layer to symbolic inputs, Keras's
// Node). `layer.apply(symbolicTensor)` calls connect(), which builds the layer (its weights
// exist from then on, as in Keras) and records a node on it. A Model (model.ts) walks these
// nodes back from its outputs. Read next: input-layer.ts (where a graph starts), ../model/graph.ts.

import type { FeatureShape, Layer } from './layer.ts';

/**
 * One application of a layer, as Keras records it in `layer._inbound_nodes`. A layer applied
 * twice has two nodes (and one set of weights): `index` is Keras's node_index, the position
 * in `layer.inboundNodes`, which model files use to name a connection
 * (`[layer name, node index, tensor index]`).
 */
export interface GraphNode {
  layer: Layer;
  /** Position of this node in `layer.inboundNodes` (Keras's node_index). */
  index: number;
  /** The symbolic tensors the layer was applied to, in call order (empty for an InputLayer's node). */
  inputs: SymbolicTensor[];
  /** Whether the layer was given a list (`concat.apply([a, b])`, even `[a]`) rather than one tensor. */
  listInput: boolean;
  /** A call fixed to training=false (or true), as Keras's `layer(x, training=False)` in a loaded file; absent: follows fit/predict. */
  training?: boolean;
  /** The tensors this node made (one for every webgrad layer; its position is Keras's tensor_index). */
  outputs: SymbolicTensor[];
}

/** A placeholder for a batch of data in a graph: its shape without the batch dimension, and where it comes from. */
export class SymbolicTensor {
  constructor(
    /** Shape without the batch dimension (webgrad's FeatureShape). */
    readonly features: FeatureShape,
    /** The node that made it. */
    readonly node: GraphNode,
    /** Its position in node.outputs (Keras's tensor_index). */
    readonly tensorIndex: number,
  ) {}

  /** Keras's KerasTensor.shape: the batch dimension (null: any) then the features. */
  get shape(): (number | null)[] {
    return [null, ...this.features];
  }

  /** The layer that made it. */
  get layer(): Layer {
    return this.node.layer;
  }

  /** The making layer's name, with the node index after a shared layer's first call ('dense', 'dense:1'). */
  get name(): string {
    return this.node.index === 0 ? this.layer.name : `${this.layer.name}:${this.node.index}`;
  }

  /** Keras's `_keras_history`: the layer, its node index, and the tensor index. */
  get history(): [Layer, number, number] {
    return [this.layer, this.node.index, this.tensorIndex];
  }

  toString(): string {
    return `SymbolicTensor(shape=[${this.shape.map((d) => d ?? 'null').join(', ')}], from '${this.name}')`;
  }
}

export const isSymbolic = (x: unknown): x is SymbolicTensor | SymbolicTensor[] =>
  x instanceof SymbolicTensor || (Array.isArray(x) && x.length > 0 && x.every((t) => t instanceof SymbolicTensor));

/**
 * Applies `layer` to symbolic inputs: builds it for their shapes on its first call (checks
 * them on later ones), records a node on it, and returns the node's output tensor.
 */
export function connect(layer: Layer, x: SymbolicTensor | SymbolicTensor[]): SymbolicTensor {
  const listInput = Array.isArray(x);
  const inputs = listInput ? [...x] : [x];
  if (inputs.length === 0 || !inputs.every((t) => t instanceof SymbolicTensor)) {
    throw new TypeError(`${layer.className} '${layer.name}'.apply: expected a symbolic tensor (from Input or another layer) or a list of them`);
  }
  const shapes = inputs.map((t) => t.features);
  try {
    layer.buildFor(shapes);
    const node: GraphNode = { layer, index: layer.inboundNodes.length, inputs, listInput, outputs: [] };
    node.outputs.push(new SymbolicTensor(layer.outputShapeOf(shapes), node, 0));
    layer.inboundNodes.push(node);
    return node.outputs[0];
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    // Name the tensors the layer was applied to: the layer's own message only knows shapes.
    const from = inputs.map((t) => `'${t.name}' [batch, ${t.features.join(', ')}]`).join(', ');
    throw new RangeError(`${e.message} (applied to ${from})`);
  }
}
