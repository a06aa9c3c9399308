// Model: Keras's Functional API, `keras.Model(inputs, outputs)`. A graph of layers from
// Input() tensors to output tensors, with several inputs and outputs, merge layers and
// shared layers (one layer applied twice: one set of weights). Running it is a walk over
// its nodes in graph.ts's order; training and inference are Sequential's (network.ts).
// Read next: ../layers/layer.ts (the graph's records at its end), graph.ts (its order), functional-summary.ts.

import type { Tensor } from '../../tensor/tensor.ts';
import type { Inputs } from './data-feed.ts';
import { mapGraph } from './graph.ts';
import type { History } from '../callbacks/history.ts';
import { evaluateModel, type EvaluateOptions, predictModel, type PredictOptions } from './inference.ts';
import { type FeatureShape, type GraphNode, type Layer, SymbolicTensor } from '../layers/layer.ts';
import { InputLayer } from '../layers/input-layer.ts';
import { Network } from './network.ts';
import { functionalSummary, type SummaryOptions } from './functional-summary.ts';
import { fitModel, type FitOptions } from './training.ts';

export interface ModelArgs {
  /** The Input() tensors, in the order fit/evaluate/predict take lists (one tensor: a one-input model). */
  inputs: SymbolicTensor | SymbolicTensor[];
  /** The tensors the model computes; given as a list, predict() returns a list. */
  outputs: SymbolicTensor | SymbolicTensor[];
  /** Default: functional, functional_1, ... (Keras 3). */
  name?: string;
}

const asList = (v: SymbolicTensor | SymbolicTensor[]) => (Array.isArray(v) ? [...v] : [v]);

export class Model extends Network {
  readonly inputs: SymbolicTensor[];
  readonly outputs: SymbolicTensor[];
  /** Every layer once, in Keras's model.layers order (InputLayers first). */
  readonly layers: Layer[];
  /** The nodes the outputs need, each after its inputs: the order forward() runs them in. */
  readonly nodes: GraphNode[];
  /** Each node's depth (0: the nodes that make outputs); Keras's nodes_by_depth. */
  readonly depths: ReadonlyMap<GraphNode, number>;
  /** Whether outputs were given as a list (predict then returns a list, as Keras). */
  readonly listOutputs: boolean;

  constructor({ inputs, outputs, name }: ModelArgs) {
    super(name, 'functional');
    this.inputs = asList(inputs);
    this.outputs = asList(outputs);
    this.listOutputs = Array.isArray(outputs);
    const where = `Model '${this.name}'`;
    const notSymbolic = [...this.inputs, ...this.outputs].find((t) => !(t instanceof SymbolicTensor));
    if (notSymbolic !== undefined) throw new TypeError(`${where}: inputs and outputs must be symbolic tensors (from Input() and layer.apply()), got ${String(notSymbolic)}`);
    if (this.inputs.length === 0 || this.outputs.length === 0) throw new RangeError(`${where}: needs at least one input and one output`);
    const bad = this.inputs.find((t) => !(t.layer instanceof InputLayer));
    if (bad) throw new RangeError(`${where}: input '${bad.name}' is not made by Input(); a model's inputs must be Input() tensors`);
    const graph = mapGraph(this.name, this.inputs, this.outputs);
    this.nodes = graph.nodes;
    this.layers = graph.layers;
    this.depths = graph.depths;
    const names = new Map<string, Layer>();
    for (const l of this.layers) {
      if (names.has(l.name) && names.get(l.name) !== l) throw new RangeError(`${where}: two layers are named '${l.name}'; layer names must be unique`);
      names.set(l.name, l);
    }
    const twice = this.inputs.find((t, i) => this.inputs.indexOf(t) !== i);
    if (twice) throw new RangeError(`${where}: input '${twice.name}' is listed twice`);
  }

  get inputNames(): string[] {
    return this.inputs.map((t) => t.layer.name);
  }

  get outputNames(): string[] {
    return this.outputs.map((t) => t.layer.name);
  }

  inputShapes(): FeatureShape[] {
    return this.inputs.map((t) => t.features);
  }

  outputShapes(): FeatureShape[] {
    return this.outputs.map((t) => t.features);
  }

  /** The graph was built when its layers were applied; data of other shapes do not fit it (checks.ts says so first). */
  buildFor(shapes: FeatureShape[]): void {
    const want = this.inputShapes();
    const i = shapes.findIndex((s, k) => s.join() !== want[k].join());
    if (i >= 0) throw new RangeError(`Model '${this.name}': input '${this.inputNames[i]}' takes [batch, ${want[i].join(', ')}], got [batch, ${shapes[i].join(', ')}]`);
  }

  /** Runs every node in order on real tensors, each layer on the tensors its node was applied to. */
  forward(xs: Tensor[], training: boolean): Tensor[] {
    const values = new Map<SymbolicTensor, Tensor>();
    this.inputs.forEach((t, i) => values.set(t, xs[i]));
    for (const node of this.nodes) {
      if (node.inputs.length === 0) continue; // an InputLayer: its data is set above
      const out = node.layer.applyInputs(
        node.inputs.map((t) => values.get(t)!),
        node.training ?? training,
      );
      values.set(node.outputs[0], out);
    }
    return this.outputs.map((t) => values.get(t)!);
  }

  describeInput(i: number): string {
    return `input '${this.inputNames[i]}'`;
  }

  /** Prints (and returns) Keras 3's summary table, with its "Connected to" column when the graph is not a chain. */
  summary(print: (line: string) => void = console.log, options: SummaryOptions = {}): string {
    const text = functionalSummary(this, this.depths, options);
    for (const line of text.split('\n')) print(line);
    return text;
  }

  /** x: one array per input (a list in `inputs` order, or an object by input name); y likewise per output. */
  fit(x: Inputs, y: Inputs, options: FitOptions = {}): Promise<History> {
    return fitModel(this, x, y, options);
  }

  /** Keras's evaluate: [loss, per-output losses, metrics...] in Keras 3's order (compile.ts evaluateOrder). */
  evaluate(x: Inputs, y: Inputs, options: EvaluateOptions = {}): Promise<number[]> {
    return evaluateModel(this, x, y, options);
  }

  /** One tensor per output: a list when the model's outputs were given as a list, else the one tensor. */
  async predict(x: Inputs, options: PredictOptions = {}): Promise<Tensor | Tensor[]> {
    const outs = await predictModel(this, x, options);
    return this.listOutputs ? outs : outs[0];
  }
}
