// Typed access to the HDF5 pieces Keras uses, in the types h5py gives them: scalar strings
// (variable-length, ASCII for Python bytes, UTF-8 for str), string lists (fixed-length
// ASCII arrays, or an empty float64 array when the list is empty, as numpy makes it), and
// weight datasets (float32; int64 for counters). Read next: h5-legacy.ts, weights-h5.ts.

import type { Dataset, Group } from 'h5wasm';
import { ModelFileError } from './errors.ts';
import type { WeightRecord } from './model-file.ts';

type H5Object = Group | Dataset;

export function hasAttr(obj: H5Object, name: string): boolean {
  return Object.keys(obj.attrs).includes(name);
}

/** A scalar string attribute, or null when absent. */
export function readStringAttr(obj: H5Object, name: string, where: string): string | null {
  if (!hasAttr(obj, name)) return null;
  const value = obj.get_attribute(name, false);
  const text = Array.isArray(value) && value.length === 1 ? value[0] : value;
  if (typeof text !== 'string') {
    throw new ModelFileError('unsupported-content', `${where}: attribute ${obj.path}@${name} is not a string`);
  }
  return text;
}

/** A string-list attribute (a fixed-length string array; an empty numeric array is []). */
export function readStringListAttr(obj: H5Object, name: string, where: string): string[] {
  const value = obj.get_attribute(name, false);
  if (typeof value === 'string') return [value];
  if (ArrayBuffer.isView(value) && value.byteLength === 0) return [];
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
  throw new ModelFileError('unsupported-content', `${where}: attribute ${obj.path}@${name} is not a list of strings`);
}

/**
 * Writes a scalar variable-length string. NOTE: h5wasm makes UTF-8 strings space-padded
 * (h5py: null-terminated); the pad type of a variable-length string does not change its value.
 */
export function writeStringAttr(obj: H5Object, name: string, value: string, charset: 'ascii' | 'utf8'): void {
  obj.create_attribute(name, value, null, charset === 'ascii' ? 'A' : 'S');
}

/**
 * Writes a list of strings as h5py writes `np.asarray([b'...', ...])`: fixed-length ASCII
 * strings as wide as the longest (NOTE: h5wasm pads them as null-terminated, h5py as
 * null-padded; both read back the same), or an empty float64 array for an empty list.
 */
export function writeStringListAttr(obj: H5Object, name: string, values: string[], width = stringWidth(values)): void {
  if (values.length === 0) {
    obj.create_attribute(name, new Float64Array(0), [0], '<d');
    return;
  }
  obj.create_attribute(name, values, [values.length], `A${width}`);
}

/** The byte width numpy gives an array of these strings (at least 1). */
export function stringWidth(values: string[]): number {
  const encoder = new TextEncoder();
  return values.reduce((w, v) => Math.max(w, encoder.encode(v).length), 1);
}

function child(parent: Group, path: string, type: 'Group' | 'Dataset'): Group | Dataset | null {
  const entity = parent.get(path);
  return entity !== null && 'type' in entity && (entity.type as string) === type ? (entity as Group | Dataset) : null;
}

/** The group at `path` below `parent`, or null when there is none. */
export function getGroup(parent: Group, path: string): Group | null {
  return child(parent, path, 'Group') as Group | null;
}

/** The dataset at `path` below `parent`, or null when there is none. */
export function getDataset(parent: Group, path: string): Dataset | null {
  return child(parent, path, 'Dataset') as Dataset | null;
}

/** The group at `path` below `parent`, created with its missing parents (h5py does this for datasets). */
export function ensureGroup(parent: Group, path: string): Group {
  let group = parent;
  for (const part of path.split('/').filter(Boolean)) {
    group = getGroup(group, part) ?? group.create_group(part);
  }
  return group;
}

const dtypes = { '<f': 'float32', '<q': 'int64' } as const;

/**
 * Reads a weight dataset as a WeightRecord named `name`. `check` sees its declared shape and
 * value size first (a DatasetGuard's), and may refuse it before any value is read.
 */
export function readWeight(dataset: Dataset, name: string, where: string, check: (shape: number[], size: number) => void): WeightRecord {
  const dtype = dtypes[dataset.dtype as keyof typeof dtypes];
  if (dtype === undefined) {
    throw new ModelFileError(
      'unsupported-content',
      `${where}: dataset ${dataset.path} has dtype ${JSON.stringify(dataset.dtype)}; only float32 weights and int64 counters are supported`,
    );
  }
  const shape = dataset.shape ?? [];
  check(shape, dtype === 'float32' ? 4 : 8);
  const raw = dataset.value;
  const values = typeof raw === 'number' || typeof raw === 'bigint' ? [raw] : raw;
  if (!(values instanceof Float32Array || values instanceof BigInt64Array || Array.isArray(values))) {
    throw new ModelFileError('unsupported-content', `${where}: dataset ${dataset.path} did not read as numbers`);
  }
  const data =
    values instanceof Float32Array ? values.slice() : Float32Array.from(values as ArrayLike<number | bigint>, Number);
  checkFilled(data.length, shape, `${where}: dataset ${dataset.path}`);
  return dtype === 'float32' ? { name, shape: [...shape], data } : { name, shape: [...shape], data, dtype };
}

/** Writes `record` as the dataset `path` below `parent` (missing groups on the way are created). */
export function writeWeight(parent: Group, path: string, record: WeightRecord, where: string): void {
  checkFilled(record.data.length, record.shape, `${where}: weight ${record.name}`);
  const slash = path.lastIndexOf('/');
  const group = slash < 0 ? parent : ensureGroup(parent, path.slice(0, slash));
  const name = path.slice(slash + 1);
  if (record.dtype === 'int64') {
    const data = BigInt64Array.from(record.data, (v) => BigInt(Math.round(v)));
    group.create_dataset({ name, data, shape: record.shape, dtype: '<q' });
  } else {
    group.create_dataset({ name, data: record.data, shape: record.shape, dtype: '<f' });
  }
}

function checkFilled(length: number, shape: number[], what: string): void {
  const size = shape.reduce((a, b) => a * b, 1);
  if (size !== length) {
    throw new ModelFileError(
      'shape-mismatch',
      `${what}: ${length} values do not fill shape [${shape.join(', ')}] (${size} values)`,
    );
  }
}
