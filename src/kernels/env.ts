// The environment switches, read in one place: in Node from process.env, in a browser from
// a global of the same name (set it before the first kernel runs, e.g. in the console).
// WEBGRAD_DEBUG=1 prints every dispatch, 2 also each new pipeline's assembled WGSL;
// WEBGRAD_PROFILE=1 times every kernel (profiler.ts); WEBGRAD_SPIN=1 awaits the GPU without
// sleeping first (wait.ts); WEBGRAD_MATMUL=naive|blocked|blocked-8x8|subgroups picks the matmul kernel
// (matmul-kernels.ts); WEBGRAD_LAZY_COMPILE=1 makes each pipeline at its first dispatch, not
// ahead in fit/evaluate (fast/precompile.ts); WEBGRAD_CAPTURE=0 runs every training/evaluation
// step eagerly instead of replaying a captured one (capture.ts); WEBGRAD_PLAIN=1 runs the plain
// path, the specification: fit/evaluate/predict without any speed-up of src/fast (no capture,
// no pacing rounds, no compiling ahead, no fused plans), and WEBGRAD_PLAIN=capture,pacing turns
// off only the speed-ups it names (SPEEDUPS). Read next: runtime.ts.

export type EnvFlag = 'WEBGRAD_DEBUG' | 'WEBGRAD_PROFILE' | 'WEBGRAD_SPIN' | 'WEBGRAD_MATMUL' | 'WEBGRAD_LAZY_COMPILE' | 'WEBGRAD_CAPTURE' | 'WEBGRAD_PLAIN';

/** The switch's value, or undefined when it is unset, empty or '0'. Read at each call. */
export function envFlag(name: EnvFlag): string | undefined {
  const v = raw(name);
  return v === undefined || v === '' || v === '0' ? undefined : v;
}

function raw(name: EnvFlag): string | undefined {
  const g = globalThis as Record<string, unknown> & { process?: { env?: Record<string, string | undefined> } };
  const v = g[name] ?? g.process?.env?.[name];
  return v === undefined ? undefined : String(v);
}

/** WEBGRAD_DEBUG as a number: 0 when unset. */
export function debugLevel(): number {
  return Number(envFlag('WEBGRAD_DEBUG') ?? 0) || 0;
}

/** The speed-ups of src/fast, by the names WEBGRAD_PLAIN takes (docs/how-it-works.md part 2). */
export const SPEEDUPS = ['compile-ahead', 'capture', 'pacing', 'loss-tail', 'act-grads', 'fused-sgd'] as const;
export type Speedup = (typeof SPEEDUPS)[number];

/**
 * Whether speed-up `s` runs: not when WEBGRAD_PLAIN is 1 (every one off: the plain path) or
 * names it in a comma list; WEBGRAD_CAPTURE=0 (or 'off') and WEBGRAD_LAZY_COMPILE=1 are the
 * older switches for 'capture' and 'compile-ahead'.
 */
export function speedupOn(s: Speedup): boolean {
  const plain = envFlag('WEBGRAD_PLAIN');
  if (plain === '1' || plain === 'all') return false;
  const off = plain?.split(',').map((name) => name.trim()) ?? [];
  const unknown = off.find((name) => !(SPEEDUPS as readonly string[]).includes(name));
  if (unknown !== undefined) throw new RangeError(`webgrad: WEBGRAD_PLAIN=${plain}: '${unknown}' names no speed-up; use 1 (all of them) or some of ${SPEEDUPS.join(', ')}`);
  if (off.includes(s)) return false;
  if (s === 'capture') return !['0', 'off'].includes(raw('WEBGRAD_CAPTURE') ?? '');
  return s !== 'compile-ahead' || !envFlag('WEBGRAD_LAZY_COMPILE');
}

/** Whether the plain path runs: every speed-up of src/fast off. */
export function plainOn(): boolean {
  return SPEEDUPS.every((s) => !speedupOn(s));
}
