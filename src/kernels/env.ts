// The environment switches, read in one place: in Node from process.env, in a browser from
// a global of the same name (set it before the first kernel runs, e.g. in the console).
// WEBGRAD_DEBUG=1 prints every dispatch, 2 also each new pipeline's assembled WGSL;
// WEBGRAD_PROFILE=1 times every kernel (profiler.ts); WEBGRAD_SPIN=1 awaits the GPU without
// sleeping first (wait.ts); WEBGRAD_MATMUL=naive|blocked|subgroups picks the matmul kernel
// (matmul-kernels.ts); WEBGRAD_LAZY_COMPILE=1 makes each pipeline at its first dispatch, not
// ahead in fit/evaluate (fast/precompile.ts); WEBGRAD_CAPTURE=0 runs every training/evaluation
// step eagerly instead of replaying a captured one (capture.ts); WEBGRAD_PLAIN=1 runs the plain
// path, the specification: fit/evaluate/predict without any loop speed-up (fast/loop.ts: no
// capture, no pacing rounds, no compiling ahead, no fused plans). Read next: runtime.ts.

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

/** Whether steps are captured and replayed: on unless WEBGRAD_CAPTURE is '0' or 'off'. */
export function captureOn(): boolean {
  const v = raw('WEBGRAD_CAPTURE');
  return v !== '0' && v !== 'off';
}

/** Whether the plain path runs (WEBGRAD_PLAIN set, not '0'): every speed-up of src/fast off. */
export function plainOn(): boolean {
  return envFlag('WEBGRAD_PLAIN') !== undefined;
}
