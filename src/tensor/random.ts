// The host-side seeded random generator (initializers, shuffling). Kernels that need
// randomness on the GPU (dropout) hash (seed, call, index) instead: see wgsl/dropout.wgsl.
// Generator: splitmix32 for seeding + xoshiro128** (small, fast, well studied).

let globalSeed: number | null = null;
let counter = 0;
/** While > 0, draws return values but advance no generator (withoutDraws). */
let frozen = 0;

/**
 * Runs `fn` with every draw (dropout seeds, a layer's own generator) leaving its generator
 * where it was: the draws after it are those `fn` would have taken. fast/precompile.ts's dry
 * run uses it, so compiling ahead changes no later mask or shuffle.
 */
export function withoutDraws<T>(fn: () => T): T {
  frozen++;
  try {
    return fn();
  } finally {
    frozen--;
  }
}

/** Makes every later seeded draw (weights, shuffles, dropout) reproducible. */
export function setSeed(seed: number): void {
  globalSeed = seed >>> 0;
  counter = 0;
}

function splitmix32(a: number): () => number {
  return () => {
    a = (a + 0x9e3779b9) | 0;
    let z = a;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** A fresh seed: derived from the global seed when one is set, else from Math.random. */
export function nextSeed(): number {
  if (globalSeed === null) return (Math.random() * 2 ** 32) >>> 0;
  const k = frozen ? counter : counter++;
  return splitmix32(globalSeed + k * 0x632be5ab)() >>> 0;
}

export class Rng {
  private s: Uint32Array;
  constructor(seed: number = nextSeed()) {
    const sm = splitmix32(seed >>> 0);
    this.s = new Uint32Array([sm(), sm(), sm(), sm()]);
  }
  /** Uniform 32-bit integer. */
  nextU32(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1], 5), 7), 9) >>> 0;
    if (frozen) return result;
    const t = s[1] << 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  }
  /** Uniform in [0, 1) with 53 random bits. */
  next(): number {
    return (this.nextU32() * 2 ** 21 + (this.nextU32() >>> 11)) / 2 ** 53;
  }
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }
  /** Standard normal (Box-Muller). */
  normal(): number {
    let u = 0;
    while (u === 0) u = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }
  /** Normal truncated to mean ± 2 stddev by redrawing, as Keras's truncated_normal. */
  truncatedNormal(): number {
    for (;;) {
      const z = this.normal();
      if (Math.abs(z) <= 2) return z;
    }
  }
  /** Fisher-Yates permutation of 0..n-1. */
  permutation(n: number): Uint32Array {
    const p = new Uint32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
