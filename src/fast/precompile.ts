// Compiling the pipelines of fit's and evaluate's steps before the first step needs them.
// Each loop's batch is first run once as a dry run (src/fast/compile-ahead.ts's collectPipelines):
// the same code on a batch of the same size, whose dispatches record nothing and only start
// createComputePipelineAsync; the loop then awaits them, so its first step creates none,
// and a page stays responsive meanwhile (Chromium compiles at creation). The dry run changes
// nothing: no kernel runs and no copy is made, no generator advances (withoutDraws), and the
// optimizer only names its kernels (dryCompiled). Read next: loop.ts (its one user).

import { speedupOn } from '../kernels/env.ts';
import { collectPipelines, pipelinesReady } from '../fast/compile-ahead.ts';
import type { Optimizer } from '../optim/optimizer.ts';
import { zeros } from '../tensor/create.ts';
import { gatherRows } from '../tensor/gather.ts';
import { keep, tidy } from '../tensor/memory.ts';
import { withoutDraws } from '../tensor/random.ts';
import type { Tensor } from '../tensor/tensor.ts';
import type { Compiled } from '../nn/model/compile.ts';
import type { Network } from '../nn/model/network.ts';

/** A loop to dry-run: its step as the loop records it, given the compiled settings `c`, a
 * batch of each array (`xbs`, `ybs`) and the running sums to add into (`acc`, `sums` of
 * them); and the loop's resident data and batch size. */
export interface DryLoop {
  step: (c: Compiled, xbs: Tensor[], ybs: (Tensor | null)[], acc: Tensor[]) => void;
  X: Tensor[];
  Y: (Tensor | null)[];
  sums: number;
  batchSize: number;
}

/**
 * Dry-runs each loop's batch at each batch size it will meet (the full one, and a shorter
 * last one: kernels may differ, as a reduction over more than 256 rows does), then resolves
 * when every pipeline is made. WEBGRAD_PLAIN=compile-ahead (or WEBGRAD_LAZY_COMPILE=1) skips this (env.ts): each pipeline is
 * then made at its first dispatch.
 */
export async function precompile(model: Network, loops: DryLoop[]): Promise<void> {
  if (!speedupOn('compile-ahead')) return;
  const state = model.weights.map((w) => w.tensor);
  const dry = dryCompiled(model.compiled!);
  withoutDraws(() =>
    collectPipelines(() => {
      for (const loop of loops) {
        const n = loop.X[0].shape[0];
        for (const rows of new Set([Math.min(n, loop.batchSize), n % loop.batchSize || loop.batchSize])) {
          if (rows > 0) tidy(() => dryBatch(dry, loop, rows));
        }
      }
    }),
  );
  // Layer state must be written in place (assign), as fit writes weights: a layer that swapped
  // in a new tensor would keep, after a dry run, one that no kernel wrote.
  const swapped = model.weights.find((w, i) => w.tensor !== state[i]);
  if (swapped) throw new Error(`webgrad: precompile: weight '${swapped.tensor.name}' was replaced during a dry run; layers must write their state in place`);
  await pipelinesReady();
}

/** One batch of `rows` rows (by a dummy order: row 0 each time) through the loop's step. */
function dryBatch(c: Compiled, { step, X, Y, sums }: DryLoop, rows: number): void {
  // Running sums as the loop keeps them (accumulate replaces them with kept tensors).
  const acc = Array.from({ length: sums }, () => keep(zeros([])));
  const order = zeros([rows]);
  const batch = <T extends Tensor | null>(arrays: T[]) => arrays.map((a) => (a ? gatherRows(a, order, 0, rows) : null)) as T[];
  try {
    step(c, batch(X), batch(Y), acc);
  } finally {
    for (const t of acc) t.dispose();
  }
}

/**
 * `c` with an optimizer for a dry run: it reads every setting through the real one (its
 * prototype), but its updates only prepare their kernels (no slots are made), so the real
 * one is as it was (fit counts steps outside the step: training.ts).
 */
function dryCompiled(c: Compiled): Compiled {
  const real = c.optimizer;
  const dry = Object.create(real) as Optimizer;
  dry.recordUpdates = (pairs) => real.prepareUpdates(pairs.map(([, v]) => v));
  return { ...c, optimizer: dry };
}
