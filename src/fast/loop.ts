// The loop speed-ups of fit, evaluate and predict, handed to the plain loops (nn/model/training.ts,
// nn/model/inference.ts) as ONE object with a method per plug-in point: prepare (compiling ahead,
// precompile.ts), step (capture and replay, captured-steps.ts), endStep (pacing: throttle
// rounds), lossTail (the fused loss tail) and backward (the fused SGD update). Each gives
// the plain path's results (tests/nn/plain-vs-fast.test.ts). Under WEBGRAD_PLAIN
// loopSpeedups returns null and the loops run their plain code alone.
// Read next: captured-steps.ts, precompile.ts.

import { plainOn, speedupOn } from '../kernels/env.ts';
import { flush } from '../kernels/runtime.ts';
import { constant } from '../tensor/create.ts';
import type { Tensor } from '../tensor/tensor.ts';
import type { Compiled } from '../nn/model/compile.ts';
import type { Network } from '../nn/model/network.ts';
import { fastBackward } from './backward-plan.ts';
import { CapturedSteps } from './captured-steps.ts';
import { fusedLossTail } from './fused-loss.ts';
import { throttle } from './pacing.ts';
import { type DryLoop, precompile } from './precompile.ts';

export interface LoopSpeedups {
  /** Compiling ahead: dry-runs each loop's step and resolves when its pipelines are made. */
  prepare(loops: DryLoop[]): Promise<void>;
  /** Capture and replay: runs `eager` (recording it), or replays its capture of the same `key`; returns what the recorded run returned. */
  step<T>(key: string, eager: () => T): T;
  /** Pacing: submits fit's step `index`; every STEPS_PER_ROUND-th also waits for the round two back. */
  endStep(index: number): Promise<void>;
  /** The fused loss tail: the loss (sums added into `acc`) in one kernel, or null where it does not apply. */
  lossTail(c: Compiled, preds: Tensor[], ys: (Tensor | null)[], reg: Tensor | null, acc: readonly Tensor[]): Tensor | null;
  /** backward with its plan (backward-plan.ts: folded activation gradients, plain SGD's step inside the dense backward); returns how many weights it updated. */
  backward(loss: Tensor, c: Compiled): number;
  dispose(): void;
}

/** Steps per throttle round: the host runs at most two rounds ahead of the GPU (pacing.ts throttle). */
const STEPS_PER_ROUND = 16;

const ids = new WeakMap<object, number>();
let lastId = 0;

/** What a captured fit step depends on besides the batch size: the optimizer object and the trainable flags. */
function graphKey(model: Network): string {
  const c = model.compiled!;
  let id = ids.get(c.optimizer);
  if (id === undefined) ids.set(c.optimizer, (id = ++lastId));
  return `${id}:${model.layers.map((l) => (l.trainable ? 1 : 0)).join('')}`;
}

/**
 * The speed-ups of one loop ('fit', 'evaluate', 'predict') of `model`, or null under
 * WEBGRAD_PLAIN=1. Each method falls back to the plain path's code for a speed-up that
 * WEBGRAD_PLAIN names (env.ts speedupOn: capture and compile-ahead check theirs themselves).
 */
export function loopSpeedups(what: 'fit' | 'evaluate' | 'predict', model: Network): LoopSpeedups | null {
  if (plainOn()) return null;
  const captured = new CapturedSteps(what, model.layers);
  const [pacing, lossTail, fold, fusedSgd] = (['pacing', 'loss-tail', 'act-grads', 'fused-sgd'] as const).map(speedupOn);
  return {
    prepare: (loops) => precompile(model, loops),
    // fit's captures also depend on the optimizer and the trainable flags (a callback may change them).
    step: (key, eager) => captured.run(key, what === 'fit' ? graphKey(model) : '', eager),
    // A round's last step is submitted by throttle, with the round's fence after it.
    endStep: async (index) => (pacing && index % STEPS_PER_ROUND === STEPS_PER_ROUND - 1 ? throttle('train-steps') : flush()),
    lossTail: (...args) => (lossTail ? fusedLossTail(...args) : null),
    backward(loss, c) {
      // Folded activation gradients, and with plain SGD the updates of the weights whose only
      // reader is their Dense node (backward-plan.ts); the others get gradients as usual.
      const scalars = fusedSgd ? c.optimizer.plainSgdScalars() : null;
      try {
        // a cached 1 seeds it: no fill per step
        return fastBackward(loss, constant(1), new Set(c.trainable.map((w) => w.tensor)), scalars, fold).size;
      } finally {
        scalars?.dispose(); // its buffer is reused only after this step's submit (buffers.ts)
      }
    },
    dispose: () => captured.dispose(),
  };
}
