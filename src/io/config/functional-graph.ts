// A Functional model's config, in every spelling Keras wrote it, read into one neutral graph:
// which layer is called on which tensors, in an order that can be replayed. tf.keras 2 writes
// each call as [[layer, node_index, tensor_index, kwargs], ...]; Keras 3 as {args, kwargs} with
// `__keras_tensor__` objects whose keras_history is [layer, node_index, tensor_index].
// Read next: functional-config.ts (the graph <-> webgrad's Model, and the graph written back).

import type { KerasJson } from '../model-file.ts';
import { featureShape, isObject, objectAt, unsupported } from './keras-json.ts';
import type { FeatureShape } from '../../nn/layers/layer.ts';

/** The `tensor`-th output of the `node`-th call of `layer` (Keras's keras_history). */
export interface TensorRef {
  layer: string;
  node: number;
  tensor: number;
}

/** One call of a layer: its input tensors, whether they were passed as one list, its `training` argument. */
export interface GraphCall {
  inputs: TensorRef[];
  /** Merge layers take a list (Concatenate()([a, b])); other layers one tensor. */
  list: boolean;
  /** A call fixed to training=false (or true) by `layer(x, training=False)`; null: follows fit/predict. */
  training: boolean | null;
}

export interface GraphLayer {
  name: string;
  className: string;
  /** The layer's own entry ({class_name, config, ...}) as the file holds it, for layerFromKeras. */
  entry: KerasJson;
  /** Its calls in node-index order; an InputLayer has none (its one tensor is node 0). */
  nodes: GraphCall[];
  /** An InputLayer's shape, without the batch dimension. */
  inputShape: FeatureShape | null;
}

export interface FunctionalGraph {
  name: string;
  trainable: boolean;
  /** In config order, which is Keras's `model.layers` order (and so its weight-group order). */
  layers: GraphLayer[];
  /** The model's inputs, flattened in `input_layers` order (the order predict takes them). */
  inputs: TensorRef[];
  outputs: TensorRef[];
  /** Every call, in an order where each call's inputs already exist and each layer's calls keep their node order. */
  calls: { layer: string; node: number }[];
}

/** Keras's names for a Functional model's class: 'Model' up to tf.keras 2.2.4-tf, 'Functional' after. */
export const FUNCTIONAL_CLASSES: readonly string[] = ['Functional', 'Model'];

const refText = (r: TensorRef) => `['${r.layer}', ${r.node}, ${r.tensor}]`;

function isRefTriple(v: unknown): v is [string, number, number] {
  return Array.isArray(v) && v.length === 3 && typeof v[0] === 'string' && Number.isInteger(v[1]) && Number.isInteger(v[2]);
}

/**
 * input_layers/output_layers: one [name, node, tensor] triple, a list of them, or (Keras 3)
 * any nesting of lists and dicts of them; flattened as Keras's tree.flatten does (dict keys sorted).
 */
function flattenRefs(v: unknown, where: string): TensorRef[] {
  if (isRefTriple(v)) return [{ layer: v[0], node: v[1], tensor: v[2] }];
  if (Array.isArray(v)) return v.flatMap((x, i) => flattenRefs(x, `${where}[${i}]`));
  if (isObject(v)) return Object.keys(v).sort().flatMap((k) => flattenRefs(v[k], `${where}.${k}`));
  throw unsupported(where, `expected [layer_name, node_index, tensor_index] (or a list or dict of them), found ${JSON.stringify(v)}`);
}

/** A call's keyword arguments: only `training` (a bool or null) and an absent `mask` change nothing webgrad cannot do. */
function trainingArg(kwargs: unknown, where: string): boolean | null {
  if (kwargs == null) return null;
  const k = objectAt(kwargs, `${where} kwargs`);
  for (const [key, v] of Object.entries(k)) {
    if (key === 'training' && (v === null || typeof v === 'boolean')) continue;
    if (key === 'mask' && v === null) continue;
    throw unsupported(where, `call argument ${key}=${JSON.stringify(v)} is not supported (webgrad's calls take only training)`);
  }
  return typeof k.training === 'boolean' ? k.training : null;
}

/** Keras 3's serialized KerasTensor, {class_name: '__keras_tensor__', config: {keras_history}}. */
function kerasTensorRef(v: KerasJson, where: string): TensorRef {
  const history = isObject(v.config) ? v.config.keras_history : undefined;
  if (!isRefTriple(history)) throw unsupported(where, `a __keras_tensor__ without a keras_history [layer, node, tensor], found ${JSON.stringify(v)}`);
  return { layer: history[0], node: history[1], tensor: history[2] };
}

