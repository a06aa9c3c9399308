// Reading a zip archive (a `.keras` file) without trusting it. The central directory
// (PKWARE APPNOTE 4.3.12) gives each entry's method, sizes, CRC-32 and offset; an entry is
// extracted only when asked for, after the caller has bounded its declared size, and
// inflated with a bound on its output, so a header that lies about the size cannot run past
// it. Each extracted entry must match its CRC-32 (4.4.7), as Python's zipfile (and so Keras)
// requires ("Bad CRC-32"). Read next: bounds.ts (the bounds), keras-zip.ts (their use).

import { Inflate } from 'fflate';
import { ModelFileError } from './errors.ts';

const TABLE = Uint32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

export interface ZipEntry {
  name: string;
  /** 0: stored, 8: deflated (the only two Keras's zipfile writes). */
  method: number;
  flags: number;
  crc: number;
  compressedSize: number;
  /** The size the directory declares: what the entry inflates to, if the file tells the truth. */
  size: number;
  /** Where its local header starts. */
  offset: number;
}

const damaged = (label: string, what: string) => new ModelFileError('truncated', `${label}: the zip directory is damaged (${what}); the file is damaged or cut short`);

/** The entries the central directory lists, by name; throws for a damaged or ambiguous directory. */
export function zipDirectory(zip: Uint8Array, label: string): Map<string, ZipEntry> {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  let end = zip.length - 22; // the end-of-central-directory record, before an optional comment
  while (end >= 0 && view.getUint32(end, true) !== 0x06054b50) end--;
  if (end < 0) throw damaged(label, 'no end-of-directory record');
  const count = view.getUint16(end + 10, true);
  const entries = new Map<string, ZipEntry>();
  let at = view.getUint32(end + 16, true);
  for (let i = 0; i < count; i++) {
    if (at + 46 > end || view.getUint32(at, true) !== 0x02014b50) throw damaged(label, `entry ${i + 1} of ${count} is not where the directory says`);
    const nameLength = view.getUint16(at + 28, true);
    const name = new TextDecoder().decode(zip.subarray(at + 46, at + 46 + nameLength));
    // Python's zipfile would take the last of two same-named entries, fflate too: which one is meant is unknowable.
    if (entries.has(name)) throw damaged(label, `it lists ${name} twice`);
    entries.set(name, {
      name,
      flags: view.getUint16(at + 8, true),
      method: view.getUint16(at + 10, true),
      crc: view.getUint32(at + 16, true),
      // 0xffffffff (a zip64 size, 4 GiB or more) is past every bound, which is all a reader needs to know of it.
      compressedSize: view.getUint32(at + 20, true),
      size: view.getUint32(at + 24, true),
      offset: view.getUint32(at + 42, true),
    });
    at += 46 + nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
  }
  return entries;
}

/** Input fed to the inflater per step: its output per step is at most ~1,032 times this (deflate's ratio). */
const STEP = 16 * 1024;

/** Inflates `data` into exactly `size` bytes; refuses at once when it would produce more. */
function inflateExactly(data: Uint8Array, size: number, label: string, name: string): Uint8Array {
  const out = new Uint8Array(size);
  let filled = 0;
  const tooLong = new ModelFileError('too-large', `${label}: ${name} inflates past the ${size.toLocaleString('en-US')} bytes its directory entry declares; the file is damaged (stopped there)`);
  const inflater = new Inflate((chunk) => {
    if (filled + chunk.length > size) throw tooLong;
    out.set(chunk, filled);
    filled += chunk.length;
  });
  try {
    for (let i = 0; i === 0 || i < data.length; i += STEP) inflater.push(data.subarray(i, i + STEP), i + STEP >= data.length);
  } catch (e) {
    if (e === tooLong) throw e;
    throw new ModelFileError('truncated', `${label}: ${name} is not valid deflate data; the file is damaged or cut short`, { cause: e });
  }
  if (filled !== size) {
    throw new ModelFileError('truncated', `${label}: ${name} inflates to ${filled.toLocaleString('en-US')} bytes, its directory entry declares ${size.toLocaleString('en-US')}; the file is damaged or cut short`);
  }
  return out;
}

/** The bytes of `entry`, whose declared size the caller has bounded; checked against its CRC-32. */
export function extractEntry(zip: Uint8Array, entry: ZipEntry, label: string): Uint8Array {
  const { name, offset } = entry;
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  if (offset + 30 > zip.length || view.getUint32(offset, true) !== 0x04034b50) throw damaged(label, `${name} is not where the directory says`);
  const start = offset + 30 + view.getUint16(offset + 26, true) + view.getUint16(offset + 28, true);
  if (start + entry.compressedSize > zip.length) throw damaged(label, `${name} runs past the end of the file`);
  if (entry.flags & 1) throw new ModelFileError('unsupported-content', `${label}: ${name} is encrypted; Keras files are not`);
  const data = zip.subarray(start, start + entry.compressedSize);
  let bytes: Uint8Array;
  if (entry.method === 0) {
    if (entry.compressedSize !== entry.size) throw damaged(label, `${name} is stored uncompressed but declares two sizes`);
    bytes = data;
  } else if (entry.method === 8) {
    bytes = inflateExactly(data, entry.size, label, name);
  } else {
    throw new ModelFileError('unsupported-content', `${label}: ${name} uses zip compression method ${entry.method}; only stored (0) and deflated (8) entries are read, as Keras writes them`);
  }
  const found = crc32(bytes);
  if (found !== entry.crc) {
    const hex = (v: number) => v.toString(16).padStart(8, '0');
    throw new ModelFileError('truncated', `${label}: ${name} fails its CRC-32 check (recorded ${hex(entry.crc)}, found ${hex(found)}); the file is damaged`);
  }
  return bytes;
}
