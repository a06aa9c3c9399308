// A Functional Model <-> Keras's model config. Reading replays the graph functional-graph.ts
// read from any spelling: Input() for each InputLayer, layer.apply for each call, in an order
// where every input exists. Writing gives tf.keras 2.4's `.h5` spelling (inbound_nodes as
// [[layer, node, tensor, kwargs]]) or Keras 3's `.keras` one ({args, kwargs} with
// __keras_tensor__ histories), layers in model.layers order. Read next: ../save.ts.

import type { KerasJson } from '../model-file.ts';
import type { FunctionalGraph, TensorRef } from './functional-graph.ts';
import { inConfig, unsupported } from './keras-json.ts';
import type { FeatureShape, GraphNode, Layer, SymbolicTensor } from '../../nn/layers/layer.ts';
import { type KerasStyle, layerFromKeras, layerToKeras } from './layer-config.ts';
import { InputLayer } from '../../nn/layers/input-layer.ts';
import { Model } from '../../nn/model/model.ts';

const key = (layer: string, node: number) => `${layer}#${node}`;

/**
 * A new Model from a graph read from a file, its layers made from their entries (fresh
 * weights) and applied in the graph's call order, so each layer's k-th call is node k as in
 * the file. A model saved with trainable=false gets every layer frozen, as Keras does.
 */
export function modelFromGraph(graph: FunctionalGraph, where: string, version: KerasStyle): Model {
  const layers = new Map<string, Layer>();
  try {
    graph.layers.forEach((l, i) => {
      const at = `${where} layers[${i}]`;
      const layer = l.inputShape ? inConfig(at, () => new InputLayer({ shape: l.inputShape!, name: l.name })) : layerFromKeras(l.entry, at, null, {}, version);
      layers.set(l.name, layer);
    });
    const tensors = new Map<string, SymbolicTensor>();
    for (const l of graph.layers) if (l.inputShape) tensors.set(key(l.name, 0), (layers.get(l.name) as InputLayer).output);
    const tensor = (r: TensorRef) => tensors.get(key(r.layer, r.node))!;
    for (const call of graph.calls) {
      const node = graph.layers.find((l) => l.name === call.layer)!.nodes[call.node];
      const inputs = node.inputs.map(tensor);
      const layer = layers.get(call.layer)!;
      const out = inConfig(`${where} layer '${call.layer}' call ${call.node}`, () => (node.list ? layer.apply(inputs) : layer.apply(inputs[0])));
      if (node.training !== null) out.node.training = node.training;
      tensors.set(key(call.layer, call.node), out);
    }
    if (!graph.trainable) for (const layer of layers.values()) layer.trainable = false;
    // One output is predicted as one tensor, as Keras does.
    const outputs = graph.outputs.length === 1 ? tensor(graph.outputs[0]) : graph.outputs.map(tensor);
    return inConfig(where, () => new Model({ inputs: graph.inputs.map(tensor), outputs, name: graph.name }));
  } catch (e) {
    for (const layer of layers.values()) layer.dispose();
    throw e;
  }
}

/**
 * The model's own nodes (those its outputs are computed through; a layer shared with another
 * model may have more), numbered per layer as Keras renumbers them in get_config.
 */
function modelNodes(model: Model): Map<GraphNode, number> {
  const own = new Set(model.nodes);
  const index = new Map<GraphNode, number>();
  for (const layer of model.layers) layer.inboundNodes.filter((n) => own.has(n)).forEach((n, i) => index.set(n, i));
  return index;
}

/** The [layer, node, tensor] triple of a tensor of this model. */
function triple(t: SymbolicTensor, index: Map<GraphNode, number>): [string, number, number] {
  return [t.layer.name, index.get(t.node)!, t.tensorIndex];
}

function inputLayerEntry(layer: InputLayer, style: KerasStyle): KerasJson {
  const shape = [null, ...layer.inputShape!];
  if (style === 'keras2') {
    return { class_name: 'InputLayer', config: { batch_input_shape: shape, dtype: 'float32', sparse: false, ragged: false, name: layer.name }, name: layer.name, inbound_nodes: [] };
  }
  const config = { batch_shape: shape, dtype: 'float32', sparse: false, name: layer.name };
  return { module: 'keras.layers', class_name: 'InputLayer', config, registered_name: null, name: layer.name, inbound_nodes: [] };
}

/** One call, as each schema writes it; a call fixed to training=false keeps that keyword. */
function nodeEntry(node: GraphNode, index: Map<GraphNode, number>, style: KerasStyle): unknown {
  const kwargs = node.training == null ? {} : { training: node.training };
  if (style === 'keras2') return node.inputs.map((t) => [...triple(t, index), kwargs]);
  const kerasTensor = (t: SymbolicTensor) => ({ class_name: '__keras_tensor__', config: { shape: t.shape, dtype: 'float32', keras_history: triple(t, index) } });
  const tensors = node.inputs.map(kerasTensor);
  return { args: [node.listInput ? tensors : tensors[0]], kwargs };
}

function layerEntry(layer: Layer, nodes: GraphNode[], index: Map<GraphNode, number>, style: KerasStyle): KerasJson {
  if (layer instanceof InputLayer) return inputLayerEntry(layer, style);
  const shapes: FeatureShape[] = nodes[0].inputs.map((t) => t.features);
  const entry = layerToKeras(layer, style, nodes[0].listInput ? null : shapes[0], false);
  // Keras 3 records a merge layer's build shape as the list of its inputs' shapes.
  if (style === 'keras3' && nodes[0].listInput) entry.build_config = { input_shape: shapes.map((s) => [null, ...s]) };
  return { ...entry, name: layer.name, inbound_nodes: nodes.map((n) => nodeEntry(n, index, style)) };
}

/** Keras's model config of a Functional model in `style`'s schema (tf.keras 2.4's `.h5` or Keras 3's `.keras`). */
export function functionalToKeras(model: Model, style: KerasStyle): KerasJson {
  const index = modelNodes(model);
  const layers = model.layers.map((layer) => {
    const nodes = layer.inboundNodes.filter((n) => index.has(n));
    if (nodes.length === 0 && !(layer instanceof InputLayer)) throw unsupported(`model '${model.name}'`, `layer '${layer.name}' is not called in the graph`);
    return layerEntry(layer, nodes, index, style);
  });
  const refs = (ts: SymbolicTensor[]) => ts.map((t) => triple(t, index));
  const graph = { layers, input_layers: refs(model.inputs), output_layers: refs(model.outputs) };
  if (style === 'keras2') return { class_name: 'Functional', config: { name: model.name, ...graph } };
  const inputs = model.inputs;
  return {
    module: 'keras.src.models.functional',
    class_name: 'Functional',
    config: { name: model.name, trainable: model.trainable, ...graph },
    registered_name: 'Functional',
    build_config: { input_shape: inputs.length === 1 ? inputs[0].shape : null },
  };
}
