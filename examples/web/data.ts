// Where the examples page gets Fashion-MNIST: fetched from a base URL (?data=, by default
// data/fashion-mnist/ next to the page, which `npm run dev` serves from the local files), or
// the four .gz files picked from disk or dropped on the page. Either way the bytes are read
// here with progress, then handed to loadFashionMnist({ files }). Read next: main.ts.

import { type FashionMnist, loadFashionMnist } from 'webgrad.js';

/** Keras's names for the four files (what loadFashionMnist expects). */
const NAMES = ['train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz', 't10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz'];

/** Called with the bytes read so far and the total when known (0 when not). */
export type Progress = (loaded: number, total: number) => void;

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
      const res = await fetch(url);
      // NOTE: a static host may answer a missing file with an HTML page (status 200).
      if (!res.ok || !res.body || res.headers.get('content-type')?.startsWith('text/html')) {
        throw new Error(`${url}: HTTP ${res.status}${res.ok ? ', not a data file' : ''}. Put the four Fashion-MNIST files (${NAMES.join(', ')}) there, give ?data=<their base URL>, or pick them below`);
      }
      return { name, size: Number(res.headers.get('content-length') ?? 0), stream: res.body };
    }),
  );
  return loadStreams(sources, progress);
}

/** The four files from a file picker or a drop (other files are ignored). */
export function readPickedFiles(files: FileList | File[], progress: Progress): Promise<FashionMnist> {
  const picked = [...files].filter((f) => NAMES.includes(f.name));
  return loadStreams(picked.map((f) => ({ name: f.name, size: f.size, stream: f.stream() })), progress);
}