/** Keras 3's {args, kwargs}: one positional argument, a KerasTensor or a list of them. */
function keras3Node(data: KerasJson, where: string): GraphCall {
  const args = data.args;
  if (!Array.isArray(args) || args.length !== 1) {
    throw unsupported(where, `expected args with one argument (a tensor or a list of tensors), found ${JSON.stringify(args)}`);
  }
  const arg = args[0];
  const list = Array.isArray(arg);
  const items: unknown[] = list ? arg : [arg];
  const inputs = items.map((t, i) => {
    if (!isObject(t) || t.class_name !== '__keras_tensor__') throw unsupported(where, `argument ${i} is not a tensor: ${JSON.stringify(t)}`);
    return kerasTensorRef(t, `${where} args`);
  });
  return { inputs, list, training: trainingArg(data.kwargs, where) };
}

/** tf.keras 2's [[layer, node_index, tensor_index, kwargs], ...]; one entry is a tensor, several a list (Keras's unpack_singleton). */
function keras2Node(data: unknown[], where: string): GraphCall {
  if (data.length === 0) throw unsupported(where, 'a call with no input tensors');
  let training: boolean | null = null;
  const inputs = data.map((d, i) => {
    const ok = Array.isArray(d) && (d.length === 3 || d.length === 4) && isRefTriple(d.slice(0, 3));
    if (!ok) throw unsupported(`${where}[${i}]`, `expected [layer_name, node_index, tensor_index, kwargs], found ${JSON.stringify(d)}`);
    training = trainingArg(d[3], `${where}[${i}]`) ?? training;
    return { layer: d[0] as string, node: d[1] as number, tensor: d[2] as number };
  });
  return { inputs, list: inputs.length > 1, training };
}

function readLayer(entry: unknown, where: string): GraphLayer {
  const e = objectAt(entry, where);
  const config = objectAt(e.config, `${where} config`);
  const name = typeof e.name === 'string' ? e.name : config.name;
  if (typeof e.class_name !== 'string' || typeof name !== 'string') throw unsupported(where, 'a layer without class_name or name');
  const className = e.class_name.replace(/^.*>/, '');
  const at = `${where} (${className} '${name}')`;
  if (className === 'Sequential' || FUNCTIONAL_CLASSES.includes(className)) throw unsupported(at, 'a model used as a layer of another (a nested model) is not supported');
  const inbound = e.inbound_nodes ?? [];
  if (!Array.isArray(inbound)) throw unsupported(at, `inbound_nodes must be a list, found ${JSON.stringify(inbound)}`);
  if (className === 'InputLayer') {
    if (inbound.length > 0) throw unsupported(at, 'an InputLayer with inbound nodes');
    for (const key of ['sparse', 'ragged', 'optional']) if (config[key] === true) throw unsupported(at, `${key}=true inputs are not supported`);
    const dtype = isObject(config.dtype) && isObject(config.dtype.config) ? config.dtype.config.name : config.dtype;
    if (dtype != null && dtype !== 'float32') throw unsupported(at, `dtype ${JSON.stringify(config.dtype)} is not supported: webgrad's inputs are float32`);
    return { name, className, entry: e, nodes: [], inputShape: featureShape(config.batch_input_shape ?? config.batch_shape, `${at} batch_shape`) };
  }
  const nodes = inbound.map((n, i) => {
    const w = `${at} inbound_nodes[${i}]`;
    return Array.isArray(n) ? keras2Node(n, w) : keras3Node(objectAt(n, w), w);
  });
  return { name, className, entry: e, nodes, inputShape: null };
}

/** Throws unless `ref` names an existing output: a known layer, a call it has, its only tensor. */
function checkRef(ref: TensorRef, byName: Map<string, GraphLayer>, where: string): void {
  const layer = byName.get(ref.layer);
  if (!layer) throw unsupported(where, `${refText(ref)} names an unknown layer '${ref.layer}' (the model's layers: ${[...byName.keys()].join(', ')})`);
  const calls = Math.max(layer.nodes.length, 1);
  if (ref.node < 0 || ref.node >= calls) throw unsupported(where, `${refText(ref)}: layer '${ref.layer}' has ${calls} node(s), not node ${ref.node}`);
  if (ref.tensor !== 0) throw unsupported(where, `${refText(ref)}: layer '${ref.layer}' has one output tensor, not tensor ${ref.tensor}`);
}

