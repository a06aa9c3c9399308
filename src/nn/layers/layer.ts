// The Layer base class: a name, a `trainable` flag, weights created on first call
// (`build`, Keras's lazy building), and `call`. Weights are tensors owned by the layer
// and updated in place, so a layer reused in two models shares its weights (Keras
// semantics). Applied to symbolic tensors (the Functional API), `apply` records a graph
// node instead of computing: the graph's records (GraphNode, SymbolicTensor) are at the end
// of this file, as a layer and its nodes refer to each other. Read next: dense.ts (a full
// example), ../model/sequential.ts (how layers run), ../model/model.ts (graphs of layers).

import { assign } from '../../tensor/assign.ts';
import { tensor } from '../../tensor/create.ts';
import { checkTensorFits } from '../../tensor/tensor.ts';
import { keep } from '../../tensor/memory.ts';
import { shapeStr } from '../../tensor/shape.ts';
import type { Tensor } from '../../tensor/tensor.ts';
import { NDArray } from '../../data/ndarray.ts';
import type { Constraint } from './constraints.ts';
import type { Initializer } from './initializers.ts';
import { reserveName, snakeCase, uniqueName } from './names.ts';
import type { Regularizer } from './regularizers.ts';

/** A layer weight: the tensor and what training does with it. */
export interface Weight {
  /** 'kernel', 'bias', ... (Keras's variable names). */
  name: string;
  tensor: Tensor;
  /** False for weights that are never trained (e.g. batch-norm statistics). */
  trainable: boolean;
  regularizer: Regularizer | null;
  constraint: Constraint | null;
  /** Keras's dtype where it is not float32 (Normalization's int64 `count`): what summary() counts and files store. */
  dtype?: 'int64';
}

/** A weight a layer will create on build: its shape, how it starts, what training does with it. */
export interface WeightSpec {
  name: string;
  shape: number[];
  init: Initializer;
  trainable?: boolean;
  regularizer?: Regularizer | null;
  constraint?: Constraint | null;
  dtype?: 'int64';
}

/** How errors name a weight: "Dense 'dense' weight 'kernel' [784,10]". */
export const weightWhat = (layer: Layer, w: { name: string; shape: readonly number[] }): string =>
  `${layer.className} '${layer.name}' weight '${w.name}' ${shapeStr(w.shape)}`;

/** Shape without the batch dimension. */
export type FeatureShape = number[];

export interface LayerArgs {
  name?: string;
  trainable?: boolean;
  /** Input shape without the batch dimension (first layer of a Sequential). */
  inputShape?: number[];
}

/** Keras layer config as written to model files (snake_case keys). */
export type LayerConfig = Record<string, unknown>;

/**
 * Whether fit/evaluate/predict may capture a step through this layer and replay it
 * (captured-steps.ts): only when its own class declares `static readonly capturable = true`,
 * promising that call() records the same ops for the same shapes and does no other host work.
 * A subclass must declare it again (it may break the promise); without it, steps run eagerly.
 */
export function isCapturable(layer: Layer): boolean {
  return Object.prototype.hasOwnProperty.call(layer.constructor, 'capturable');
}

export abstract class Layer {
  readonly name: string;
  readonly weights: Weight[] = [];
  inputShape: FeatureShape | null;
  built = false;
  /** Where this layer was applied to symbolic tensors, in call order (Keras's `_inbound_nodes`: GraphNode below). */
  readonly inboundNodes: GraphNode[] = [];
  private _trainable: boolean;

  constructor(args: LayerArgs = {}) {
    this.name = args.name !== undefined ? reserveName(args.name) : defaultName(this);
    this._trainable = args.trainable ?? true;
    this.inputShape = args.inputShape ? [...args.inputShape] : null;
  }

  abstract get className(): string;

  get trainable(): boolean {
    return this._trainable;
  }

  set trainable(v: boolean) {
    this._trainable = v;
  }

  /**
   * The weights this layer creates for inputs of `inputShape` (no batch dim), in Keras's
   * order, without making them; throws for an input it cannot take. None by default.
   * loadModel reads a file's weight shapes against these before reading any values.
   */
  weightSpecs(_inputShape: FeatureShape): WeightSpec[] {
    return [];
  }

  /**
   * Creates the weights for inputs of `inputShape` (no batch dim). Every weight is checked
   * against the device's buffer limit before the first one is made, so an absurd size
   * (Dense(2e9)) is a GpuMemoryError that names the layer, not an engine error.
   */
  build(inputShape: FeatureShape): void {
    const specs = this.weightSpecs(inputShape);
    for (const s of specs) checkTensorFits(s.shape, weightWhat(this, s), 'use fewer units or a smaller input');
    for (const s of specs) this.addWeight(s);
    this.inputShape = [...inputShape];
    this.built = true;
  }

  /** The output shape (no batch dim) for an input shape. */
  abstract outputShape(inputShape: FeatureShape): FeatureShape;

  /** The forward computation on a batch. `training` switches dropout-like behaviour. */
  abstract call(x: Tensor, training: boolean): Tensor;

  /** Keras's config for this layer (without name/trainable, which the base adds). */
  protected abstract layerConfig(): LayerConfig;

  getConfig(): LayerConfig {
    return { name: this.name, trainable: this.trainable, dtype: 'float32', ...this.layerConfig() };
  }

