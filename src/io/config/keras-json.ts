// Typed reads of Keras config JSON (model_config, config.json, training_config): each
// helper either returns the value with its type or throws a ModelFileError that names the
// file, the place in the config and what was found. Used by layer-config.ts,
// model-config.ts and compile-config.ts.

import { ModelFileError } from '../errors.ts';
import type { KerasJson } from '../model-file.ts';

export const isObject = (v: unknown): v is KerasJson => typeof v === 'object' && v !== null && !Array.isArray(v);

export function unsupported(where: string, what: string): ModelFileError {
  return new ModelFileError('unsupported-content', `${where}: ${what}`);
}

export function objectAt(v: unknown, where: string): KerasJson {
  if (!isObject(v)) throw unsupported(where, `expected a JSON object, found ${JSON.stringify(v)}`);
  return v;
}

export function stringAt(c: KerasJson, key: string, where: string): string {
  const v = c[key];
  if (typeof v !== 'string') throw unsupported(where, `${key} must be a string, found ${JSON.stringify(v)}`);
  return v;
}

export function numberAt(c: KerasJson, key: string, where: string): number {
  const v = c[key];
  if (typeof v !== 'number') throw unsupported(where, `${key} must be a number, found ${JSON.stringify(v)}`);
  return v;
}

/** A batch shape [null, d1, d2, ...] as the feature shape [d1, d2, ...]. */
export function featureShape(v: unknown, where: string): number[] {
  const ok = Array.isArray(v) && v.length >= 2 && v.slice(1).every((d) => Number.isInteger(d) && d > 0);
  if (!ok) throw unsupported(where, `expected a batch shape [null, d1, ...] with known sizes, found ${JSON.stringify(v)}`);
  return (v as number[]).slice(1);
}

/** Runs `make`, turning the RangeError/TypeError of a name lookup into a ModelFileError at `where`. */
export function inConfig<T>(where: string, make: () => T): T {
  try {
    return make();
  } catch (e) {
    if (e instanceof ModelFileError || !(e instanceof Error)) throw e;
    throw new ModelFileError('unsupported-content', `${where}: ${e.message}`, { cause: e });
  }
}