/**
 * The calls in replay order, as Keras's functional_from_config does: sweep the layers in
 * config order, making each layer's next calls while their inputs exist, until none is
 * left. Calls that never become ready wait on each other: a cycle, named.
 */
function callOrder(layers: GraphLayer[], where: string): { layer: string; node: number }[] {
  const made = new Map(layers.map((l) => [l.name, l.className === 'InputLayer' ? 1 : 0]));
  const ready = (r: TensorRef) => r.node < made.get(r.layer)!;
  const order: { layer: string; node: number }[] = [];
  for (let progress = true; progress; ) {
    progress = false;
    for (const l of layers) {
      for (let n = made.get(l.name)!; n < l.nodes.length && l.nodes[n].inputs.every(ready); n++) {
        order.push({ layer: l.name, node: n });
        made.set(l.name, n + 1);
        progress = true;
      }
    }
  }
  const stuck = layers.filter((l) => l.className !== 'InputLayer' && made.get(l.name)! < l.nodes.length);
  if (stuck.length > 0) {
    throw unsupported(where, `the layers ${stuck.map((l) => `'${l.name}'`).join(', ')} wait on each other's outputs (a cycle in inbound_nodes), so the graph cannot be built`);
  }
  return order;
}

/** The InputLayers the outputs depend on, by walking the calls back from the outputs. */
function inputsReached(outputs: TensorRef[], byName: Map<string, GraphLayer>): Set<string> {
  const reached = new Set<string>();
  const seen = new Set<string>();
  const stack = [...outputs];
  while (stack.length > 0) {
    const r = stack.pop()!;
    const key = `${r.layer}#${r.node}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const layer = byName.get(r.layer)!;
    if (layer.className === 'InputLayer') reached.add(layer.name);
    else stack.push(...layer.nodes[r.node].inputs);
  }
  return reached;
}

/**
 * The graph a Functional model config describes (class_name 'Model' or 'Functional', either
 * schema), checked: every reference names a layer and a call that exist, the model's inputs
 * are InputLayers and every InputLayer the outputs need is one of them, and the calls can be
 * ordered (no cycle). Each problem is a ModelFileError naming it.
 */
export function readFunctionalGraph(modelConfig: KerasJson, where: string): FunctionalGraph {
  const config = objectAt(modelConfig.config, `${where} config`);
  const name = typeof config.name === 'string' ? config.name : 'model';
  if (!Array.isArray(config.layers) || config.layers.length === 0) throw unsupported(where, `model '${name}' has no config.layers`);
  const layers = config.layers.map((e, i) => readLayer(e, `${where} layers[${i}]`));
  const byName = new Map<string, GraphLayer>();
  for (const l of layers) {
    if (byName.has(l.name)) throw unsupported(where, `two layers are named '${l.name}'; Keras needs unique names`);
    byName.set(l.name, l);
  }
  layers.forEach((l, i) => l.nodes.forEach((n, j) => n.inputs.forEach((r) => checkRef(r, byName, `${where} layers[${i}] ('${l.name}') inbound_nodes[${j}]`))));
  const inputs = flattenRefs(config.input_layers, `${where} input_layers`);
  const outputs = flattenRefs(config.output_layers, `${where} output_layers`);
  if (inputs.length === 0 || outputs.length === 0) throw unsupported(where, `model '${name}' lists no ${inputs.length === 0 ? 'input_layers' : 'output_layers'}`);
  for (const r of inputs) {
    checkRef(r, byName, `${where} input_layers`);
    if (byName.get(r.layer)!.className !== 'InputLayer') throw unsupported(`${where} input_layers`, `${refText(r)} is a ${byName.get(r.layer)!.className}, not an InputLayer`);
  }
  for (const r of outputs) checkRef(r, byName, `${where} output_layers`);
  const calls = callOrder(layers, where);
  const listed = new Set(inputs.map((r) => r.layer));
  const missing = [...inputsReached(outputs, byName)].filter((n) => !listed.has(n));
  if (missing.length > 0) {
    throw unsupported(where, `the outputs depend on the InputLayer(s) ${missing.map((n) => `'${n}'`).join(', ')}, which input_layers does not list (a missing model input)`);
  }
  if (config.trainable !== undefined && typeof config.trainable !== 'boolean') throw unsupported(where, `trainable must be true or false, found ${JSON.stringify(config.trainable)}`);
  return { name, trainable: config.trainable !== false, layers, inputs, outputs, calls };
}
