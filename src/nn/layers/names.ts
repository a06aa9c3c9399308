// Keras-style layer names: unique defaults (dense, dense_1, ...) that avoid names given
// explicitly, and the snake_case of a class name.

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

/** 'Dense' -> 'dense', 'PReLU' -> 'p_re_lu' (Keras's default layer names: naming.to_snake_case). */
export const snakeCase = (s: string): string =>
  s.replace(/(.)([A-Z][a-z]+)/g, '$1_$2').replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
