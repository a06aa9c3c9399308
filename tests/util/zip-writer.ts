// Test and bench helper: a zip archive written byte by byte, as Python's zipfile lays it out
// (local headers, data, central directory, end record), with every declared field settable,
// so a test can make an entry lie about its size or its CRC. Works in Node and the browser.

import { deflateSync } from 'fflate';
import { crc32 } from '../../src/io/zip-read.ts';

export interface ZipPart {
  name: string;
  /** The bytes as they sit in the archive (already deflated when method is 8). */
  data: Uint8Array;
  /** 0: stored, 8: deflated. */
  method: number;
  crc: number;
  /** The uncompressed size the entry declares. */
  size: number;
}

/** An honest part: `content` stored, or deflated when `deflate`. */
export function part(name: string, content: Uint8Array, deflate = false): ZipPart {
  return { name, data: deflate ? deflateSync(content) : content, method: deflate ? 8 : 0, crc: crc32(content), size: content.length };
}

export function zipArchive(parts: ZipPart[]): Uint8Array {
  const encoder = new TextEncoder();
  const names = parts.map((p) => encoder.encode(p.name));
  const localBytes = parts.reduce((n, p, i) => n + 30 + names[i].length + p.data.length, 0);
  const centralBytes = names.reduce((n, name) => n + 46 + name.length, 0);
  const out = new Uint8Array(localBytes + centralBytes + 22);
  const view = new DataView(out.buffer);
  const offsets: number[] = [];
  let at = 0;
  parts.forEach((p, i) => {
    offsets.push(at);
    view.setUint32(at, 0x04034b50, true);
    view.setUint16(at + 4, 20, true);
    view.setUint16(at + 8, p.method, true);
    view.setUint32(at + 14, p.crc, true);
    view.setUint32(at + 18, p.data.length, true);
    view.setUint32(at + 22, p.size, true);
    view.setUint16(at + 26, names[i].length, true);
    out.set(names[i], at + 30);
    out.set(p.data, at + 30 + names[i].length);
    at += 30 + names[i].length + p.data.length;
  });
  parts.forEach((p, i) => {
    view.setUint32(at, 0x02014b50, true);
    view.setUint16(at + 4, 20, true);
    view.setUint16(at + 6, 20, true);
    view.setUint16(at + 10, p.method, true);
    view.setUint32(at + 16, p.crc, true);
    view.setUint32(at + 20, p.data.length, true);
    view.setUint32(at + 24, p.size, true);
    view.setUint16(at + 28, names[i].length, true);
    view.setUint32(at + 42, offsets[i], true);
    out.set(names[i], at + 46);
    at += 46 + names[i].length;
  });
  view.setUint32(at, 0x06054b50, true);
  view.setUint16(at + 8, parts.length, true);
  view.setUint16(at + 10, parts.length, true);
  view.setUint32(at + 12, centralBytes, true);
  view.setUint32(at + 16, localBytes, true);
  return out;
}
