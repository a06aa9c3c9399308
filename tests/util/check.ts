// The op-test harness: compare GPU results with a float64 reference at stated tolerances,
// printing the first mismatches; and finite-difference gradients of a float64 reference.

import { expect } from 'vitest';
import type { Arr } from './reference.ts';

export interface Tol {
  atol?: number;
  rtol?: number;
}

/** Asserts |got - want| <= atol + rtol |want| elementwise (NaN matches NaN), listing mismatches. */
export function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, tol: Tol = {}, label = ''): void {
  const atol = tol.atol ?? 1e-5;
  const rtol = tol.rtol ?? 1e-4;
  expect(got.length, `${label}: length`).toBe(want.length);
  const bad: string[] = [];
  for (let i = 0; i < want.length; i++) {
    const g = got[i];
    const w = want[i];
    const ok = Number.isNaN(w) ? Number.isNaN(g) : w === g || Math.abs(g - w) <= atol + rtol * Math.abs(w);
    if (!ok && bad.length < 5) bad.push(`[${i}] got ${g}, want ${w} (diff ${Math.abs(g - w).toExponential(2)})`);
  }
  expect(bad, `${label}: mismatches (atol ${atol}, rtol ${rtol})`).toEqual([]);
}

/** Central finite differences of the scalar sum(w * f(x)) with respect to each input. */
export function numericGrad(f: (xs: Arr[]) => Arr, xs: Arr[], w: Float64Array, h = 1e-6): Float64Array[] {
  const objective = () => {
    const y = f(xs);
    let s = 0;
    for (let i = 0; i < y.data.length; i++) s += w[i] * y.data[i];
    return s;
  };
  return xs.map((x) => {
    const g = new Float64Array(x.data.length);
    for (let i = 0; i < g.length; i++) {
      const v = x.data[i];
      x.data[i] = v + h;
      const up = objective();
      x.data[i] = v - h;
      const down = objective();
      x.data[i] = v;
      g[i] = (up - down) / (2 * h);
    }
    return g;
  });
}

/** Deterministic pseudo-random values in [lo, hi) for test inputs. */
export function values(n: number, seed: number, lo = -1, hi = 1): Float64Array {
  let s = seed >>> 0 || 1;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    // round to float32 so GPU inputs and reference inputs are the same numbers
    out[i] = Math.fround(lo + ((hi - lo) * s) / 2 ** 32);
  }
  return out;
}
