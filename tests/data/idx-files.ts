// Test helpers: small synthetic IDX files (raw and gzip) for tests/data. gzip comes from
// CompressionStream, which Node and Chromium both have, not from the code under test.

/** An IDX file: magic 00 00 <type> <ndims>, big-endian uint32 sizes, then `data`. */
export function idxFile(shape: number[], data: ArrayLike<number>, type = 0x08): Uint8Array {
  const out = new Uint8Array(4 + 4 * shape.length + data.length);
  out.set([0, 0, type, shape.length]);
  const view = new DataView(out.buffer);
  shape.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  out.set(Array.from(data), 4 + 4 * shape.length);
  return out;
}

export async function gzipBytes(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** Values 0, 1, 2, ... wrapped to bytes. */
export const ramp = (n: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => i % 256);
