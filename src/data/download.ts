// Node only: downloads Fashion-MNIST files from Keras's URL into a folder and keeps a file
// only if its SHA-256 matches Keras's (as keras.utils.get_file does with file_hash).
// Called by locate.ts when no folder holds the data.

import { createHash } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type FashionMnistFile, fileTooLarge, KERAS_FASHION_MNIST_URL, maxFileBytes } from './fashion-mnist-files.ts';
import { readBody } from '../io/read-body.ts';

/** Gets the bytes at a URL, at most `maxBytes` (replaceable in loadFashionMnist's `download` option). */
export type Fetcher = (url: string, maxBytes: number) => Promise<Uint8Array>;

/** fetch() with a 30 s limit on the server's first answer, so a blocked network fails fast; the body is read within `maxBytes`. */
export const fetchBytes: Fetcher = async (url, maxBytes) => {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(new Error('no answer in 30 s')), 30_000);
  try {
    const res = await fetch(url, { signal: abort.signal });
    clearTimeout(timer);
    if (!res.ok) throw new Error(`HTTP ${res.status} ${res.statusText}`);
    return await readBody(res, maxBytes, (seen, max, declared) => new Error(`${declared ? 'declares' : 'sent more than'} ${seen} bytes, more than the ${max} this file can take`));
  } catch (err) {
    // Node's fetch says only "fetch failed"; the cause names the network error.
    const cause = err instanceof Error && err.cause instanceof Error ? ` (${err.cause.message})` : '';
    throw new Error(`${url}: ${err instanceof Error ? err.message : String(err)}${cause}`);
  } finally {
    clearTimeout(timer);
  }
};

/** Downloads `file` into `dir` after checking its SHA-256; returns the path written. */
export async function downloadFile(file: FashionMnistFile, dir: string, fetcher: Fetcher): Promise<string> {
  const url = KERAS_FASHION_MNIST_URL + file.name;
  console.info(`webgrad: downloading ${url}`);
  const bytes = await fetcher(url, maxFileBytes(file));
  if (bytes.length > maxFileBytes(file)) throw fileTooLarge(url, file, bytes.length, false);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  if (sha256 !== file.sha256) {
    throw new Error(`${url}: SHA-256 is ${sha256}, expected ${file.sha256} (Keras's hash): the download is corrupt`);
  }
  await mkdir(dir, { recursive: true });
  const path = join(dir, file.name);
  // Written under a temporary name first, so an interrupted run leaves no partial file.
  const part = `${path}.${process.pid}.part`;
  try {
    await writeFile(part, bytes);
    await rename(part, path);
  } finally {
    await rm(part, { force: true });
  }
  return path;
}
