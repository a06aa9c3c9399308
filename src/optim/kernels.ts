// Recording the optimizer kernels into the runtime's open encoder, no readback: the fused
// per-tensor update (wgsl/optim-update.wgsl) and the gradient norms for clipnorm /
// global_clipnorm (wgsl/optim-norm.wgsl). Per-tensor uniforms never change between steps
// (cached, created once); per-step scalars travel in one small pooled buffer (uploadStep),
// computed by a producer that a captured step's replay calls again (src/fast/capture.ts).
// Read next: optimizer.ts (who calls these), the two .wgsl files (what runs).

import normWgsl from '../kernels/wgsl/optim-norm.wgsl?raw';
import updateWgsl from '../kernels/wgsl/optim-update.wgsl?raw';
import { STEP_FIELDS, STEP_WGSL, stepValues } from '../kernels/optim-step.ts';
import { grid, type Kernel, params, rt } from '../kernels/runtime.ts';
import { emptyTensor, type Tensor } from '../tensor/tensor.ts';

/** The update kernel's entry points, one per rule. */
export type Rule = 'sgd' | 'sgd_momentum' | 'adagrad' | 'rmsprop' | 'adam' | 'adamax' | 'nadam';

/** Bits of the update kernel's `flags` (the WGSL constants of the same meaning). */
export const Flag = { clipNorm: 1, clipValue: 2, variant: 4, momentum: 8 } as const;

/** What one optimizer step passes to every tensor's update: the rule and its scalars. */
export interface StepRule {
  rule: Rule;
  /** Flag.variant / Flag.momentum as the rule needs. */
  flags: number;
  /** The step size the kernel multiplies by (Adam folds its bias corrections in). */
  lr: number;
  /** Up to 6 rule hyper-parameters, in the order the entry point names them. */
  h: readonly number[];
}

/** One step's scalars as the host computes them (once per step: Nadam's state advances). */
export interface StepScalarsSource {
  step: StepRule;
  wdLr: number;
  clipValue: number | null;
}

/**
 * Uploads one step's scalars (the WGSL `Step` struct, laid out in kernels/optim-step.ts) from
 * `make`, called now and again at each replay of a captured step; returns them with this
 * step's rule (which picks the kernels). The caller disposes `scalars` once every update of
 * the step is recorded.
 */
export function uploadStep(make: () => StepScalarsSource): { scalars: Tensor; step: StepRule } {
  let first: StepRule | null = null;
  const values = () => {
    const { step, wdLr, clipValue } = make();
    first ??= step;
    const [h0 = 0, h1 = 0, h2 = 0, h3 = 0, h4 = 0, h5 = 0] = step.h;
    return Float32Array.from(stepValues({ lr: step.lr, wd_lr: wdLr, clip_value: clipValue ?? 0, h0, h1, h2, h3, h4, h5 }));
  };
  const scalars = emptyTensor([STEP_FIELDS.length]);
  rt().stepData(scalars.buffer, values);
  return { scalars, step: first! };
}

export interface UpdateArgs {
  step: StepRule;
  /** This step's scalars, from `uploadStep`. */
  scalars: Tensor;
  variable: Tensor;
  gradient: Tensor;
  /** The packed slots (slot k of element i at k·n + i); null for plain SGD. */
  slots: Tensor | null;
  /** Norm-clipping factors written by `recordNorm`; bound (unread) even when not clipping. */
  clip: Tensor;
  /** Index of this tensor's factor in `clip`, or -1 when not clipping by norm. */
  clipIndex: number;
  clipByValue: boolean;
}

/** The update kernel per element type: 4 elements per invocation where the size allows. */
const UPDATE = {
  scalar: `alias V = f32;\n${STEP_WGSL}${updateWgsl}`,
  vec4: `alias V = vec4f;\n${STEP_WGSL}${updateWgsl}`,
};

/** The update kernel of `rule` for a variable of `size` elements. */
function updateKernel(rule: Rule, size: number): Kernel {
  return { label: `optim-${rule}`, code: size % 4 === 0 ? UPDATE.vec4 : UPDATE.scalar, entry: rule };
}

const NORM: Kernel = { label: 'optim-norm', code: normWgsl };

/** Starts compiling the kernels recordUpdate (and recordNorm, when clipping by norm) will run for `variables`. */
export function prepareUpdates(rule: Rule, variables: readonly Tensor[], clipByNorm: boolean): void {
  for (const v of variables) rt().prepare(updateKernel(rule, v.size));
  if (clipByNorm) rt().prepare(NORM);
}

export function recordUpdate(a: UpdateArgs): void {
  const packed = a.variable.size % 4 === 0;
  const n = packed ? a.variable.size / 4 : a.variable.size;
  let flags = a.step.flags;
  if (a.clipIndex >= 0) flags |= Flag.clipNorm;
  if (a.clipByValue) flags |= Flag.clipValue;
  const r = rt();
  const u = r.uniform(params([n, flags, Math.max(a.clipIndex, 0)]));
  const buffers = [u, a.variable.buffer, a.gradient.buffer, a.clip.buffer, a.scalars.buffer];
  if (a.slots) buffers.push(a.slots.buffer);
  r.dispatch(updateKernel(a.step.rule, a.variable.size), buffers, grid(n, 256));
}

export interface NormArgs {
  gradient: Tensor;
  out: Tensor;
  /** Where the factor (clipnorm) or Σg² (global) goes in `out`. */
  index: number;
  clipnorm: number;
  /** 'tensor': per-tensor factor; 'global': Σg², and the shared factor at out[count] when `finalize`. */
  mode: 'tensor' | 'global';
  finalize: boolean;
  count: number;
}

export function recordNorm(a: NormArgs): void {
  const r = rt();
  const u = r.uniform(
    params([a.gradient.size, a.index, a.mode === 'tensor' ? 0 : 1, a.finalize ? 1 : 0, a.count], [a.clipnorm]),
  );
  r.dispatch(NORM, [u, a.gradient.buffer, a.out.buffer], [1]);
}
