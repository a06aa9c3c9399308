// Merge layers: join several tensors of a graph into one (Keras's keras.layers.merging).
// Concatenate joins along an axis (autograd/concat.ts); Add, Subtract, Multiply, Average,
// Maximum and Minimum combine elementwise, broadcasting size-1 dims as Keras does. They
// have no weights and take a list: `new Add().apply([a, b])`. Read next: ../model/model.ts.

import { add, div, maximum, minimum, mul, sub } from '../../autograd/elementwise.ts';
import { concat, concatShape } from '../../autograd/concat.ts';
import { broadcastShapes, shapeStr } from '../../tensor/shape.ts';
import type { Tensor } from '../../tensor/tensor.ts';
import { type FeatureShape, Layer, type LayerArgs, type LayerConfig } from './layer.ts';

/** What every merge layer shares: a list of inputs, no weights. */
abstract class Merge extends Layer {
  /** The input shapes of its first application (a merge layer's inputShape stays null: it has several). */
  inputShapes: FeatureShape[] | null = null;

  /** The output shape for these input shapes, or a RangeError naming what does not fit. */
  protected abstract mergedShape(shapes: FeatureShape[]): FeatureShape;

  /** Joins a batch of each input. */
  protected abstract merge(xs: Tensor[]): Tensor;

  /** Checks that the shapes merge; with no weights, a merge layer may be applied to any that do (as in Keras). */
  override buildFor(shapes: FeatureShape[]): void {
    if (shapes.length < this.minInputs) throw new RangeError(`${this.className} '${this.name}' needs a list of at least ${this.minInputs} inputs, got ${shapes.length}`);
    this.mergedShape(shapes);
    this.inputShapes ??= shapes.map((s) => [...s]);
    this.built = true;
  }

  /** Inputs the layer needs at least (Keras 3: one; Subtract: exactly two). */
  protected get minInputs(): number {
    return 1;
  }

  override outputShapeOf(shapes: FeatureShape[]): FeatureShape {
    return this.mergedShape(shapes);
  }

  override applyInputs(xs: Tensor[], _training: boolean): Tensor {
    this.buildFor(xs.map((x) => x.shape.slice(1)));
    return this.merge(xs);
  }

  /** A merge layer on one tensor: Keras's "should be called on a list of inputs". */
  outputShape(inputShape: FeatureShape): FeatureShape {
    throw new TypeError(`${this.className} '${this.name}' must be applied to a list of inputs, got one of shape [batch, ${inputShape.join(', ')}]`);
  }

  call(x: Tensor): Tensor {
    throw new TypeError(`${this.className} '${this.name}' must be applied to a list of inputs, got one tensor ${shapeStr(x.shape)}`);
  }

  protected layerConfig(): LayerConfig {
    return {};
  }
}

/** Keras's Concatenate: joins its inputs along `axis` (counted with the batch dim, as Keras: -1 is the last). */
export class Concatenate extends Merge {
  /** Its merge records the same ops for the same shapes: steps may be captured (layer.ts). */
  static readonly capturable = true;
  readonly axis: number;

  constructor(args: LayerArgs & { axis?: number } = {}) {
    super(args);
    this.axis = args.axis ?? -1;
    if (!Number.isInteger(this.axis) || this.axis === 0) throw new RangeError(`Concatenate: axis must be a non-zero integer (0 is the batch), got ${args.axis}`);
  }

  get className(): string {
    return 'Concatenate';
  }

  protected mergedShape(shapes: FeatureShape[]): FeatureShape {
    const full = concatShape(`Concatenate '${this.name}'`, shapes.map((s) => [1, ...s]), this.axis);
    return full.slice(1);
  }

  protected merge(xs: Tensor[]): Tensor {
    return xs.length === 1 ? xs[0] : concat(xs, this.axis);
  }

  protected override layerConfig(): LayerConfig {
    return { axis: this.axis };
  }
}

/** The elementwise merges: inputs of one rank, broadcast along size-1 dims, folded left to right. */
abstract class Elementwise extends Merge {
  protected mergedShape(shapes: FeatureShape[]): FeatureShape {
    const where = `${this.className} '${this.name}'`;
    if (shapes.some((s) => s.length !== shapes[0].length)) {
      throw new RangeError(`${where}: inputs must have the same rank, got ${shapes.map((s) => `[batch, ${s.join(', ')}]`).join(', ')}`);
    }
    return shapes.reduce((a, b) => broadcastShapes(where, a, b));
  }
}

export class Add extends Elementwise {
  /** Its merge records the same ops for the same shapes: steps may be captured (layer.ts). */
  static readonly capturable = true;
  get className(): string {
    return 'Add';
  }

  protected merge(xs: Tensor[]): Tensor {
    return xs.reduce((a, b) => add(a, b));
  }
}

export class Subtract extends Elementwise {
  /** Its merge records the same ops for the same shapes: steps may be captured (layer.ts). */
  static readonly capturable = true;
  get className(): string {
    return 'Subtract';
  }

  protected override get minInputs(): number {
    return 2;
  }

  protected override mergedShape(shapes: FeatureShape[]): FeatureShape {
    if (shapes.length !== 2) throw new RangeError(`Subtract '${this.name}' takes exactly 2 inputs, got ${shapes.length}`);
    return super.mergedShape(shapes);
  }

  protected merge(xs: Tensor[]): Tensor {
    return sub(xs[0], xs[1]);
  }
}

export class Multiply extends Elementwise {
  /** Its merge records the same ops for the same shapes: steps may be captured (layer.ts). */
  static readonly capturable = true;
  get className(): string {
    return 'Multiply';
  }

  protected merge(xs: Tensor[]): Tensor {
    return xs.reduce((a, b) => mul(a, b));
  }
}

/** The sum of the inputs divided by their count (Keras's Average). */
export class Average extends Elementwise {
  /** Its merge records the same ops for the same shapes: steps may be captured (layer.ts). */
  static readonly capturable = true;
  get className(): string {
    return 'Average';
  }

  protected merge(xs: Tensor[]): Tensor {
    return div(
      xs.reduce((a, b) => add(a, b)),
      xs.length,
    );
  }
}

export class Maximum extends Elementwise {
  /** Its merge records the same ops for the same shapes: steps may be captured (layer.ts). */
  static readonly capturable = true;
  get className(): string {
    return 'Maximum';
  }

  protected merge(xs: Tensor[]): Tensor {
    return xs.reduce((a, b) => maximum(a, b));
  }
}

export class Minimum extends Elementwise {
  /** Its merge records the same ops for the same shapes: steps may be captured (layer.ts). */
  static readonly capturable = true;
  get className(): string {
    return 'Minimum';
  }

  protected merge(xs: Tensor[]): Tensor {
    return xs.reduce((a, b) => minimum(a, b));
  }
}
