// Where the examples page gets Fashion-MNIST (run in the worker): fetched from a base URL
// (?data=, by default data/fashion-mnist/ next to the page, which `npm run dev` serves from
// the local files), or the four .gz files picked from disk or dropped on the page. The bytes
// are read here with progress, then handed to loadFashionMnist({ files }). Files that are
// not one of the four are listed with why, and a missing one is named before anything is
// parsed. Read next: worker.ts.

import { type FashionMnist, loadFashionMnist } from 'webgrad.js';

/** Keras's names for the four files (what loadFashionMnist expects). */
export const NAMES = ['train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz', 't10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz'];

/** Called with the bytes read so far and the total when known (0 when not). */
export type Progress = (loaded: number, total: number) => void;

/** A data problem worded for the page (no API names); `file` is the file it is about. */
export class PageDataError extends Error {
  override name = 'PageDataError';
}

/** Reads a stream to the end, reporting each chunk. */
async function readAll(stream: ReadableStream<Uint8Array>, onChunk: (n: number) => void): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  const reader = stream.getReader();
  for (let r = await reader.read(); !r.done; r = await reader.read()) {
    chunks.push(r.value);
    onChunk(r.value.length);
  }
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) at += (out.set(c, at), c.length);
  return out;
}

/** The four files' streams with their sizes, read together; one progress for all four. */
async function loadStreams(sources: { name: string; size: number; stream: ReadableStream<Uint8Array> }[], progress: Progress): Promise<FashionMnist> {
  const total = sources.every((s) => s.size > 0) ? sources.reduce((n, s) => n + s.size, 0) : 0;
  let loaded = 0;
  const bytes = await Promise.all(sources.map((s) => readAll(s.stream, (n) => progress((loaded += n), total))));
  return loadFashionMnist({ files: Object.fromEntries(sources.map((s, i) => [s.name, bytes[i]])) });
}

/** Fetches the four files from `base` (a URL, relative to the page or absolute). */
export async function fetchFashionMnist(base: string, progress: Progress): Promise<FashionMnist> {
  const dir = new URL(base.endsWith('/') ? base : `${base}/`, location.href);
  const sources = await Promise.all(
    NAMES.map(async (name) => {
      const url = new URL(name, dir).href;
      const res = await fetch(url).catch(() => {
        throw new PageDataError(`${url} could not be reached (the server is down, or it does not allow this page to read it).`);
      });
      // NOTE: a static host may answer a missing file with an HTML page (status 200).
      if (!res.ok || !res.body || res.headers.get('content-type')?.startsWith('text/html')) {
        throw new PageDataError(`${url} is not there (HTTP ${res.status}${res.ok ? ', a web page instead of the file' : ''}).`);
      }
      return { name, size: Number(res.headers.get('content-length') ?? 0), stream: res.body };
    }),
  );
  return loadStreams(sources, progress);
}

/** Which picked files are ignored, and why (the page lists them). */
export function sortPicked(files: File[]): { used: File[]; ignored: string[] } {
  const used: File[] = [];
  const ignored: string[] = [];
  for (const f of files) {
    if (!NAMES.includes(f.name)) ignored.push(`${f.name}: not one of the four Fashion-MNIST files`);
    else if (used.some((u) => u.name === f.name)) ignored.push(`${f.name}: given twice, the first one is used`);
    else used.push(f);
  }
  return { used, ignored };
}

/** The four files from a file picker or a drop (other files are ignored: see sortPicked). */
export function readPickedFiles(used: File[], progress: Progress): Promise<FashionMnist> {
  const missing = NAMES.filter((n) => !used.some((f) => f.name === n));
  if (missing.length) throw new PageDataError(`Missing ${missing.join(', ')}: choose all four Fashion-MNIST files together.`);
  return loadStreams(used.map((f) => ({ name: f.name, size: f.size, stream: f.stream() })), progress);
}
