// Memory ownership: every tensor is registered with the innermost `tidy` scope and
// disposed when that scope ends, unless it is returned from the scope or `keep()`-ed.
// Nothing relies on garbage collection: GPU memory is freed at a known point.
// NOTE: `tidy` is synchronous on purpose; given an async function it throws, because
// tensors created after an `await` would escape the scope (tfjs only logs this).

/**
 * What a scope holds: a Tensor, as far as scopes need one (it has a shape, and frees its buffer
 * on dispose). Declared here rather than imported: tensor.ts's constructor calls track().
 */
export type Scoped = { readonly shape: readonly number[]; dispose(): void };

const scopes: Set<Scoped>[] = [];

/** Called by the Tensor constructor. */
export function track(t: Scoped): void {
  scopes[scopes.length - 1]?.add(t);
}

export function untrack(t: Scoped): void {
  for (const s of scopes) s.delete(t);
}

/** Removes a tensor from every scope: it lives until `dispose()` is called on it. */
export function keep<T extends Scoped>(t: T): T {
  untrack(t);
  return t;
}

type Kept = Scoped | Kept[] | { [k: string]: Kept } | void | number | string | boolean | null | undefined;

function collect(v: unknown, out: Set<Scoped>): void {
  if (v && typeof v === 'object') {
    if ('shape' in v && 'dispose' in v) out.add(v as Scoped);
    else for (const x of Object.values(v)) collect(x, out);
  }
}

/**
 * Runs `fn`, then disposes every tensor it created that is not part of its result.
 * Tensors in the result move to the enclosing scope.
 */
export function tidy<T extends Kept>(fn: () => T): T {
  const scope = new Set<Scoped>();
  scopes.push(scope);
  const disposeAll = () => {
    for (const t of scope) t.dispose();
  };
  let result: T;
  try {
    result = fn();
  } catch (e) {
    scopes.pop();
    disposeAll();
    throw e;
  }
  scopes.pop();
  if (result && typeof (result as { then?: unknown }).then === 'function') {
    disposeAll();
    throw new TypeError('tidy(fn): fn returned a Promise; tidy is synchronous (await outside tidy)');
  }
  const keepSet = new Set<Scoped>();
  collect(result, keepSet);
  for (const t of scope) {
    if (keepSet.has(t)) track(t);
    else t.dispose();
  }
  return result;
}
