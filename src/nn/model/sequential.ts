// Sequential: a stack of layers, Keras's Model API on top (compile, fit, evaluate,
// predict, summary, weights, save). This file holds the structure; training is in
// training.ts, inference in inference.ts, the summary table in summary.ts.
// Read next: ../training.ts (one training step, start to end).

import { shapeStr } from '../../tensor/shape.ts';
import type { Tensor } from '../../tensor/tensor.ts';
import type { History } from '../callbacks/history.ts';
import { type Input } from './data-feed.ts';
import { evaluateModel, type EvaluateOptions, predictModel, type PredictOptions } from './inference.ts';
import { type FeatureShape, Layer } from '../layers/layer.ts';
import { Network } from './network.ts';
import { summaryText } from './summary.ts';
import { fitModel, type FitOptions } from './training.ts';

export type { CompileArgs, Compiled } from './compile.ts';

export class Sequential extends Network {
  readonly layers: Layer[] = [];

  constructor(layers: Layer[] = [], { name }: { name?: string } = {}) {
    super(name, 'sequential');
    for (const l of layers) this.add(l);
  }

  add(layer: Layer): void {
    if (!(layer instanceof Layer)) throw new TypeError(`Sequential.add: expected a Layer, got ${String(layer)}`);
    if (this.layers.some((l) => l.name === layer.name)) {
      throw new RangeError(`Sequential.add: a layer named '${layer.name}' is already in model '${this.name}'; layer names must be unique`);
    }
    this.layers.push(layer);
    try {
      if (this.inputShape) this.build();
    } catch (e) {
      this.layers.pop(); // a layer that does not fit is not added
      throw e;
    }
  }

  pop(): Layer {
    const l = this.layers.pop();
    if (!l) throw new RangeError(`Sequential.pop: model '${this.name}' has no layers`);
    return l;
  }

  /** The input shape (no batch dim), from the first layer's inputShape or its build. */
  get inputShape(): FeatureShape | null {
    return this.layers[0]?.inputShape ?? null;
  }

  /** Builds every layer for `inputShape` (default: the first layer's), like Keras's build(). */
  build(inputShape: FeatureShape | null = this.inputShape): void {
    if (!inputShape) throw new RangeError(`model '${this.name}': unknown input shape; give the first layer an inputShape`);
    let shape = inputShape;
    for (const l of this.layers) {
      if (!l.built) l.build(shape);
      else if (l.weights.length && l.inputShape && shapeStr(l.inputShape) !== shapeStr(shape)) {
        // A layer with weights reused from another model, built for other inputs: say so now, not at the first batch.
        throw new RangeError(
          `model '${this.name}': layer ${l.className} '${l.name}' was built for input [batch, ${l.inputShape.join(', ')}], but it gets [batch, ${shape.join(', ')}] here`,
        );
      }
      shape = l.outputShape(shape);
    }
  }

  /** Output shapes of each layer (no batch dim). */
  layerShapes(): FeatureShape[] {
    const out: FeatureShape[] = [];
    let shape = this.inputShape;
    if (!shape) return out;
    for (const l of this.layers) {
      shape = l.outputShape(shape);
      out.push(shape);
    }
    return out;
  }

  /** The forward pass on a batch (tensors on the tape when training). */
  call(x: Tensor, training = false): Tensor {
    let h = x;
    for (const l of this.layers) h = l.apply(h, training);
    return h;
  }

  get inputNames(): string[] {
    return [this.layers[0]?.name ?? 'input'];
  }

  /** Keras names a Sequential's one output after its last layer. */
  get outputNames(): string[] {
    return [this.layers.at(-1)?.name ?? 'output'];
  }

  inputShapes(): (FeatureShape | null)[] {
    return [this.inputShape];
  }

  outputShapes(): (FeatureShape | null)[] {
    return [this.layerShapes().at(-1) ?? null];
  }

  buildFor(shapes: FeatureShape[]): void {
    this.build(shapes[0]);
  }

  forward(xs: Tensor[], training: boolean): Tensor[] {
    return [this.call(xs[0], training)];
  }

  describeInput(): string {
    const first = this.layers[0];
    return `first layer: ${first.className} '${first.name}'`;
  }

  /** Prints (and returns) Keras's summary table. */
  summary(print: (line: string) => void = console.log): string {
    if (this.inputShape) this.build();
    const text = summaryText(this, this.layerShapes());
    for (const line of text.split('\n')) print(line);
    return text;
  }

  fit(x: Input, y: Input, options: FitOptions = {}): Promise<History> {
    return fitModel(this, x, y, options);
  }

  evaluate(x: Input, y: Input, options: EvaluateOptions = {}): Promise<number[]> {
    return evaluateModel(this, x, y, options);
  }

  async predict(x: Input, options: PredictOptions = {}): Promise<Tensor> {
    return (await predictModel(this, x, options))[0];
  }
}