  /**
   * On a batch: builds on first use, then checks the input against the built shape (for a
   * layer with weights), and runs call(). On symbolic tensors (Keras's `layer(x)` in the Functional API): builds the
   * layer for their shapes and returns the symbolic output, recording a node (connect below).
   */
  apply(x: Tensor, training: boolean): Tensor;
  apply(x: SymbolicTensor | SymbolicTensor[]): SymbolicTensor;
  apply(x: Tensor | SymbolicTensor | SymbolicTensor[], training = false): Tensor | SymbolicTensor {
    if (isSymbolic(x)) return connect(this, x);
    if (Array.isArray(x)) throw new TypeError(`${this.className} '${this.name}'.apply: a list must hold symbolic tensors; run a graph of layers with a Model`);
    const feature = x.shape.slice(1);
    if (!this.built) this.build(feature);
    else if (this.weights.length && this.inputShape && shapeStr(feature) !== shapeStr(this.inputShape)) {
      throw new RangeError(
        `${this.className}(${this.name}): expected input [batch, ${this.inputShape.join(', ')}], got ${shapeStr(x.shape)}`,
      );
    }
    return this.call(x, training);
  }

  /** Runs the layer on one graph node's inputs: one tensor for most layers; merge layers take several (layers/merge.ts). */
  applyInputs(xs: Tensor[], training: boolean): Tensor {
    if (xs.length !== 1) throw new TypeError(`${this.className} '${this.name}' takes one input, got a list of ${xs.length}`);
    return this.apply(xs[0], training);
  }

  /**
   * Builds for a graph node's input shapes on the first call. Later calls of a layer with
   * weights must bring the shape it was built for; a weightless one (Dropout, Activation)
   * may be applied to any shape, as in Keras.
   */
  buildFor(shapes: FeatureShape[]): void {
    if (shapes.length !== 1) throw new RangeError(`${this.className} '${this.name}' takes one input, got a list of ${shapes.length}`);
    const [shape] = shapes;
    if (!this.built) return this.build(shape);
    if (this.weights.length && this.inputShape && shapeStr(this.inputShape) !== shapeStr(shape)) {
      throw new RangeError(`${this.className} '${this.name}' was built for input [batch, ${this.inputShape.join(', ')}], got [batch, ${shape.join(', ')}]`);
    }
  }

  /** The output shape for a graph node's input shapes. */
  outputShapeOf(shapes: FeatureShape[]): FeatureShape {
    return this.outputShape(shapes[0]);
  }

  private addWeight(spec: WeightSpec): void {
    const value = spec.init.init(spec.shape);
    value.name = `${this.name}/${spec.name}`;
    this.weights.push({
      name: spec.name,
      tensor: keep(value),
      trainable: spec.trainable ?? true,
      regularizer: spec.regularizer ?? null,
      constraint: spec.constraint ?? null,
      ...(spec.dtype ? { dtype: spec.dtype } : {}),
    });
  }

  /** The built weight called `name` (null before build, or when the layer has none by that name). */
  protected weight(name: string): Tensor | null {
    return this.weights.find((w) => w.name === name)?.tensor ?? null;
  }

  /** Weights trained when this layer is trainable (Keras's trainable_weights). */
  get trainableWeights(): Weight[] {
    return this.trainable ? this.weights.filter((w) => w.trainable) : [];
  }

  get nonTrainableWeights(): Weight[] {
    return this.trainable ? this.weights.filter((w) => !w.trainable) : [...this.weights];
  }

  countParams(): number {
    return this.weights.reduce((n, w) => n + w.tensor.size, 0);
  }

  /** Copies of the weight values, in Keras order (kernel, bias). */
  async getWeights(): Promise<NDArray[]> {
    return Promise.all(this.weights.map(async (w) => new NDArray(await w.tensor.data(), w.tensor.shape)));
  }

  /** Writes values into the weights in place (shapes must match). */
  setWeights(values: (NDArray | Tensor | Float32Array)[]): void {
    if (values.length !== this.weights.length) {
      throw new RangeError(`${this.name}.setWeights: expected ${this.weights.length} arrays, got ${values.length}`);
    }
    this.weights.forEach((w, i) => writeWeight(this.name, w, values[i]));
  }

  /** Frees the weights' GPU memory. */
  dispose(): void {
    for (const w of this.weights) w.tensor.dispose();
  }
}

/** Keras's default layer name: the class name in snake_case, numbered (dense, dense_1, ...). */
function defaultName(layer: Layer): string {
  return uniqueName(snakeCase(layer.className));
}

function writeWeight(layer: string, w: Weight, v: NDArray | Tensor | Float32Array): void {
  const shape = v instanceof Float32Array ? w.tensor.shape : v.shape;
  if (shape.length !== w.tensor.rank || shape.some((d, i) => d !== w.tensor.shape[i])) {
    throw new RangeError(`${layer}: weight '${w.name}' has shape ${shapeStr(w.tensor.shape)}, got ${shapeStr(shape)}`);
  }
  if ('dispose' in v) return assign(w.tensor, v);
  const data = v instanceof Float32Array ? v : v.toFloat32();
  if (data.length !== w.tensor.size) {
    throw new RangeError(`${layer}: weight '${w.name}' needs ${w.tensor.size} values, got ${data.length}`);
  }
  const t = tensor(data, w.tensor.shape);
  assign(w.tensor, t);
  t.dispose();
}

// The Functional API's graph: symbolic tensors (Keras's KerasTensor: a shape and the node
// that made it, no data) and nodes (one application of a layer to symbolic inputs, Keras's
// Node). `layer.apply(symbolicTensor)` calls connect(), which builds the layer (its weights
// exist from then on, as in Keras) and records a node on it. A Model (../model/model.ts)
// walks these nodes back from its outputs; input-layer.ts is where a graph starts.

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
