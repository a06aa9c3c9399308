// Gunzip for the dataset loaders (idx.ts): node:zlib in Node, DecompressionStream('gzip')
// in a browser. node:zlib is imported dynamically, so browser bundles never pull it in.

import { isNode } from './host.ts';
import { DatasetError } from './errors.ts';

/** True when `bytes` start with the gzip magic 1f 8b (RFC 1952, section 2.3.1). */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Decompresses gzip `bytes`; `name` (a file name or URL) goes into the error message. */
export async function gunzip(bytes: Uint8Array, name: string): Promise<Uint8Array> {
  try {
    if (isNode()) {
      // The module name is a variable so browser bundlers do not try to resolve node:zlib.
      const zlibName = 'node:zlib';
      const zlib = (await import(/* @vite-ignore */ zlibName)) as typeof import('node:zlib');
      return await new Promise<Uint8Array>((resolve, reject) =>
        // A plain Uint8Array view of the Buffer: NDArray copies rows with data.constructor.
        zlib.gunzip(bytes, (err, out) => (err ? reject(err) : resolve(new Uint8Array(out.buffer, out.byteOffset, out.length)))),
      );
    }
    const input = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream();
    const stream = input.pipeThrough(new DecompressionStream('gzip'));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new DatasetError('corrupt', `${name}: corrupt gzip data (${why}); delete the file and get it again`);
  }
}
