// Hyper-parameter checks shared by optimizers, schedules and callbacks: each throws a
// RangeError that names the owner, the parameter and the value it got, instead of letting
// a NaN or a negative rate reach a kernel. Read next: optimizer.ts (who calls these).

function fail(owner: string, name: string, want: string, v: unknown): never {
  throw new RangeError(`${owner}: ${name} must be ${want}, got ${String(v)}`);
}

/** A finite number > 0 (learning rates, decay steps, clip thresholds). */
export function positive(owner: string, name: string, v: number): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) fail(owner, name, 'a finite number > 0', v);
  return v;
}

/** A finite number >= 0 (momentum, epsilon, weight decay). */
export function nonNegative(owner: string, name: string, v: number): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) fail(owner, name, 'a finite number >= 0', v);
  return v;
}

/** A number in [0, 1] (SGD momentum, as Keras checks it). */
export function unitInterval(owner: string, name: string, v: number): number {
  if (typeof v !== 'number' || !(v >= 0 && v <= 1)) fail(owner, name, 'a number in [0, 1]', v);
  return v;
}

/** A number in [0, 1) (decay rates such as beta_1, beta_2, rho: 1 would divide by zero). */
export function decayRate(owner: string, name: string, v: number): number {
  if (typeof v !== 'number' || !(v >= 0 && v < 1)) fail(owner, name, 'a number in [0, 1)', v);
  return v;
}

/** A whole number >= min (patience, cooldown, step counts). */
export function integer(owner: string, name: string, v: number, min = 0): number {
  if (!Number.isInteger(v) || v < min) fail(owner, name, `an integer >= ${min}`, v);
  return v;
}

/** Optional positive threshold: null/undefined means "off" (Keras's None). */
export function optionalPositive(owner: string, name: string, v: number | null | undefined): number | null {
  return v === null || v === undefined ? null : positive(owner, name, v);
}
