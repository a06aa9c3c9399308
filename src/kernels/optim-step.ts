// The head of an optimizer step's scalars: one small storage buffer, uploaded once per step
// and read by every update of that step. Its layout is defined here once, for the host
// (stepValues) and for WGSL (STEP_STRUCT, the `struct Step`): lr, weight_decay·lr and the
// clip value, followed in the buffer by the rule's own named scalars (`struct Hyper`, in
// each src/optim/<rule>.wgsl). The fast layer's dense-backward-with-SGD kernel (src/fast/
// fused-sgd.ts) reads only this head.
// Read next: src/optim/kernels.ts (who uploads it), src/optim/update.wgsl (who reads it).

/** The head's fields in buffer order; a rule's Hyper fields follow. */
export const STEP_FIELDS = ['lr', 'wd_lr', 'clip_value'] as const;
export type StepScalars = Record<(typeof STEP_FIELDS)[number], number>;

/** `struct Step` with the fields above. */
export const STEP_STRUCT = `struct Step {\n${STEP_FIELDS.map((f) => `  ${f}: f32,`).join('\n')}\n}\n`;

/** The head's contents, in STEP_FIELDS order. */
export function stepValues(s: StepScalars): number[] {
  return STEP_FIELDS.map((f) => s[f]);
}
