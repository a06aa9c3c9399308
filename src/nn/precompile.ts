// Compiling the pipelines of fit's and evaluate's steps before the first step needs them.
// Each loop's batch is first run once as a dry run (kernels/runtime.ts's collectPipelines):
// the same code on a batch of the same size, whose dispatches record nothing and only start
// createComputePipelineAsync; the loop then awaits them, so its first step creates none,
// and a page stays responsive meanwhile (Chromium compiles at creation). The dry run changes
// nothing: no kernel runs and no copy is made, no generator advances (withoutDraws), and the
// optimizer only names its kernels (dryCompiled). Read next: training.ts, inference.ts.

import { envFlag } from '../kernels/env.ts';
import { collectPipelines, rt } from '../kernels/runtime.ts';
import type { Optimizer } from '../optim/optimizer.ts';
import { zeros } from '../tensor/create.ts';
import { keep, tidy } from '../tensor/memory.ts';
import { withoutDraws } from '../tensor/random.ts';
import type { Tensor } from '../tensor/tensor.ts';
import type { Compiled } from './model/compile.ts';
import type { Network } from './model/network.ts';

/** A loop to dry-run: its batch as the loop records it, for `rows` rows by `order` (dummy
 * row indices), adding its `sums` values into `acc`; and the loop's data and batch sizes. */
export interface DryLoop {
  step: (acc: Tensor[], order: Tensor, rows: number) => void;
  sums: number;
  n: number;
  batchSize: number;
}

/**
 * Dry-runs each loop's batch at each batch size it will meet (the full one, and a shorter
 * last one: kernels may differ, as a reduction over more than 256 rows does), then resolves
 * when every pipeline is made. WEBGRAD_LAZY_COMPILE=1 skips this (env.ts): each pipeline is
 * then made at its first dispatch.
 */
export async function precompile(model: Network, loops: DryLoop[]): Promise<void> {
  if (envFlag('WEBGRAD_LAZY_COMPILE')) return;
  const state = model.weights.map((w) => w.tensor);
  withoutDraws(() =>
    collectPipelines(() => {
      for (const { step, sums, n, batchSize } of loops) {
        for (const rows of new Set([Math.min(n, batchSize), n % batchSize || batchSize])) {
          if (rows > 0) tidy(() => dryBatch(step, sums, rows));
        }
      }
    }),
  );
  // Layer state must be written in place (assign), as fit writes weights: a layer that swapped
  // in a new tensor would keep, after a dry run, one that no kernel wrote.
  const swapped = model.weights.find((w, i) => w.tensor !== state[i]);
  if (swapped) throw new Error(`webgrad: precompile: weight '${swapped.tensor.name}' was replaced during a dry run; layers must write their state in place`);
  await rt().pipelinesReady();
}

function dryBatch(step: DryLoop['step'], sums: number, rows: number): void {
  // Running sums as the loop keeps them (accumulate replaces them with kept tensors).
  const acc = Array.from({ length: sums }, () => keep(zeros([])));
  try {
    step(acc, zeros([rows]), rows);
  } finally {
    for (const t of acc) t.dispose();
  }
}

/**
 * `c` with an optimizer for a dry run: it reads every setting through the real one (its
 * prototype), but its updates only prepare their kernels (no slots are made) and it counts
 * no step, so the real one is as it was.
 */
export function dryCompiled(c: Compiled): Compiled {
  const real = c.optimizer;
  const dry = Object.create(real) as Optimizer;
  dry.recordUpdates = (pairs) => real.prepareUpdates(pairs.map(([, v]) => v));
  dry.countStep = () => {};
  return { ...c, optimizer: dry };
}
