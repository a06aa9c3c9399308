// Node only: finds the four Fashion-MNIST files on disk, or downloads them into the cache
// (download.ts), and reads their bytes. fashion-mnist.ts imports this module dynamically,
// so browser bundles never see node:fs. Search order: see searchDirs().

import { access } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { readFileWithin } from '../io/node-files.ts';
import { type Fetcher, downloadFile, fetchBytes } from './download.ts';
import { DatasetError } from './errors.ts';
import { FASHION_MNIST_FILES, type FileBytes, KERAS_FASHION_MNIST_URL, fileNames, fileTooLarge, maxFileBytes } from './fashion-mnist-files.ts';

export interface SearchDir {
  dir: string;
  /** Why this folder is searched, for the error message. */
  why: string;
}

export interface LocateOptions {
  path?: string;
  download?: boolean | Fetcher;
}

type Env = Record<string, string | undefined>;

/** ~/.cache/webgrad/fashion-mnist, or under $XDG_CACHE_HOME when set. */
export function cacheDir(env: Env = process.env, home = homedir()): string {
  return join(env.XDG_CACHE_HOME || join(home, '.cache'), 'webgrad', 'fashion-mnist');
}

/**
 * The folders searched, in order. An explicit `path` is the only one (and downloads go
 * there); otherwise $FASHION_MNIST_DIR, ./data/fashion-mnist, Debian's
 * dataset-fashion-mnist folder, then the cache (where downloads go).
 */
export function searchDirs(path?: string, env: Env = process.env, cwd = process.cwd(), home = homedir()): SearchDir[] {
  if (path !== undefined) return [{ dir: resolve(cwd, path), why: 'options.path' }];
  const dirs: SearchDir[] = [];
  if (env.FASHION_MNIST_DIR) dirs.push({ dir: resolve(cwd, env.FASHION_MNIST_DIR), why: '$FASHION_MNIST_DIR' });
  dirs.push(
    { dir: resolve(cwd, 'data/fashion-mnist'), why: './data/fashion-mnist' },
    { dir: '/usr/share/datasets/fashion-mnist', why: 'Debian package dataset-fashion-mnist' },
    { dir: cacheDir(env, home), why: 'cache' },
  );
  return dirs;
}

const exists = (path: string): Promise<boolean> => access(path).then(() => true, () => false);

/** For each of the four files, its path in `dir` (gzip name first) or null. */
async function findIn(dir: string): Promise<(string | null)[]> {
  return Promise.all(
    FASHION_MNIST_FILES.map(async (file) => {
      for (const name of fileNames(file)) if (await exists(join(dir, name))) return join(dir, name);
      return null;
    }),
  );
}

/** The four files' bytes (train images, train labels, test images, test labels). */
export async function readLocalFiles(options: LocateOptions): Promise<FileBytes[]> {
  const dirs = searchDirs(options.path);
  for (const { dir } of dirs) {
    const paths = await findIn(dir);
    if (paths.every((p) => p !== null)) return readAll(paths as string[]);
  }
  const target = dirs[dirs.length - 1].dir;
  let failure = 'downloading is off (download: false)';
  if (options.download !== false) {
    const fetcher = typeof options.download === 'function' ? options.download : fetchBytes;
    const paths = await downloadMissing(target, fetcher).catch((err: unknown) => {
      failure = `downloading from ${KERAS_FASHION_MNIST_URL} into ${target} failed: ${err instanceof Error ? err.message : String(err)}`;
      return null;
    });
    if (paths) return readAll(paths);
  }
  const names = FASHION_MNIST_FILES.map((f) => f.name).join(', ');
  throw new DatasetError(
    'not-found',
    `Fashion-MNIST not found. Looked for ${names} (or the names without .gz) in:\n` +
      dirs.map((d) => `  ${d.dir} (${d.why})\n`).join('') +
      `and ${failure}.\n` +
      'To get the files: `sudo apt-get install dataset-fashion-mnist` (Debian/Ubuntu), or put the four files in ' +
      './data/fashion-mnist, or set FASHION_MNIST_DIR to the folder that holds them.',
  );
}

/** Downloads the files `dir` lacks; returns the paths of all four. */
async function downloadMissing(dir: string, fetcher: Fetcher): Promise<string[]> {
  const found = await findIn(dir);
  const paths: string[] = [];
  for (const [i, file] of FASHION_MNIST_FILES.entries()) paths.push(found[i] ?? (await downloadFile(file, dir, fetcher)));
  return paths;
}

/** A Node file-system error while reading dataset file `path`, as a DatasetError naming it. */
export function datasetFsError(e: unknown, path: string): DatasetError {
  const code = (e as { code?: unknown } | null)?.code;
  const why = e instanceof Error ? e.message : String(e);
  if (code === 'EISDIR') return new DatasetError('is-directory', `${path} is a directory, not a dataset file; remove it or point FASHION_MNIST_DIR elsewhere`, { cause: e });
  if (code === 'EACCES' || code === 'EPERM') return new DatasetError('permission-denied', `permission denied to read ${path}; make it readable (chmod a+r)`, { cause: e });
  if (code === 'ENOENT') return new DatasetError('not-found', `no such file: ${path}`, { cause: e });
  return new DatasetError('read-failed', `cannot read ${path}: ${why}`, { cause: e });
}

/** The four files' bytes; one larger than its kind can be is refused from its size, unread. */
async function readAll(paths: string[]): Promise<FileBytes[]> {
  return Promise.all(
    paths.map(async (name, i) => {
      const file = FASHION_MNIST_FILES[i];
      const bytes = await readFileWithin(name, maxFileBytes(file), (size) => fileTooLarge(name, file, size, true)).catch((e: unknown) => {
        throw e instanceof DatasetError ? e : datasetFsError(e, name);
      });
      return { name, bytes, origin: 'disk' as const };
    }),
  );
}
