// The IDX file format of MNIST and Fashion-MNIST (http://yann.lecun.com/exdb/mnist/):
// magic 00 00 <type> <ndims>, ndims big-endian uint32 sizes, then the values row-major.
// Only type 0x08 (unsigned byte) occurs in these datasets. Read next: fashion-mnist.ts.

import { NDArray } from './ndarray.ts';
import { DatasetError } from './errors.ts';
import { gunzip, isGzip } from './gunzip.ts';

const TYPE_NAMES: Record<number, string> = {
  0x08: 'unsigned byte',
  0x09: 'signed byte',
  0x0b: 'int16',
  0x0c: 'int32',
  0x0d: 'float32',
  0x0e: 'float64',
};

const hex = (b: ArrayLike<number>): string => Array.from(b, (v) => v.toString(16).padStart(2, '0')).join(' ');

/**
 * Parses an uncompressed IDX file of unsigned bytes into a uint8 NDArray (a view of
 * `bytes`, no copy): images [n, 28, 28], labels [n]. `name` goes into every error.
 */
export function parseIdx(bytes: Uint8Array, name: string): NDArray {
  if (isGzip(bytes)) throw new DatasetError('unsupported', `${name}: gzip-compressed; decode it with readIdx(), which gunzips first`);
  if (bytes.length < 4) throw new DatasetError('truncated', `${name}: truncated: ${bytes.length} bytes, an IDX header needs at least 4`);
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    throw new DatasetError('corrupt', `${name}: not an IDX file: starts with ${hex(bytes.subarray(0, 4))}, expected 00 00 08 <ndims>`);
  }
  const type = bytes[2];
  if (type !== 0x08) {
    const what = TYPE_NAMES[type] ?? 'an unknown type';
    throw new DatasetError('unsupported', `${name}: IDX type 0x${hex([type])} (${what}) is not supported, only 0x08 (unsigned byte)`);
  }
  const ndims = bytes[3];
  if (ndims === 0) throw new DatasetError('corrupt', `${name}: IDX header says 0 dimensions`);
  const dataStart = 4 + 4 * ndims;
  if (bytes.length < dataStart) {
    throw new DatasetError('truncated', `${name}: truncated: the header of a ${ndims}-d IDX file needs ${dataStart} bytes, found ${bytes.length}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, dataStart);
  const shape = Array.from({ length: ndims }, (_, i) => view.getUint32(4 + 4 * i, false));
  const expected = shape.reduce((a, b) => a * b, 1);
  const found = bytes.length - dataStart;
  if (found !== expected) {
    const problem = found < expected ? 'truncated' : `${found - expected} trailing bytes`;
    throw new DatasetError(found < expected ? 'truncated' : 'corrupt', `${name}: ${problem}: header says ${shape.join('x')} = ${expected} bytes of data, found ${found}`);
  }
  // A plain Uint8Array (never a Node Buffer): NDArray.take copies rows with data.constructor.
  return new NDArray(new Uint8Array(bytes.buffer, bytes.byteOffset + dataStart, expected), shape);
}

/** Decodes an IDX file, gzip-compressed (magic 1f 8b) or raw, into a uint8 NDArray. */
export async function readIdx(bytes: Uint8Array, name: string): Promise<NDArray> {
  return parseIdx(isGzip(bytes) ? await gunzip(bytes, name) : bytes, name);
}
