// Shared pieces of the optimizer tests: a fixed small problem (initial weights and a fixed
// sequence of gradients, with always-zero elements and all-zero steps), a WebGPU run that
// records every step's weights into one history buffer (copies, one readback at the end),
// and an rtol/atol comparison that prints the first mismatches.

import { expect } from 'vitest';
import { rt } from '../../src/kernels/runtime.ts';
import type { Optimizer } from '../../src/optim/optimizer.ts';
import { tensor } from '../../src/tensor/create.ts';
import { emptyTensor, type Tensor } from '../../src/tensor/tensor.ts';

export const SHAPES = [[3, 4], [5], [300]];
export const STEPS = 50;

/** A tiny deterministic generator (independent of webgrad's Rng). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export interface Problem {
  init: number[][];
  /** grads[step][variable][element] */
  grads: number[][][];
}

/**
 * Weights in ±[0.5, 1.5]; gradients whose scale changes per step (so norms fall both above
 * and below clip thresholds), every 7th element always 0, and variable 1 all-zero every
 * 10th step (norm 0).
 */
export function problem(steps = STEPS, seed = 7): Problem {
  const r = lcg(seed);
  const sizes = SHAPES.map((s) => s.reduce((a, b) => a * b, 1));
  const init = sizes.map((n) => Array.from({ length: n }, () => (r() < 0.5 ? -1 : 1) * (0.5 + r())));
  const grads = Array.from({ length: steps }, (_, t) => {
    const scale = 0.05 + 2 * r() * (1 + Math.sin(t));
    return sizes.map((n, k) =>
      Array.from({ length: n }, (_, i) => (i % 7 === 3 || (k === 1 && t % 10 === 5) ? 0 : scale * (r() - 0.5))),
    );
  });
  return { init, grads };
}

export function makeVariables(p: Problem): Tensor[] {
  return p.init.map((w, k) => {
    const t = tensor(w, SHAPES[k]);
    t.name = `layer${k}/kernel`;
    return t;
  });
}

/** Applies steps [from, to) of `p.grads` to `vars` and returns each variable's weights after every step. */
export async function gpuSteps(
  opt: Optimizer,
  vars: Tensor[],
  p: Problem,
  from = 0,
  to = p.grads.length,
): Promise<Float32Array[][]> {
  const steps = to - from;
  const history = vars.map((v) => emptyTensor([steps * v.size]));
  for (let s = 0; s < steps; s++) {
    const grads = p.grads[from + s].map((g, k) => tensor(g, SHAPES[k]));
    opt.applyGradients(grads.map((g, k) => [g, vars[k]] as const));
    vars.forEach((v, k) => rt().copy(v.buffer, history[k].buffer, v.size * 4, 0, s * v.size * 4));
    for (const g of grads) g.dispose();
  }
  const out: Float32Array[][] = [];
  for (const [k, h] of history.entries()) {
    const data = await h.data();
    h.dispose();
    const n = vars[k].size;
    out.push(Array.from({ length: steps }, (_, s) => data.slice(s * n, (s + 1) * n)));
  }
  return out;
}

/** Every step's weights equal the reference within |a − b| <= atol + rtol·|b|. */
export function expectStepsClose(label: string, gpu: Float32Array[][], ref: number[][][], rtol = 1e-5, atol = 1e-6): void {
  const bad: string[] = [];
  let worst = 0;
  gpu.forEach((steps, k) =>
    steps.forEach((w, s) =>
      w.forEach((x, i) => {
        const want = ref[s][k][i];
        const err = Math.abs(x - want);
        worst = Math.max(worst, err / (atol + rtol * Math.abs(want)));
        if (!(err <= atol + rtol * Math.abs(want)) && bad.length < 5)
          bad.push(`step ${s + 1} var ${k} [${i}]: got ${x}, want ${want}`);
      }),
    ),
  );
  expect(bad, `${label}: first mismatches (worst error ${worst.toFixed(3)}× the tolerance)`).toEqual([]);
}
