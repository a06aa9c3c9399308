// Waiting for the GPU without spinning a CPU core.
// NOTE: while any dawn.node promise (mapAsync, onSubmittedWorkDone) is pending, Node's
// main thread polls Dawn in a tight loop. On a CPU adapter (lavapipe) that core is one the
// driver needed: a 1024^2 matmul ran ~1.4x faster when the host slept instead. So in Node we
// first sleep for most of the time the work should take — the number of dispatches
// submitted since the last wait times the learned cost of one — and only then await the
// promise (which by then resolves almost at once). Browsers do not spin: there
// the promise is awaited directly. WEBGRAD_SPIN=1 awaits directly in Node too (read at each
// wait), so bench/matmul.ts can show what sleeping saves.

import { envFlag } from './env.ts';

const isNode = typeof process !== 'undefined' && !!process.versions?.node && !('navigator' in globalThis && (globalThis as { navigator?: { gpu?: unknown } }).navigator?.gpu);

const spinRequested = () => envFlag('WEBGRAD_SPIN') === '1';

/** Learned GPU time (ms) per dispatch, per kind of wait. */
const perDispatch = new Map<string, number>();
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Awaits `done()` (a promise that resolves when submitted work is finished), sleeping
 * first for most of the expected time: `work` dispatches (submitted since the last wait)
 * times the cost per dispatch learned for this `kind` (training steps, readbacks).
 */
export async function waitIdle<T>(kind: string, work: number, done: () => Promise<T>): Promise<T> {
  if (!isNode || spinRequested()) return done();
  const start = performance.now();
  const unit = perDispatch.get(kind) ?? 0;
  const guess = Math.min(unit * work, 10_000);
  if (guess >= 1) await sleep(guess * 0.85);
  const slept = performance.now() - start;
  const result = await done();
  const total = performance.now() - start;
  // Resolved at once after the sleep: we overslept, maybe by a lot, so shrink fast;
  // otherwise learn the measured cost per dispatch.
  if (work > 0) perDispatch.set(kind, total - slept < 0.5 ? unit * 0.7 : total / work);
  return result;
}
