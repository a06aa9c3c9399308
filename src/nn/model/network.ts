// Network: what Sequential (a stack of layers) and Model (a graph of layers, model.ts)
// share, Keras's Model API: weights, compile, the shapes and names of the inputs and outputs
// that fit/evaluate/predict check data against, and one forward pass over lists of tensors
// (one per input in, one per output out). training.ts and inference.ts run any Network.
// Read next: sequential.ts, model.ts, compile.ts (what compile() resolves).

import type { NDArray } from '../../data/ndarray.ts';
import type { Tensor } from '../../tensor/tensor.ts';
import { type CompileArgs, type Compiled, resolveCompile } from './compile.ts';
import type { FeatureShape, Layer, Weight } from '../layers/layer.ts';
import type { ModelSource, SaveFormat } from '../../io/model-files.ts';
import { reserveName, uniqueName } from '../layers/names.ts';

export abstract class Network {
  readonly name: string;
  compiled: Compiled | null = null;
  /** Set by a callback to end fit() after the current epoch (Keras's stop_training). */
  stopTraining = false;

  /** `prefix` names the model when no name is given (sequential, sequential_1, ... as Keras). */
  constructor(name: string | undefined, prefix: string) {
    this.name = name !== undefined ? reserveName(name) : uniqueName(prefix);
  }

  /** Every layer, each once, in Keras's order (which getWeights and model files follow). */
  abstract readonly layers: Layer[];

  /** The inputs' names, in the order fit/evaluate/predict take lists (Keras's input_names). */
  abstract get inputNames(): string[];

  /** The outputs' names: the keys of per-output losses, metrics and targets (Keras's output_names). */
  abstract get outputNames(): string[];

  /** Each input's shape without the batch dim (null while a Sequential without inputShape waits for data). */
  abstract inputShapes(): (FeatureShape | null)[];

  /** Each output's shape without the batch dim (null while unknown). */
  abstract outputShapes(): (FeatureShape | null)[];

  /** Builds the layers for these input shapes (the data's), or says why they do not fit. */
  abstract buildFor(shapes: FeatureShape[]): void;

  /** The forward pass on a batch of each input (tensors on the tape when training); one tensor per output. */
  abstract forward(xs: Tensor[], training: boolean): Tensor[];

  /** How error messages name input i: "first layer: Dense 'dense'", "input 'wide'". */
  abstract describeInput(i: number): string;

  getLayer(nameOrIndex: string | number): Layer {
    const l = typeof nameOrIndex === 'number' ? this.layers.at(nameOrIndex) : this.layers.find((x) => x.name === nameOrIndex);
    if (!l) throw new RangeError(`getLayer: no layer ${JSON.stringify(nameOrIndex)} in model '${this.name}' (layers: ${this.layers.map((x) => x.name).join(', ')})`);
    return l;
  }

  get weights(): Weight[] {
    return [...new Set(this.layers.flatMap((l) => l.weights))];
  }

  get trainableWeights(): Weight[] {
    return [...new Set(this.layers.flatMap((l) => l.trainableWeights))];
  }

  get nonTrainableWeights(): Weight[] {
    return [...new Set(this.layers.flatMap((l) => l.nonTrainableWeights))];
  }

  /**
   * Keras's model.trainable: reads true when any layer is trainable; setting it sets every
   * layer's flag (which fit() follows after the next compile(), as in Keras).
   */
  get trainable(): boolean {
    return this.layers.some((l) => l.trainable);
  }

  set trainable(v: boolean) {
    for (const l of this.layers) l.trainable = v;
  }

  countParams(): number {
    return this.weights.reduce((n, w) => n + w.tensor.size, 0);
  }

  /**
   * Fixes the optimizer, the losses (one per output), their weights, the metrics and the
   * trained weights (compile.ts). The model owns its compiled optimizer's GPU state: an
   * optimizer that a later compile() replaces is disposed (its slots freed; used again, it
   * starts from fresh slots like a new one), as dispose() frees the current one. To keep an
   * optimizer's state across a recompile, pass the same instance.
   */
  compile(args: CompileArgs): void {
    const resolved = resolveCompile(args, this.outputNames, `compile (model '${this.name}')`);
    const shapes = this.inputShapes();
    if (shapes.every((s) => s !== null)) this.buildFor(shapes as FeatureShape[]);
    if (this.compiled && this.compiled.optimizer !== resolved.optimizer) this.compiled.optimizer.dispose();
    this.compiled = { ...resolved, trainable: this.trainableWeights };
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

  /** Saves as Python Keras does; the extension picks the format: .keras, .h5/.hdf5, .weights.h5 (save.ts). */
  async save(path: string): Promise<void> {
    return (await import('../../io/save.ts')).saveModel(this, path);
  }

  /** Saves the weights (and optimizer state) as Keras 3's `.weights.h5`. */
  async saveWeights(path: string): Promise<void> {
    return (await import('../../io/save.ts')).saveModelWeights(this, path);
  }

  /** Loads the weights of a `.weights.h5` file into this model's layers. */
  async loadWeights(source: ModelSource): Promise<void> {
    return (await import('../../io/save.ts')).loadModelWeights(this, source);
  }

  /** The bytes save() would write in `format`. */
  async toBytes(format: SaveFormat): Promise<Uint8Array> {
    return (await import('../../io/save.ts')).modelBytes(this, format);
  }

  /** Frees the layers' weights and the optimizer's state. */
  dispose(): void {
    for (const l of this.layers) l.dispose();
    this.compiled?.optimizer.dispose();
  }
}

export type { CompileArgs, Compiled };
