// Which JavaScript host webgrad's data loaders run in: Node (files, node:zlib) or a
// browser (fetch, DecompressionStream). Used by gunzip.ts and fashion-mnist.ts.

/** True in Node (and Node-compatible runtimes), false in a browser page or worker. */
export function isNode(): boolean {
  const proc = (globalThis as { process?: { versions?: { node?: unknown } } }).process;
  return typeof proc?.versions?.node === 'string';
}
