// Input checks fit/evaluate/predict run before training or inference starts, so bad data
// gets an error that names the problem (shape, label range, NaN) and its index. Host arrays
// are checked on the host; GPU tensors by one small reduction per call (checkOnGpu), read
// back as one number. The table of every error and the test that proves it: docs/errors.md.

import { add, greaterEqual, less, maximum, mul, notEqual, sub } from '../../autograd/elementwise.ts';
import { max, min, sum } from '../../autograd/reduce.ts';
import { noGrad } from '../../autograd/tape.ts';
import { NDArray } from '../../data/ndarray.ts';
import { tidy } from '../../tensor/memory.ts';
import { Rng } from '../../tensor/random.ts';
import { shapeStr } from '../../tensor/shape.ts';
import { Tensor } from '../../tensor/tensor.ts';
import { gatherRows } from '../../tensor/gather.ts';
import { type Input, rowOrder } from './data-feed.ts';
import type { FeatureShape } from '../layers/layer.ts';
import type { Network } from './network.ts';

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

/** How messages name the arrays of x (or y): 'x' for a one-input model, else x['name'] per input. */
export const dataNames = (what: 'x' | 'y', names: string[]): string[] => (names.length === 1 ? [what] : names.map((n) => `${what}['${n}']`));

/** Each array of x must have its input's shape (after the batch dim); the message names the input (or the first layer). */
export function checkInput(op: string, model: Network, xs: Input[]): void {
  const wants = model.inputShapes();
  const names = dataNames('x', model.inputNames);
  xs.forEach((x, i) => {
    if (x.shape.length < 1 || x.shape[0] === 0) throw new RangeError(`${op}: ${names[i]} is empty (${shapeStr(x.shape)}); give at least one sample`);
    const want = wants[i];
    const got = x.shape.slice(1);
    if (!want || (want.length === got.length && want.every((d, k) => d === got[k]))) return;
    // A single sample without its batch dimension: [784] where [batch, 784] is expected.
    const oneSample = x.shape.length === want.length && want.every((d, k) => d === x.shape[k]);
    const gotName = xs.length === 1 ? '' : `${names[i]} `;
    throw new RangeError(
      `${op}: model '${model.name}' expects input [batch, ${want.join(', ')}], got ${gotName}${shapeStr(x.shape)} (${model.describeInput(i)})` +
        (oneSample ? `; one sample needs a batch dimension: reshape it to [1, ${want.join(', ')}]` : ''),
    );
  });
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
 * shape `out` ([n] is accepted for an output [n, 1], as Keras squeezes/expands to match).
 */
export function checkTargets(op: string, out: FeatureShape | null, y: Input, lossName: string, yName = 'y'): void {
  if (!out) return;
  const classes = out[out.length - 1];
  const rows = y.shape.slice(1);
  if (lossName === 'sparse_categorical_crossentropy') {
    if (!(rows.length === 0 || (rows.length === 1 && rows[0] === 1))) {
      const oneHot = rows.length === 1 && rows[0] === classes;
      throw new RangeError(
        `${op}: sparse_categorical_crossentropy takes integer class labels of shape [n] or [n, 1], got ${yName} ${shapeStr(y.shape)}` +
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
      `${op}: ${lossName} needs targets shaped like the model's output [n, ${want.join(', ')}], got ${yName} ${shapeStr(y.shape)}` +
        (labels ? ` (integer class labels need 'sparse_categorical_crossentropy')` : ''),
    );
  }
}

/** Every target array against its output's shape and loss (outputs without a loss or without data are skipped). */
export function checkAllTargets(op: string, model: Network, ys: (Input | null)[]): void {
  const outs = model.outputShapes();
  const names = dataNames('y', model.outputNames);
  model.compiled!.outputs.forEach((o, i) => {
    const y = ys[i];
    if (o.loss && y) checkTargets(op, outs[i], y, o.loss.name, names[i]);
  });
}

/** No NaN or infinity in any host array of x and y (GPU data: checkOnGpu). */
export function checkAllFinite(op: string, model: Network, xs: Input[], ys: (Input | null)[]): void {
  const xNames = dataNames('x', model.inputNames);
  const yNames = dataNames('y', model.outputNames);
  xs.forEach((x, i) => checkFinite(op, xNames[i], x));
  ys.forEach((y, i) => y && checkFinite(op, yNames[i], y));
}

/** 0 when every value is finite, else NaN: max and min carry any NaN (reduce.wgsl) or infinity, and 0·±Inf is NaN. */
const nonFinite = (t: Tensor): Tensor => add(mul(max(t), 0), mul(min(t), 0));

/** How many labels are not class ids in [0, classes): negative, too large, fractional or NaN. */
function badLabels(y: Tensor, classes: number): Tensor {
  // NOTE: (y + 2^23) - 2^23 is y rounded to an integer in float32 for 0 <= y < 2^23; two
  // dispatches, so no shader compiler can fold it away. notEqual is 1 for NaN.
  const rounded = sub(add(y, 2 ** 23), 2 ** 23);
  return sum(maximum(maximum(less(y, 0), greaterEqual(y, classes)), notEqual(y, rounded)));
}

/** A GPU tensor as float32 values (a uint8 tensor is gathered into float32 first). */
function asFloat(t: Tensor): Tensor {
  if (t.dtype !== 'uint8') return t;
  const order = rowOrder(t.shape[0], false, new Rng(0));
  const out = gatherRows(t, order, 0, t.shape[0]);
  order.dispose();
  return out;
}

/**
 * The host checks for GPU tensors: one reduction says whether x or y holds a non-finite value
 * or (sparse CE) a label that is not a class id, and one number is read back per call. Only
 * then are the tensors read back, and the host checks name the first bad value with the same
 * message as for host arrays. Host arrays (already checked) are skipped. `ys` null: predict's (no targets).
 */
export async function checkOnGpu(op: string, model: Network, xs: Input[], ys: (Input | null)[] | null): Promise<void> {
  const targets = ys ?? [];
  const onGpu = [...xs, ...targets].filter((a): a is Tensor => a instanceof Tensor && a.size > 0);
  if (onGpu.length === 0) return;
  const outs = model.outputShapes();
  const losses = targets.map((_, i) => model.compiled?.outputs[i]?.loss?.name ?? null);
  const flag = noGrad(() =>
    tidy(() => {
      // uint8 data is always finite; sparse labels are checked whatever their dtype.
      const parts = onGpu.filter((t) => t.dtype !== 'uint8').map(nonFinite);
      targets.forEach((y, i) => {
        const classes = outs[i]?.at(-1);
        if (y instanceof Tensor && y.size > 0 && losses[i] === 'sparse_categorical_crossentropy' && classes) parts.push(badLabels(asFloat(y), classes));
      });
      return parts.length === 0 ? null : parts.reduce((a, b) => add(a, b));
    }),
  );
  if (flag === null) return;
  const bad = await flag.item();
  flag.dispose();
  if (bad === 0) return;
  const host = async (a: Input | null) => (a instanceof Tensor ? new NDArray(await a.data(), a.shape) : a);
  const [hx, hy] = [await Promise.all(xs.map(host)), await Promise.all(targets.map(host))];
  if (ys) checkAllTargets(op, model, hy);
  checkAllFinite(op, model, hx as Input[], hy);
}
