// Recording the optimizer kernels into the runtime's open encoder, no readback: the fused
// per-tensor update (update.wgsl, the part every rule shares, followed by the rule's own
// file, e.g. adam.wgsl) and the gradient norms for clipnorm / global_clipnorm
// (clip-norm.wgsl). Per-tensor uniforms never change between steps (cached, created once);
// per-step scalars travel in one small pooled buffer (uploadStep), computed by a producer
// that a captured step's replay calls again (src/fast/capture.ts).
// Read next: optimizer.ts (who calls these), update.wgsl (what runs).

import { STEP_FIELDS, STEP_STRUCT, stepValues } from '../kernels/optim-step.ts';
import { grid, type Kernel, params, rt } from '../kernels/runtime.ts';
import { emptyTensor, type Tensor } from '../tensor/tensor.ts';
import normWgsl from './clip-norm.wgsl?raw';
import updateWgsl from './update.wgsl?raw';
import { kernelCode } from '../kernels/kernel-code.ts';

/** An optimizer's update rule as the kernel runs it, fixed for the optimizer's life. */
export interface UpdateRule {
  /** Names the kernel (profiles, debug output): 'adam'. */
  name: string;
  /** The rule's file (adam.wgsl): its `struct Hyper` and `fn update`. */
  wgsl: string;
  /** The file's `override` constants by name (Adam's amsgrad, RMSprop's centered). */
  options?: Readonly<Record<string, boolean>>;
  /** An entry point of the rule's own (plain SGD's `descend`) instead of update.wgsl's main. */
  entry?: string;
}

/** A rule's scalars for one step by name: its file's `struct Hyper`, field for field. */
export type Hyper = Readonly<Record<string, number>>;

/** One step's scalars as the host computes them (once per step: Nadam's state advances). */
export interface StepSource {
  lr: number;
  wdLr: number;
  clipValue: number | null;
  hyper: Hyper;
}

/** A rule's `struct Hyper` fields in buffer order, and its kernel per element type. */
type Compiled = { fields: string[]; scalar: Kernel; vec4: Kernel };

/** Made once per rule: the pipeline cache keys on the code string, and dispatches are many. */
const compiled = new WeakMap<UpdateRule, Compiled>();
function compile(rule: UpdateRule): Compiled {
  let c = compiled.get(rule);
  if (!c) {
    const body = /struct Hyper\s*\{([^}]*)\}/.exec(rule.wgsl)?.[1] ?? '';
    const fields = [...body.replace(/\/\/.*$/gm, '').matchAll(/(\w+)\s*:\s*f32/g)].map((m) => m[1]);
    const constants = Object.fromEntries(Object.entries(rule.options ?? {}).map(([name, on]) => [name, Number(on)]));
    const code = kernelCode(STEP_STRUCT, updateWgsl, rule.wgsl);
    const kernel = (v: string): Kernel => ({ label: `optim-${rule.name}`, code: `alias V = ${v};\n${code}`, entry: rule.entry, constants });
    c = { fields, scalar: kernel('f32'), vec4: kernel('vec4f') };
    compiled.set(rule, c);
  }
  return c;
}

/** The buffer's values: the Step head, then `hyper` in its struct's order, checked by name. */
function scalarsOf(rule: UpdateRule, s: StepSource): Float32Array {
  const { fields } = compile(rule);
  const names = Object.keys(s.hyper);
  if (names.length !== fields.length || fields.some((f) => !(f in s.hyper))) {
    throw new Error(
      `optimizer '${rule.name}': its step scalars {${names.join(', ')}} do not match its WGSL's struct Hyper {${fields.join(', ')}}`,
    );
  }
  const head = stepValues({ lr: s.lr, wd_lr: s.wdLr, clip_value: s.clipValue ?? 0 });
  return Float32Array.from([...head, ...fields.map((f) => s.hyper[f])]);
}

/**
 * Uploads one step's scalars (kernels/optim-step.ts's Step, then `rule`'s Hyper) from
 * `make`, called now and again at each replay of a captured step. The caller disposes the
 * tensor once every update of the step is recorded.
 */
export function uploadStep(rule: UpdateRule, make: () => StepSource): Tensor {
  const scalars = emptyTensor([STEP_FIELDS.length + compile(rule).fields.length]);
  try {
    rt().stepData(scalars.buffer, () => scalarsOf(rule, make()));
  } catch (e) {
    scalars.dispose(); // a bad learning rate or Hyper throws here: leave no buffer behind
    throw e;
  }
  return scalars;
}

export interface UpdateArgs {
  rule: UpdateRule;
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

/** Bits of update.wgsl's `flags` (its constants of the same names). */
const CLIP_NORM = 1;
const CLIP_VALUE = 2;

/** The update kernel of `rule` for a variable of `size` elements: 4 per invocation where the size allows. */
function updateKernel(rule: UpdateRule, size: number): Kernel {
  return size % 4 === 0 ? compile(rule).vec4 : compile(rule).scalar;
}

const NORM: Kernel = { label: 'optim-norm', code: normWgsl };

/** Starts compiling the kernels recordUpdate (and recordNorm, when clipping by norm) will run for `variables`. */
export function prepareUpdates(rule: UpdateRule, variables: readonly Tensor[], clipByNorm: boolean): void {
  for (const v of variables) rt().prepare(updateKernel(rule, v.size));
  if (clipByNorm) rt().prepare(NORM);
}

export function recordUpdate(a: UpdateArgs): void {
  const packed = a.variable.size % 4 === 0;
  const n = packed ? a.variable.size / 4 : a.variable.size;
  const flags = (a.clipIndex >= 0 ? CLIP_NORM : 0) | (a.clipByValue ? CLIP_VALUE : 0);
  const r = rt();
  const u = r.uniform(params([n, flags, Math.max(a.clipIndex, 0)]));
  const buffers = [u, a.variable.buffer, a.gradient.buffer, a.clip.buffer, a.scalars.buffer];
  if (a.slots) buffers.push(a.slots.buffer);
  r.dispatch(updateKernel(a.rule, a.variable.size), buffers, grid(n, 256));
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
