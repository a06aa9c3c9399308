// JSON as Keras writes and reads it. Keras serialises configs with Python's `json.dumps`
// defaults (separators ', ' and ': ', ensure_ascii: every character outside ' '..'~' as a
// lowercase \u escape of four hex digits); writing the same text keeps webgrad's files byte-comparable with
// Keras's. NOTE: JS has no int/float split, so 0.0 is written as 0 (json.loads reads both).

import { ModelFileError } from './errors.ts';
import type { KerasJson } from './model-file.ts';

/** `json.dumps(value)` with Python's default settings. */
export function pyJsonDumps(value: unknown, path = '$'): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) {
      throw new ModelFileError('unsupported-content', `config value ${path} is ${value}; JSON cannot hold it`);
    }
    return String(value);
  }
  if (typeof value === 'string') {
    return JSON.stringify(value).replace(
      /[\u007f-\uffff]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
    );
  }
  if (Array.isArray(value)) return `[${value.map((v, i) => pyJsonDumps(v, `${path}[${i}]`)).join(', ')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    return `{${entries.map(([k, v]) => `${pyJsonDumps(k)}: ${pyJsonDumps(v, `${path}.${k}`)}`).join(', ')}}`;
  }
  throw new ModelFileError('unsupported-content', `config value ${path} is a ${typeof value}; JSON cannot hold it`);
}

/** Parses a JSON object; `where` names the file and attribute or entry it came from. */
export function parseJsonObject(text: string, where: string): KerasJson {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new ModelFileError('bad-json', `${where} is not valid JSON (${e instanceof Error ? e.message : String(e)})`, {
      cause: e,
    });
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ModelFileError('bad-json', `${where} is JSON but not an object`);
  }
  return value as KerasJson;
}
