// An optimizer step's scalars: one small storage buffer, uploaded once per step and read by
// every update of that step. Its layout is defined here once, for the host (stepValues) and
// for WGSL (STEP_WGSL: the `Step` struct, plus plain SGD's rule, sgd-rule.wgsl), which both
// optim-update.wgsl and the dense-backward-with-SGD kernel (matmul-kernels.ts) prepend.
// Read next: src/optim/kernels.ts (who uploads it), wgsl/optim-update.wgsl (who reads it).

import sgdRuleWgsl from './wgsl/sgd-rule.wgsl?raw';

/** The fields in buffer order: lr, weight_decay·lr, the clip value, then a rule's h0..h5. */
export const STEP_FIELDS = ['lr', 'wd_lr', 'clip_value', 'h0', 'h1', 'h2', 'h3', 'h4', 'h5'] as const;
export type StepScalars = Record<(typeof STEP_FIELDS)[number], number>;

/** The WGSL side: `struct Step` with the fields above, then `fn sgd_rule` (needs `alias V`). */
export const STEP_WGSL = `struct Step {\n${STEP_FIELDS.map((f) => `  ${f}: f32,`).join('\n')}\n}\n${sgdRuleWgsl}`;

/** The buffer's contents, in STEP_FIELDS order. */
export function stepValues(s: StepScalars): number[] {
  return STEP_FIELDS.map((f) => s[f]);
}
