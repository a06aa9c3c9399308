// Batch normalization over the last axis, forward and backward (kernels: wgsl/batch-norm.wgsl).
// Training normalizes with the batch's own mean and biased variance and may fold them into
// the moving statistics on the GPU (2 dispatches); inference normalizes with given
// statistics (1 dispatch). The backward is 2 dispatches: per-channel sums, then dx.
// Float64 reference: tests/util/batch-norm-reference.ts.
// Read next: src/nn/layers/batch-normalization.ts (the Keras layer around these).

import { kernelCode } from '../kernels/kernel-code.ts';
import batchNormWgsl from '../kernels/wgsl/batch-norm.wgsl?raw';
import { grid, params, rt } from '../kernels/runtime.ts';
import { shapeStr } from '../tensor/shape.ts';
import { emptyTensor, type Tensor } from '../tensor/tensor.ts';
import type { Rules } from './registry-types.ts';
import { needsGrad, record } from './tape.ts';

const CODE = kernelCode(batchNormWgsl);

const GAMMA = 1;
const BETA = 2;
const BATCH_STATS = 4;

export interface BatchNormArgs {
  /** Per-channel scale and offset ([C]); null when the layer has no `scale` / `center`. */
  gamma: Tensor | null;
  beta: Tensor | null;
  epsilon: number;
}

/** Moving statistics that a training call updates in place (Keras's momentum rule). */
export interface MovingStats {
  mean: Tensor;
  variance: Tensor;
  momentum: number;
}

function channels(x: Tensor, a: BatchNormArgs, what: string): number {
  const c = x.shape.at(-1) ?? 0;
  for (const [name, t] of [['gamma', a.gamma], ['beta', a.beta]] as const) {
    if (t && (t.rank !== 1 || t.shape[0] !== c)) throw new RangeError(`${what}: ${name} must be [${c}] for input ${shapeStr(x.shape)}, got ${shapeStr(t.shape)}`);
  }
  if (x.rank < 2) throw new RangeError(`${what}: expected input [batch, ..., channels], got ${shapeStr(x.shape)}`);
  return c;
}

function flags(a: BatchNormArgs, batchStats: boolean): number {
  return (a.gamma ? GAMMA : 0) | (a.beta ? BETA : 0) | (batchStats ? BATCH_STATS : 0);
}

function uniform(x: Tensor, c: number, f: number, eps: number, momentum = 0): GPUBuffer {
  return rt().uniform(params([x.size / c, c, f], [eps, momentum]));
}

/** y = (x - mean) / sqrt(var + eps) * gamma + beta, recorded for backward. */
function normalize(x: Tensor, a: BatchNormArgs, mean: Tensor, variance: Tensor, batchStats: boolean): Tensor {
  const c = x.shape.at(-1)!;
  const y = emptyTensor(x.shape);
  if (x.size) {
    const r = rt();
    const none = r.unusedStorage();
    r.dispatch(
      { label: 'batchNorm', code: CODE, entry: 'normalize' },
      [uniform(x, c, flags(a, batchStats), a.epsilon), x.buffer, mean.buffer, variance.buffer, a.gamma?.buffer ?? none, a.beta?.buffer ?? none, y.buffer],
      grid(x.size, 256),
    );
  }
  const inputs = [x, ...(a.gamma ? [a.gamma] : []), ...(a.beta ? [a.beta] : [])];
  return record('batchNorm', inputs, y, { ...a, mean, variance, batchStats });
}

/**
 * Normalizes with the batch's statistics (mean and biased variance over every axis but the
 * last); with `moving`, also updates the moving statistics in the same dispatch.
 */
export function batchNormTraining(x: Tensor, a: BatchNormArgs, moving: MovingStats | null = null): Tensor {
  const c = channels(x, a, 'batchNorm');
  const mean = emptyTensor([c]);
  const variance = emptyTensor([c]);
  if (x.size) {
    const r = rt();
    const m = moving?.momentum ?? 0;
    const bufs = [uniform(x, c, BATCH_STATS, a.epsilon, m), x.buffer, mean.buffer, variance.buffer];
    if (moving) bufs.push(moving.mean.buffer, moving.variance.buffer);
    r.dispatch({ label: 'batchNorm:moments', code: CODE, entry: moving ? 'moments_update' : 'moments' }, bufs, grid(c, 64));
  }
  const y = normalize(x, a, mean, variance, true);
  // Off the tape nothing needs the batch statistics after the dispatch just recorded (a
  // disposed buffer is reused only after the next submit: buffers.ts).
  if (!y.node) {
    mean.dispose();
    variance.dispose();
  }
  return y;
}

/** Normalizes with fixed statistics (a layer's moving mean and variance). */
export function batchNormInference(x: Tensor, a: BatchNormArgs, mean: Tensor, variance: Tensor): Tensor {
  const c = channels(x, a, 'batchNorm');
  for (const [name, t] of [['mean', mean], ['variance', variance]] as const) {
    if (t.rank !== 1 || t.shape[0] !== c) throw new RangeError(`batchNorm: ${name} must be [${c}], got ${shapeStr(t.shape)}`);
  }
  return normalize(x, a, mean, variance, false);
}

export const batchNormRules: Rules<'batchNorm'> = {
  batchNorm: (dy, n) => {
    const { gamma, beta, mean, variance, epsilon, batchStats } = n.attrs;
    const x = n.inputs[0];
    const c = x.shape.at(-1)!;
    const r = rt();
    const none = r.unusedStorage();
    const f = flags(n.attrs, batchStats);
    const u = uniform(x, c, f, epsilon);
    // The sums are dbeta and dgamma, and batch statistics need them for dx as well.
    const sums = batchStats || (gamma && needsGrad(gamma)) || (beta && needsGrad(beta));
    const dbeta = sums ? emptyTensor([c]) : null;
    const dgamma = sums ? emptyTensor([c]) : null;
    const dx = emptyTensor(x.shape);
    if (x.size) {
      if (dbeta && dgamma) {
        r.dispatch(
          { label: 'batchNorm:grad-sums', code: CODE, entry: 'grad_sums' },
          [u, x.buffer, mean.buffer, variance.buffer, dy.buffer, dbeta.buffer, dgamma.buffer],
          grid(c, 64),
        );
      }
      r.dispatch(
        { label: 'batchNorm:grad-input', code: CODE, entry: 'grad_input' },
        [u, x.buffer, mean.buffer, variance.buffer, gamma?.buffer ?? none, dy.buffer, dbeta?.buffer ?? none, dgamma?.buffer ?? none, dx.buffer],
        grid(x.size, 256),
      );
    }
    return [dx, ...(gamma ? [dgamma] : []), ...(beta ? [dbeta] : [])];
  },
};
