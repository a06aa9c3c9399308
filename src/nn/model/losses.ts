// Loss functions by Keras name, as compiled into a model: each maps (yTrue, yPred) to a
// loss per sample; the model takes their mean ("sum_over_batch_size", Keras's default
// reduction). Cross-entropies on a softmax/sigmoid output use the logits behind it
// (layers/dense.ts), as Keras's TensorFlow backend does.

import {
  binaryCrossentropy,
  categoricalCrossentropy,
  meanAbsoluteError,
  meanSquaredError,
  sparseCategoricalCrossentropy,
} from '../../autograd/losses.ts';
import type { Tensor } from '../../tensor/tensor.ts';
import { logitsOf } from '../layers/dense.ts';
import { lookup } from '../../lookup.ts';

export type LossName =
  | 'sparse_categorical_crossentropy'
  | 'categorical_crossentropy'
  | 'binary_crossentropy'
  | 'mean_squared_error'
  | 'mean_absolute_error';

export interface Loss {
  /** Keras's name (what `compile` and model files use). */
  name: LossName;
  /** Keras's from_logits=True: y_pred are logits (a last layer without softmax/sigmoid). */
  fromLogits?: boolean;
  /** Loss per sample. */
  perSample(yTrue: Tensor, yPred: Tensor): Tensor;
}

const viaLogits =
  (f: (t: Tensor, p: Tensor, fromLogits: boolean) => Tensor) =>
  (yTrue: Tensor, yPred: Tensor): Tensor => {
    const logits = logitsOf.get(yPred);
    return logits ? f(yTrue, logits, true) : f(yTrue, yPred, false);
  };

const table: Record<string, Loss> = {
  sparse_categorical_crossentropy: { name: 'sparse_categorical_crossentropy', perSample: viaLogits(sparseCategoricalCrossentropy) },
  categorical_crossentropy: { name: 'categorical_crossentropy', perSample: viaLogits(categoricalCrossentropy) },
  binary_crossentropy: { name: 'binary_crossentropy', perSample: viaLogits(binaryCrossentropy) },
  mean_squared_error: { name: 'mean_squared_error', perSample: meanSquaredError },
  mean_absolute_error: { name: 'mean_absolute_error', perSample: meanAbsoluteError },
};
const aliases: Record<string, Loss> = { ...table, mse: table.mean_squared_error, mae: table.mean_absolute_error };
/** The built-in sparse cross-entropies, which the fused batch loss may compute (sparseInput). */
const builtInSparse = new WeakSet<Loss>([table.sparse_categorical_crossentropy]);

/**
 * What a built-in sparse cross-entropy computes from for this prediction (the logits behind
 * a softmax output, or the prediction itself), or null for any other loss (inference.ts).
 */
export function sparseInput(loss: Loss, pred: Tensor): { input: Tensor; fromLogits: boolean } | null {
  if (!builtInSparse.has(loss)) return null;
  const logits = loss.fromLogits ? pred : logitsOf.get(pred);
  return logits ? { input: logits, fromLogits: true } : { input: pred, fromLogits: false };
}

/** A loss by Keras name ('sparse_categorical_crossentropy' or 'sparseCategoricalCrossentropy'). */
export function getLoss(spec: string | Loss): Loss {
  if (typeof spec !== 'string') return spec;
  return lookup('loss', spec, aliases);
}

const crossEntropies = {
  sparse_categorical_crossentropy: sparseCategoricalCrossentropy,
  categorical_crossentropy: categoricalCrossentropy,
  binary_crossentropy: binaryCrossentropy,
};

/**
 * A cross-entropy by Keras name computed from logits, as Keras's loss classes with
 * from_logits=True (`SparseCategoricalCrossentropy(from_logits=True)`): y_pred are taken as
 * logits whatever the last layer is, as in Keras.
 */
export function getLogitsLoss(spec: string): Loss {
  const f = lookup('cross-entropy loss', spec, crossEntropies);
  const name = (Object.keys(crossEntropies) as (keyof typeof crossEntropies)[]).find((k) => crossEntropies[k] === f)!;
  const loss: Loss = { name, fromLogits: true, perSample: (yTrue, yPred) => f(yTrue, yPred, true) };
  if (name === 'sparse_categorical_crossentropy') builtInSparse.add(loss);
  return loss;
}
