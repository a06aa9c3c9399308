// Name lookups with helpful errors, shared by every registry (activations, losses,
// initializers, optimizers, ...): Keras spellings (snake_case) and camelCase both resolve,
// and an unknown name lists the valid ones and suggests the closest.

const canonical = (name: string): string => name.replace(/[_\-\s]/g, '').toLowerCase();

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
