// The IDX file format of MNIST and Fashion-MNIST (http://yann.lecun.com/exdb/mnist/):
// magic 00 00 <type> <ndims>, ndims big-endian uint32 sizes, then the values row-major.
// Only type 0x08 (unsigned byte) occurs in these datasets. The header is checked first
// (against the file's kind when known, else an absolute bound), so a gzip file is inflated
// to exactly the size its header declares and no further. Read next: fashion-mnist.ts.

import { NDArray } from './ndarray.ts';
import { DatasetError } from './errors.ts';
import { gunzipExactly, isGzip } from './gunzip.ts';

const TYPE_NAMES: Record<number, string> = {
  0x08: 'unsigned byte',
  0x09: 'signed byte',
  0x0b: 'int16',
  0x0c: 'int32',
  0x0d: 'float32',
  0x0e: 'float64',
};

/** The most data bytes an IDX file of no known kind may declare (Fashion-MNIST's largest holds 47,040,000). */
export const MAX_IDX_BYTES = 256 * 1024 * 1024;

/** What a file must hold: `shape` in full, or its first n <= shape[0] rows (a subset: tests, small demos). */
export interface IdxKind {
  /** 'Fashion-MNIST training images', for errors. */
  what: string;
  shape: readonly number[];
}

/** How to read one file: its kind (when known) and what to do about a damaged one (by where it came from). */
export interface IdxOptions {
  kind?: IdxKind;
  /** Appended to a damaged file's error, e.g. '; delete the file and get it again'. */
  advice?: string;
}

const hex = (b: ArrayLike<number>): string => Array.from(b, (v) => v.toString(16).padStart(2, '0')).join(' ');

/** The header's shape and where the data starts; null while `bytes` (a prefix of the file) is too short to tell. */
function readHeader(bytes: Uint8Array, name: string, complete: boolean): { shape: number[]; dataStart: number } | null {
  const short = (need: number) => {
    if (!complete) return null;
    throw new DatasetError('truncated', need === 4 ? `${name}: truncated: ${bytes.length} bytes, an IDX header needs at least 4` : `${name}: truncated: the header of a ${bytes[3]}-d IDX file needs ${need} bytes, found ${bytes.length}`);
  };
  if (bytes.length >= 2 && (bytes[0] !== 0 || bytes[1] !== 0)) {
    throw new DatasetError('corrupt', `${name}: not an IDX file: starts with ${hex(bytes.subarray(0, 4))}, expected 00 00 08 <ndims>`);
  }
  if (bytes.length < 4) return short(4);
  const type = bytes[2];
  if (type !== 0x08) {
    const what = TYPE_NAMES[type] ?? 'an unknown type';
    throw new DatasetError('unsupported', `${name}: IDX type 0x${hex([type])} (${what}) is not supported, only 0x08 (unsigned byte)`);
  }
  const ndims = bytes[3];
  if (ndims === 0) throw new DatasetError('corrupt', `${name}: IDX header says 0 dimensions`);
  const dataStart = 4 + 4 * ndims;
  if (bytes.length < dataStart) return short(dataStart);
  const view = new DataView(bytes.buffer, bytes.byteOffset, dataStart);
  return { shape: Array.from({ length: ndims }, (_, i) => view.getUint32(4 + 4 * i, false)), dataStart };
}

/** Refuses a shape unlike the file's kind, or past MAX_IDX_BYTES; returns its data size. */
function checkShape(shape: number[], name: string, kind: IdxKind | undefined): number {
  const size = shape.reduce((a, b) => a * b, 1);
  if (kind) {
    const [max, ...rest] = kind.shape;
    const fits = shape.length === kind.shape.length && shape[0] <= max && rest.every((d, i) => shape[i + 1] === d);
    if (!fits) {
      throw new DatasetError('mismatch', `${name}: the IDX header says ${shape.join('x')}, but ${kind.what} are at most ${kind.shape.join('x')} (${rest.length ? `n images of ${rest.join('x')}, n <= ${max}` : `n <= ${max}`}); this is not that file`);
    }
  } else if (size > MAX_IDX_BYTES) {
    throw new DatasetError('too-large', `${name}: the IDX header says ${shape.join('x')} = ${size.toLocaleString('en-US')} bytes of data, more than webgrad reads from one IDX file (${MAX_IDX_BYTES.toLocaleString('en-US')})`);
  }
  return size;
}

/**
 * Parses an uncompressed IDX file of unsigned bytes into a uint8 NDArray (a view of
 * `bytes`, no copy): images [n, 28, 28], labels [n]. `name` goes into every error.
 */
export function parseIdx(bytes: Uint8Array, name: string, options: IdxOptions = {}): NDArray {
  if (isGzip(bytes)) throw new DatasetError('unsupported', `${name}: gzip-compressed; decode it with readIdx(), which gunzips first`);
  const { shape, dataStart } = readHeader(bytes, name, true)!;
  const expected = checkShape(shape, name, options.kind);
  const found = bytes.length - dataStart;
  if (found !== expected) {
    const problem = found < expected ? 'truncated' : `${found - expected} trailing bytes`;
    throw new DatasetError(found < expected ? 'truncated' : 'corrupt', `${name}: ${problem}: header says ${shape.join('x')} = ${expected} bytes of data, found ${found}${options.advice ?? ''}`);
  }
  // A plain Uint8Array (never a Node Buffer): NDArray.take copies rows with data.constructor.
  return new NDArray(new Uint8Array(bytes.buffer, bytes.byteOffset + dataStart, expected), shape);
}

/**
 * Decodes an IDX file, gzip-compressed (magic 1f 8b) or raw, into a uint8 NDArray. A gzip
 * file's header is read from its first inflated bytes and checked before the rest is
 * inflated, into exactly the size it declares.
 */
export async function readIdx(bytes: Uint8Array, name: string, options: IdxOptions = {}): Promise<NDArray> {
  if (!isGzip(bytes)) return parseIdx(bytes, name, options);
  const sizeFrom = (head: Uint8Array) => {
    const header = readHeader(head, name, false);
    return header && header.dataStart + checkShape(header.shape, name, options.kind);
  };
  return parseIdx(await gunzipExactly(bytes, name, sizeFrom, options.advice ?? ''), name, options);
}
