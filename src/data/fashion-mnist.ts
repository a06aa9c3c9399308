// loadFashionMnist(): keras.datasets.fashion_mnist.load_data() for webgrad. Node reads the
// four IDX files from disk (locate.ts, through the Node entry) or downloads them; a browser
// fetches them from a base URL. Read next: idx.ts (the format), split.ts (ch. 11 splits).

import type { Fetcher } from './download.ts';
import { DatasetError } from './errors.ts';
import { DAMAGED_ADVICE, FASHION_MNIST_FILES, type FashionMnistFile, type FileBytes, fileNames, fileTooLarge, maxFileBytes } from './fashion-mnist-files.ts';
import { readBody } from '../io/read-body.ts';
import { isNode } from './host.ts';
import { nodeHost } from '../kernels/host.ts';
import { readIdx } from './idx.ts';
import type { NDArray } from './ndarray.ts';

/** (x_train, y_train), (x_test, y_test): x uint8 [n, 28, 28], y uint8 labels 0..9 [n]. */
export interface FashionMnist {
  train: [NDArray, NDArray];
  test: [NDArray, NDArray];
}

export interface FashionMnistOptions {
  /** Node: the folder with the four files; when given it is the only folder searched. */
  path?: string;
  /** Base URL to fetch the four files from (the browser's way; Node uses it when given). */
  url?: string;
  /** The four files' bytes by file name (Keras's names, gzipped or not), e.g. files a page's
   *  user picked: used instead of a folder or URL. */
  files?: Record<string, Uint8Array>;
  /** Scale x by 1/255 (x.div(255): still one byte per pixel). Default false, as Keras. */
  normalize?: boolean;
  /** Node: download from Keras's URL when no folder has the files (default true); false
   *  turns that off, a function replaces the fetch: (url, maxBytes) => bytes, at most maxBytes. */
  download?: boolean | Fetcher;
}

/** Where a browser fetches the files from unless `url` is given. */
export const DEFAULT_FASHION_MNIST_URL = '/data/fashion-mnist/';

/**
 * Loads Fashion-MNIST: 60,000 training and 10,000 test images of 10 clothing classes.
 * Node looks in `path`, else $FASHION_MNIST_DIR, ./data/fashion-mnist,
 * /usr/share/datasets/fashion-mnist (Debian's dataset-fashion-mnist) and
 * ~/.cache/webgrad/fashion-mnist, and downloads into the cache as Keras does; a browser
 * fetches `url` + each file name (gzip name first, then without .gz).
 */
export async function loadFashionMnist(options: FashionMnistOptions = {}): Promise<FashionMnist> {
  const files = options.files
    ? givenFiles(options.files)
    : options.url === undefined && isNode()
      ? await (await nodeLoader()).readLocalFiles(options)
      : await fetchFiles(options.url ?? DEFAULT_FASHION_MNIST_URL);
  // One at a time: each is checked against its kind and inflated to exactly its size, so a
  // hostile file never shares memory with three others being inflated.
  const [xTrain, yTrain, xTest, yTest] = await sequentially(files, (f, i) => readIdx(f.bytes, f.name, { kind: FASHION_MNIST_FILES[i].kind, advice: DAMAGED_ADVICE[f.origin] }));
  checkPair(xTrain, yTrain, files[0].name, files[1].name);
  checkPair(xTest, yTest, files[2].name, files[3].name);
  const scale = (x: NDArray): NDArray => (options.normalize ? x.div(255) : x);
  return { train: [scale(xTrain), yTrain], test: [scale(xTest), yTest] };
}

async function sequentially<T, R>(items: readonly T[], run: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (const [i, item] of items.entries()) out.push(await run(item, i));
  return out;
}

/** locate.ts, which only the Node entry hands over: a browser build never sees node:fs. */
const nodeLoader = () => nodeHost('loadFashionMnist() from disk').locate();

function checkPair(x: NDArray, y: NDArray, xName: string, yName: string): void {
  const [n, h, w] = x.shape;
  if (x.shape.length !== 3 || h !== 28 || w !== 28) {
    throw new DatasetError('mismatch', `${xName}: expected images [n, 28, 28], got [${x.shape.join(', ')}]`);
  }
  if (y.shape.length !== 1 || y.length !== n) {
    throw new DatasetError('mismatch', `${yName}: expected ${n} labels (one per image in ${xName}), got shape [${y.shape.join(', ')}]`);
  }
  const bad = y.data.findIndex((v) => v > 9);
  if (bad >= 0) throw new DatasetError('corrupt', `${yName}: label ${y.data[bad]} at index ${bad} is not a class 0..9`);
}

/** The four files from `given`, by name; a clear error names the ones missing. */
function givenFiles(given: Record<string, Uint8Array>): FileBytes[] {
  const found = FASHION_MNIST_FILES.map((file) => fileNames(file).find((n) => n in given));
  const missing = FASHION_MNIST_FILES.filter((_, i) => !found[i]).map((f) => f.name);
  if (missing.length) {
    throw new DatasetError('not-found', `Fashion-MNIST: options.files lacks ${missing.join(', ')} (given: ${Object.keys(given).join(', ') || 'none'})`);
  }
  return found.map((name) => ({ name: name!, bytes: given[name!], origin: 'given' }));
}

async function fetchFiles(base: string): Promise<FileBytes[]> {
  const dir = base.endsWith('/') ? base : `${base}/`;
  return Promise.all(FASHION_MNIST_FILES.map((file) => fetchFirst(dir, file)));
}

/** The first of `file`'s names under `dir` that the server has, read within its kind's size (a lying Content-Length included). */
async function fetchFirst(dir: string, file: FashionMnistFile): Promise<FileBytes> {
  const tried: string[] = [];
  for (const name of fileNames(file)) {
    const url = dir + name;
    const res = await fetch(url).catch((err: unknown) => {
      throw new DatasetError('not-found', `Fashion-MNIST: fetching ${url} failed: ${err instanceof Error ? err.message : String(err)}`);
    });
    // NOTE: a dev server may answer a missing file with its index.html (status 200).
    if (res.ok && !res.headers.get('content-type')?.startsWith('text/html')) {
      const bytes = await readBody(res, maxFileBytes(file), (seen, _, declared) => fileTooLarge(url, file, seen, declared));
      return { name: url, bytes, origin: 'url' };
    }
    tried.push(`${url} (HTTP ${res.status}${res.ok ? ', an HTML page' : ''})`);
  }
  throw new DatasetError(
    'not-found',
    `Fashion-MNIST: not found at ${tried.join(' or ')}. Serve the four files ` +
      `(${FASHION_MNIST_FILES.map((f) => f.name).join(', ')}) under ${dir}, or pass loadFashionMnist({ url }) with the folder that holds them.`,
  );
}
