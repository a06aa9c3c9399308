// Sequential: a stack of layers, Keras's Model API on top (compile, fit, evaluate,
// predict, summary, weights, save). This file holds the structure; training is in
// training.ts, inference in inference.ts, the summary table in summary.ts.
// Read next: training.ts (one training step, start to end).

import type { NDArray } from '../data/ndarray.ts';
import { getOptimizer, type OptimizerName } from '../optim/optimizer-registry.ts';
import type { Optimizer } from '../optim/optimizer.ts';
import { shapeStr } from '../tensor/shape.ts';
import type { Tensor } from '../tensor/tensor.ts';
import type { History } from './history.ts';
import { type Input } from './data-feed.ts';
import { evaluateModel, type EvaluateOptions, predictModel, type PredictOptions } from './inference.ts';
import { type FeatureShape, Layer, type Weight } from './layer.ts';
import { getLoss, type Loss } from './losses.ts';
import { getMetric, type Metric } from './metrics.ts';
import { reserveName, uniqueName } from './names.ts';
import type { ModelSource, SaveFormat } from './save.ts';
import { summaryText } from './summary.ts';
import { fitModel, type FitOptions } from './training.ts';

export interface CompileArgs {
  optimizer: Optimizer | OptimizerName | string;
  loss: string | Loss;
  metrics?: (string | Metric)[];
}

/** What compile() fixed: Keras decides the trained weights at compile time. */
export interface Compiled {
  optimizer: Optimizer;
  loss: Loss;
  metrics: Metric[];
  /** The weights fit() trains, as they were trainable when compile() ran. */
  trainable: Weight[];
}

export class Sequential {
  readonly name: string;
  readonly layers: Layer[] = [];
  compiled: Compiled | null = null;
  /** Set by a callback to end fit() after the current epoch (Keras's stop_training). */
  stopTraining = false;

  constructor(layers: Layer[] = [], { name }: { name?: string } = {}) {
    this.name = name !== undefined ? reserveName(name) : uniqueName('sequential');
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

  getLayer(nameOrIndex: string | number): Layer {
    const l = typeof nameOrIndex === 'number' ? this.layers.at(nameOrIndex) : this.layers.find((x) => x.name === nameOrIndex);
    if (!l) throw new RangeError(`getLayer: no layer ${JSON.stringify(nameOrIndex)} in model '${this.name}' (layers: ${this.layers.map((x) => x.name).join(', ')})`);
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

  get weights(): Weight[] {
    return this.uniqueWeights(this.layers.flatMap((l) => l.weights));
  }

  get trainableWeights(): Weight[] {
    return this.uniqueWeights(this.layers.flatMap((l) => l.trainableWeights));
  }

  get nonTrainableWeights(): Weight[] {
    return this.uniqueWeights(this.layers.flatMap((l) => l.nonTrainableWeights));
  }

  private uniqueWeights(ws: Weight[]): Weight[] {
    return [...new Set(ws)];
  }

  countParams(): number {
    return this.weights.reduce((n, w) => n + w.tensor.size, 0);
  }

  /** Prints (and returns) Keras's summary table. */
  summary(print: (line: string) => void = console.log): string {
    if (this.inputShape) this.build();
    const text = summaryText(this);
    for (const line of text.split('\n')) print(line);
    return text;
  }

  /**
   * Fixes the optimizer, loss, metrics and trained weights. The model owns its compiled
   * optimizer's GPU state: an optimizer that a later compile() replaces is disposed (its
   * slots freed; used again, it starts from fresh slots like a new one), as dispose() frees
   * the current one. To keep an optimizer's state across a recompile, pass the same instance.
   */
  compile({ optimizer, loss, metrics = [] }: CompileArgs): void {
    const lossFn = getLoss(loss);
    const resolved = getOptimizer(optimizer);
    const compiledMetrics = metrics.map((m) => getMetric(m, lossFn));
    if (this.inputShape) this.build();
    if (this.compiled && this.compiled.optimizer !== resolved) this.compiled.optimizer.dispose();
    this.compiled = { optimizer: resolved, loss: lossFn, metrics: compiledMetrics, trainable: this.trainableWeights };
  }


  fit(x: Input, y: Input, options: FitOptions = {}): Promise<History> {
    return fitModel(this, x, y, options);
  }

  evaluate(x: Input, y: Input, options: EvaluateOptions = {}): Promise<number[]> {
    return evaluateModel(this, x, y, options);
  }

  predict(x: Input, options: PredictOptions = {}): Promise<Tensor> {
    return predictModel(this, x, options);
  }

  /** Weight values in Keras order (layer by layer; kernel then bias). */
  async getWeights(): Promise<NDArray[]> {
    return (await Promise.all(this.layers.map((l) => l.getWeights()))).flat();
  }

  setWeights(values: (NDArray | Tensor | Float32Array)[]): void {
    const total = this.layers.reduce((n, l) => n + l.weights.length, 0);
    if (values.length !== total) throw new RangeError(`${this.name}.setWeights: expected ${total} arrays, got ${values.length}`);
    let i = 0;
    for (const l of this.layers) {
      l.setWeights(values.slice(i, i + l.weights.length));
      i += l.weights.length;
    }
  }

  /** Frees the layers' weights and the optimizer's state. */
  dispose(): void {
    for (const l of this.layers) l.dispose();
    this.compiled?.optimizer.dispose();
  }

  /** Saves as Python Keras does; the extension picks the format: .keras, .h5/.hdf5, .weights.h5 (save.ts). */
  async save(path: string): Promise<void> {
    return (await import('./save.ts')).saveModel(this, path);
  }

  /** Saves the weights (and optimizer state) as Keras 3's `.weights.h5`. */
  async saveWeights(path: string): Promise<void> {
    return (await import('./save.ts')).saveModelWeights(this, path);
  }

  /** Loads the weights of a `.weights.h5` file into this model's layers. */
  async loadWeights(source: ModelSource): Promise<void> {
    return (await import('./save.ts')).loadModelWeights(this, source);
  }

  /** The bytes save() would write in `format`. */
  async toBytes(format: SaveFormat): Promise<Uint8Array> {
    return (await import('./save.ts')).modelBytes(this, format);
  }
}
