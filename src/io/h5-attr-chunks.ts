// tf.keras's string-list attributes (`layer_names`, `weight_names`) with its workaround for
// HDF5's 64 KiB object-header limit: a list too big for one attribute is split into
// `name0`, `name1`, ... (tf.keras hdf5_format.save_attributes_to_hdf5_group /
// load_attributes_from_hdf5_group, HDF5_OBJECT_HEADER_LIMIT = 64512). Used by h5-legacy.ts.

import type { Group } from 'h5wasm';
import { ModelFileError } from './errors.ts';
import { hasAttr, readStringListAttr, stringWidth, writeStringListAttr } from './h5-values.ts';

const HEADER_LIMIT = 64512;

/** The list stored as `name` or as `name0`, `name1`, ...; null when neither is there. */
export function readKerasList(group: Group, name: string, where: string): string[] | null {
  if (hasAttr(group, name)) return readStringListAttr(group, name, where);
  if (!hasAttr(group, `${name}0`)) return null;
  const values: string[] = [];
  for (let i = 0; hasAttr(group, `${name}${i}`); i++) values.push(...readStringListAttr(group, `${name}${i}`, where));
  return values;
}

/** Writes the list whole, or split into as few chunks as keep each under the limit. */
export function writeKerasList(group: Group, name: string, values: string[]): void {
  const width = stringWidth(values);
  if (width > HEADER_LIMIT) {
    throw new ModelFileError(
      'unsupported-content',
      `${group.path}@${name}: an entry of ${width} bytes is longer than HDF5's object-header limit (${HEADER_LIMIT} bytes)`,
    );
  }
  // numpy.array_split(data, n): the first len % n chunks hold one item more.
  let chunks = 1;
  while (Math.ceil(values.length / chunks) * width > HEADER_LIMIT) chunks++;
  if (chunks === 1) {
    writeStringListAttr(group, name, values, width);
    return;
  }
  let start = 0;
  for (let i = 0; i < chunks; i++) {
    const size = Math.floor(values.length / chunks) + (i < values.length % chunks ? 1 : 0);
    writeStringListAttr(group, `${name}${i}`, values.slice(start, start + size), width);
    start += size;
  }
}
