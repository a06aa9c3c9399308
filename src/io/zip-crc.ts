// CRC-32 checks for the entries of a zip archive (a `.keras` file). fflate's unzipSync does
// not verify them, so a damaged `.keras` would load with wrong weights; Python's zipfile
// (and so Keras) refuses such a file ("Bad CRC-32"). The CRC is the zip one (PKWARE
// APPNOTE 4.4.7: polynomial 0xEDB88320), read from each central-directory record (4.3.12).

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

/** The CRC-32 the central directory records for each entry name; throws if the directory itself is damaged. */
function recordedCrcs(zip: Uint8Array, label: string): Map<string, number> {
  const damaged = (what: string) => new ModelFileError('truncated', `${label}: the zip directory is damaged (${what}); the file is damaged or cut short`);
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  let end = zip.length - 22; // the end-of-central-directory record, before an optional comment
  while (end >= 0 && view.getUint32(end, true) !== 0x06054b50) end--;
  if (end < 0) throw damaged('no end-of-directory record');
  const count = view.getUint16(end + 10, true);
  const crcs = new Map<string, number>();
  let at = view.getUint32(end + 16, true);
  for (let i = 0; i < count; i++) {
    if (at + 46 > end || view.getUint32(at, true) !== 0x02014b50) throw damaged(`entry ${i + 1} of ${count} is not where the directory says`);
    const nameLength = view.getUint16(at + 28, true);
    crcs.set(new TextDecoder().decode(zip.subarray(at + 46, at + 46 + nameLength)), view.getUint32(at + 16, true));
    at += 46 + nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
  }
  return crcs;
}

/** Throws a ModelFileError ('truncated': damaged) for a damaged directory or the first entry whose bytes fail its CRC. */
export function checkZipCrcs(zip: Uint8Array, entries: Record<string, Uint8Array>, label: string): void {
  for (const [name, crc] of recordedCrcs(zip, label)) {
    const bytes = entries[name];
    if (!bytes) throw new ModelFileError('truncated', `${label}: the zip directory lists ${name}, which cannot be read; the file is damaged or cut short`);
    const found = crc32(bytes);
    if (found !== crc) {
      const hex = (v: number) => v.toString(16).padStart(8, '0');
      throw new ModelFileError('truncated', `${label}: ${name} fails its CRC-32 check (recorded ${hex(crc)}, found ${hex(found)}); the file is damaged`);
    }
  }
}
