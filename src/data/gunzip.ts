// Gunzip for the dataset loaders (idx.ts): the web's DecompressionStream('gzip'), which
// browsers and Node (>= 18) both have, so no Node module is named here.

import { DatasetError } from './errors.ts';

/** True when `bytes` start with the gzip magic 1f 8b (RFC 1952, section 2.3.1). */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Decompresses gzip `bytes`; `name` (a file name or URL) goes into the error message. */
export async function gunzip(bytes: Uint8Array, name: string): Promise<Uint8Array> {
  try {
    const input = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream();
    const stream = input.pipeThrough(new DecompressionStream('gzip'));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new DatasetError('corrupt', `${name}: corrupt gzip data (${why}); delete the file and get it again`);
  }
}
