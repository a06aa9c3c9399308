// Waiting for the GPU without spinning a CPU core.
// NOTE: while any dawn.node promise (mapAsync, onSubmittedWorkDone) is pending, Node's
// main thread polls Dawn in a tight loop. On a CPU adapter (lavapipe) that core is one the
// driver needed: a 1024^2 matmul ran ~2x faster when the host slept instead. So in Node we
// first sleep for about as long as the same kind of work took last time, and only then
// await the promise (which by then resolves almost at once). Browsers do not spin: there
// the promise is awaited directly. WEBGRAD_SPIN=1 awaits directly in Node too (read at each
// wait), so bench/matmul.ts can show what sleeping saves.

const isNode = typeof process !== 'undefined' && !!process.versions?.node && !('navigator' in globalThis && (globalThis as { navigator?: { gpu?: unknown } }).navigator?.gpu);

const spinRequested = () => (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.WEBGRAD_SPIN === '1';

/** Last measured duration (ms) per kind of wait, the estimate for the next one. */
const estimates = new Map<string, number>();
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Awaits `done()` (a promise that resolves when submitted work is finished), sleeping
 * first for most of the expected time. `kind` groups waits of similar size (a training
 * step, a readback) so each learns its own estimate.
 */
export async function waitIdle<T>(kind: string, done: () => Promise<T>): Promise<T> {
  if (!isNode || spinRequested()) return done();
  const start = performance.now();
  const guess = estimates.get(kind) ?? 0;
  if (guess >= 1) await sleep(guess * 0.85);
  const slept = performance.now() - start;
  const result = await done();
  const total = performance.now() - start;
  // If the promise was already resolved after the sleep we overslept, maybe by a lot:
  // shrink the estimate; otherwise learn the measured total.
  const next = total - slept < 0.5 ? guess * 0.9 : total;
  estimates.set(kind, Math.min(next, 10_000));
  return result;
}
