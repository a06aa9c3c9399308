// Model files on a Node file system. Import this module dynamically (`await import(...)`)
// from Node-only code paths, so that browser bundles never pull in node:fs.
// writeFileAtomic never leaves a half-written model behind: it writes a temporary file in
// the target's directory, fsyncs it, then renames it over the target (rename is atomic
// within one file system); on any failure the temporary file goes and the target stays.

import { randomBytes } from 'node:crypto';
import { open, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { MAX_MODEL_BYTES } from './bounds.ts';
import { modelTooLarge } from './browser-files.ts';
import { causeText, ModelFileError } from './errors.ts';
import type { TooLarge } from './read-body.ts';

function isDirectory(path: string, cause?: unknown): ModelFileError {
  return new ModelFileError('is-directory', `${path} is a directory, not a model file; give a file name`, { cause });
}

/** A Node file-system error as a ModelFileError that names `path`. */
export function fsError(e: unknown, path: string, action: 'read' | 'write'): ModelFileError {
  if (e instanceof ModelFileError) return e;
  const code = (e as { code?: unknown } | null)?.code;
  if (code === 'ENOENT') {
    const what =
      action === 'read'
        ? `no such file: ${path}`
        : `cannot write ${path}: its directory ${dirname(path)} does not exist`;
    return new ModelFileError('file-not-found', what, { cause: e });
  }
  if (code === 'EISDIR') return isDirectory(path, e);
  if (code === 'EACCES' || code === 'EPERM') {
    return new ModelFileError('permission-denied', `permission denied to ${action} ${path}`, { cause: e });
  }
  return new ModelFileError(
    action === 'read' ? 'file-not-found' : 'write-failed',
    `cannot ${action} ${path}: ${causeText(e)}`,
    { cause: e },
  );
}

export interface AtomicWriteOptions {
  /** Test seam: runs after the temporary file is written and synced, before the rename. */
  beforeRename?: (tempPath: string) => void | Promise<void>;
}

/** Writes `bytes` to `path` atomically: readers see the old file or the new one, never a part. */
export async function writeFileAtomic(
  path: string,
  bytes: Uint8Array,
  options: AtomicWriteOptions = {},
): Promise<void> {
  const target = resolve(path);
  const existing = await stat(target).catch(() => null);
  if (existing?.isDirectory()) throw isDirectory(path);
  const temp = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(temp, 'wx');
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await options.beforeRename?.(temp);
    await rename(temp, target);
  } catch (e) {
    await rm(temp, { force: true });
    throw fsError(e, path, 'write');
  }
  await syncDirectory(dirname(target));
}

/**
 * Makes the rename itself durable (POSIX: a directory's entries reach the disk when the
 * directory is fsynced). Best effort: Windows cannot open a directory, and some file
 * systems refuse to fsync one; the new file is in place either way.
 */
async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r').catch(() => null);
  await handle?.sync().catch(() => undefined);
  await handle?.close();
}

/**
 * The bytes of the file at `path`, with named errors for a missing file, a directory or no
 * permission; a file over MAX_MODEL_BYTES is refused from its size, before it is read.
 */
export async function readFileBytes(path: string): Promise<Uint8Array> {
  return readFileWithin(path, MAX_MODEL_BYTES, modelTooLarge(path)).catch((e: unknown) => {
    throw fsError(e, path, 'read');
  });
}

/** The bytes of the file at `path`; one over `max` bytes is refused from its size (`tooLarge`'s error), unread. */
export async function readFileWithin(path: string, max: number, tooLarge: TooLarge): Promise<Uint8Array> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    if (size > max) throw tooLarge(size, max, true);
    const buffer = await handle.readFile();
    return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  } finally {
    await handle.close();
  }
}
