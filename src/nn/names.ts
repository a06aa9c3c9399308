// Name lookups with helpful errors: Keras spellings (snake_case) and camelCase both
// resolve, and an unknown name lists the valid ones and suggests the closest.

export const canonical = (name: string): string => name.replace(/[_\-\s]/g, '').toLowerCase();

function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++)
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
  return d[a.length][b.length];
}

/** Finds `name` among `table`'s keys, ignoring case and underscores; else a named error. */
export function lookup<T>(kind: string, name: string, table: Record<string, T>): T {
  const key = canonical(name);
  for (const [k, v] of Object.entries(table)) if (canonical(k) === key) return v;
  const valid = Object.keys(table);
  const closest = valid.reduce((best, k) => (editDistance(canonical(k), key) < editDistance(canonical(best), key) ? k : best), valid[0]);
  throw new RangeError(`Unknown ${kind} '${name}'. Did you mean '${closest}'? Valid: ${valid.join(', ')}`);
}

const counters = new Map<string, number>();
/** Names given explicitly (e.g. by a loaded model file): defaults never reuse them. */
const taken = new Set<string>();

/** Records a name chosen by the caller, so later default names avoid it. */
export function reserveName(name: string): string {
  taken.add(name);
  return name;
}

/** Keras-style unique default names: dense, dense_1, dense_2, ... skipping reserved ones. */
export function uniqueName(prefix: string): string {
  for (;;) {
    const n = counters.get(prefix) ?? 0;
    counters.set(prefix, n + 1);
    const name = n === 0 ? prefix : `${prefix}_${n}`;
    if (!taken.has(name)) return reserveName(name);
  }
}

/** 'Dense' -> 'dense', 'AlphaDropout' -> 'alpha_dropout' (Keras's default layer names). */
export const snakeCase = (s: string): string => s.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
