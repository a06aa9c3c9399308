// Metrics as per-sample values (1 for a correct prediction), summed on the GPU during an
// epoch. 'accuracy' resolves like Keras: sparse categorical, categorical or binary by the
// loss (keras/src/trainers/compile_utils.py). Each metric says which way is better (Keras's
// `_direction`), which EarlyStopping's 'auto' mode reads (callbacks.ts).

import { argmax, mean } from '../../autograd/reduce.ts';
import { equal, greater } from '../../autograd/elementwise.ts';
import { reshape } from '../../autograd/layout.ts';
import type { Tensor } from '../../tensor/tensor.ts';
import type { Loss } from './losses.ts';
import { lookup } from '../../lookup.ts';

export interface Metric {
  /** The key in logs and History ('accuracy', 'binary_accuracy', ...). */
  name: string;
  /** 'up' when larger is better (every accuracy), as Keras's metric `_direction`. */
  direction: 'up' | 'down';
  /** Value per sample. */
  perSample(yTrue: Tensor, yPred: Tensor): Tensor;
}

const rows = (t: Tensor) => (t.rank > 1 && t.shape[t.rank - 1] === 1 ? reshape(t, t.shape.slice(0, -1)) : t);

const kinds = {
  sparse_categorical_accuracy: (yTrue: Tensor, yPred: Tensor) => equal(rows(yTrue), argmax(yPred, -1)),
  categorical_accuracy: (yTrue: Tensor, yPred: Tensor) => equal(argmax(yTrue, -1), argmax(yPred, -1)),
  // Keras binary_accuracy: mean over the last axis of (y_pred > 0.5) == y_true.
  binary_accuracy: (yTrue: Tensor, yPred: Tensor) => {
    const hit = equal(yTrue, greater(yPred, 0.5));
    return yPred.rank > 1 ? mean(hit, -1) : hit;
  },
};

/** Keras's `accuracy` function (the `Accuracy` class): y_pred exactly equal to y_true, averaged over the last axis. */
const exactAccuracy = (yTrue: Tensor, yPred: Tensor) => {
  const hit = equal(rows(yTrue), rows(yPred));
  return hit.rank > 1 ? mean(hit, -1) : hit;
};
type Kind = keyof typeof kinds;

/** 'accuracy' (or 'acc') picks its kind from the loss, as Keras does. */
const accuracyFor = (loss: Loss): Kind =>
  loss.name === 'sparse_categorical_crossentropy'
    ? 'sparse_categorical_accuracy'
    : loss.name === 'binary_crossentropy'
      ? 'binary_accuracy'
      : 'categorical_accuracy';

/** Whether a metric is the sparse categorical accuracy (which the fused batch loss counts: inference.ts). */
export const isSparseAccuracy = (m: Metric): boolean => m.perSample === kinds.sparse_categorical_accuracy;

/** A metric by name, resolved against the loss, or a Metric as it is (compile's `metrics` entries). */
export function getMetric(spec: string | Metric, loss: Loss): Metric {
  if (typeof spec !== 'string') return spec;
  const names: Record<string, Kind | 'accuracy'> = { accuracy: 'accuracy', acc: 'accuracy' };
  for (const k of Object.keys(kinds) as Kind[]) names[k] = k;
  const kind = lookup('metric', spec, names);
  // The logs key is 'acc' when the user wrote 'acc' (as Keras), the metric's own name otherwise.
  if (kind === 'accuracy') return { name: spec === 'acc' ? 'acc' : 'accuracy', direction: 'up', perSample: kinds[accuracyFor(loss)] };
  return { name: kind, direction: 'up', perSample: kinds[kind] };
}

/**
 * A metric saved as a Keras metric object, logged as `name`: `fn` is the snake_case name
 * of its class or of the function a MeanMetricWrapper wraps. Here 'accuracy' is Keras's
 * `accuracy` function (exact equality), not compile's 'accuracy' string resolved by the loss.
 */
export function savedMetric(fn: string, name: string): Metric {
  const perSample = fn === 'accuracy' ? exactAccuracy : lookup('metric function', fn, kinds);
  return { name, direction: 'up', perSample };
}
