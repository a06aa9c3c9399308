// Input checks fit/evaluate/predict run on host data before anything reaches the GPU, so
// bad data gets an error that names the problem (shape, label range, NaN) and its index.
// GPU Tensor inputs are checked for shape only: reading them back would cost a transfer.
// The table of every error and the test that proves it: docs/errors.md.

import { NDArray } from '../data/ndarray.ts';
import { shapeStr } from '../tensor/shape.ts';
import type { Input } from './data-feed.ts';
import type { Sequential } from './sequential.ts';

export function checkPositiveInt(op: string, name: string, v: number): void {
  if (!Number.isInteger(v) || v <= 0) throw new RangeError(`${op}: ${name} must be a positive integer, got ${v}`);
}

/** A whole number >= 0 (epochs, initialEpoch). */
export function checkCount(op: string, name: string, v: number): void {
  if (!Number.isInteger(v) || v < 0) throw new RangeError(`${op}: ${name} must be an integer >= 0, got ${v}`);
}

/** The first NaN/Inf in host data, named with its sample index. */
export function checkFinite(op: string, name: string, a: Input): void {
  if (!(a instanceof NDArray) || a.data instanceof Uint8Array) return;
  const i = a.data.findIndex((v) => !Number.isFinite(v));
  if (i >= 0) {
    throw new RangeError(`${op}: ${name} contains ${a.data[i]} at sample ${Math.floor(i / a.rowSize)} (flat index ${i}); clean the data first`);
  }
}

/** x must have the model's input shape (after the batch dim); the message names the first layer. */
export function checkInput(op: string, model: Sequential, x: Input): void {
  if (x.shape.length < 1 || x.shape[0] === 0) throw new RangeError(`${op}: x is empty (${shapeStr(x.shape)}); give at least one sample`);
  const want = model.inputShape;
  const got = x.shape.slice(1);
  if (!want || (want.length === got.length && want.every((d, i) => d === got[i]))) return;
  const first = model.layers[0];
  // A single sample without its batch dimension: [784] where [batch, 784] is expected.
  const oneSample = x.shape.length === want.length && want.every((d, i) => d === x.shape[i]);
  throw new RangeError(
    `${op}: model '${model.name}' expects input [batch, ${want.join(', ')}], got ${shapeStr(x.shape)} (first layer: ${first.className} '${first.name}')` +
      (oneSample ? `; one sample needs a batch dimension: reshape it to [1, ${want.join(', ')}]` : ''),
  );
}

/** Integer class ids in [0, classes) for sparse CE, with the first bad one named. */
function checkLabels(op: string, y: NDArray, classes: number): void {
  for (let i = 0; i < y.data.length; i++) {
    const v = y.at(i);
    if (!Number.isInteger(v)) {
      throw new RangeError(`${op}: label ${v} at index ${i} is not an integer; sparse_categorical_crossentropy takes class ids 0..${classes - 1}`);
    }
    if (v < 0 || v >= classes) {
      throw new RangeError(`${op}: label ${v} at index ${i} is not a class id in [0, ${classes}) for a model with ${classes} outputs`);
    }
  }
}

/**
 * Targets must fit the loss: integer labels [n] or [n, 1] for sparse CE, else the output's
 * shape ([n] is accepted for an output [n, 1], as Keras squeezes/expands to match).
 */
export function checkTargets(op: string, model: Sequential, y: Input, lossName: string): void {
  const out = model.layerShapes().at(-1);
  if (!out) return;
  const classes = out[out.length - 1];
  const rows = y.shape.slice(1);
  if (lossName === 'sparse_categorical_crossentropy') {
    if (!(rows.length === 0 || (rows.length === 1 && rows[0] === 1))) {
      const oneHot = rows.length === 1 && rows[0] === classes;
      throw new RangeError(
        `${op}: sparse_categorical_crossentropy takes integer class labels of shape [n] or [n, 1], got y ${shapeStr(y.shape)}` +
          (oneHot ? ` (it looks one-hot: compile with 'categorical_crossentropy', or pass the class ids)` : ''),
      );
    }
    if (y instanceof NDArray) checkLabels(op, y, classes);
    return;
  }
  const want = [...out];
  const okShape = (rows.length === want.length && rows.every((d, i) => d === want[i])) || (want.length === 1 && want[0] === 1 && rows.length === 0);
  if (!okShape) {
    const labels = rows.length === 0 && lossName === 'categorical_crossentropy';
    throw new RangeError(
      `${op}: ${lossName} needs targets shaped like the model's output [n, ${want.join(', ')}], got y ${shapeStr(y.shape)}` +
        (labels ? ` (integer class labels need 'sparse_categorical_crossentropy')` : ''),
    );
  }
}
