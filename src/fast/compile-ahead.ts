// Compiling ahead (a speed-up over the plain path, where each pipeline is made at its first
// dispatch, synchronously, on the main thread). A dry run of a loop's step plugs in as the
// runtime's `dryRun`: its dispatches record nothing and only start their pipelines'
// createComputePipelineAsync, which the loop then awaits, so its first step makes none and
// a page stays responsive meanwhile (Chromium compiles at creation). Read next:
// precompile.ts (what a dry run runs), kernels/pipelines.ts (the cache this fills).

import type { GpuError } from '../kernels/device.ts';
import type { Kernel } from '../kernels/pipelines.ts';
import { rt, type Runtime } from '../kernels/runtime.ts';

/** Creations started and not yet awaited, per device: each settles to its error or null. */
const pending = new WeakMap<Runtime, Set<Promise<GpuError | null>>>();

/** Starts creating k's pipeline asynchronously unless it exists or is on its way. */
function prepare(r: Runtime, k: Kernel): void {
  const cache = r.pipelines;
  const [byVariant, variant] = cache.slot(k);
  if (byVariant.has(variant)) return;
  const t0 = performance.now();
  const made = cache.begin(k, byVariant, variant);
  r.stats.pipelinesAsync++;
  const creating = r.gpu.device.createComputePipelineAsync(cache.descriptor(k)).then(
    // A dispatch that could not wait made it meanwhile: that one stays.
    (p) => void (made.pipeline ??= p),
    (e: GPUError) => e,
  );
  // The compiler's message (the scope's) is the root cause; the rejection only repeats
  // "invalid due to a previous error". A failed entry leaves the cache: a dispatch then
  // creates it again, synchronously, and reports it there.
  const outcome = Promise.all([r.gpu.device.popErrorScope(), creating]).then(([err, rejected]) => {
    const why = err ?? rejected;
    if (why && byVariant.get(variant) === made) byVariant.delete(variant);
    return why ? cache.failed(k, why) : null;
  });
  cache.end(made, k, variant, true, t0);
  let set = pending.get(r);
  if (!set) pending.set(r, (set = new Set()));
  set.add(outcome);
}

/**
 * Runs `fn` as a dry run: its dispatches record nothing and only start their pipelines'
 * asynchronous creation (copies are skipped; a submit or read throws).
 */
export function collectPipelines<T>(fn: () => T): T {
  const r = rt();
  const outer = r.dryRun;
  r.dryRun = (k) => prepare(r, k);
  try {
    return fn();
  } finally {
    r.dryRun = outer;
  }
}

/** Resolves when every pipeline a dry run started is created; throws the first that failed. */
export async function pipelinesReady(): Promise<void> {
  const r = rt();
  const waiting = [...(pending.get(r) ?? [])];
  const errors = await Promise.all(waiting);
  for (const p of waiting) pending.get(r)?.delete(p);
  const err = errors.find((e) => e !== null);
  r.check(); // a lost device fails every creation: say that instead
  if (err) throw err;
}
