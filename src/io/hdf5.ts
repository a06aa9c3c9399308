// A thin wrapper over h5wasm (HDF5 compiled to WebAssembly): open bytes for reading, or
// build a new file and get its bytes. Both go through the in-memory file system of h5wasm's
// default ESM build, which runs unchanged in Node and in the browser (the wasm is inlined).
// h5wasm (4 MB) is imported on first use only. Read next: h5-values.ts (typed access).

import type { File as H5File } from 'h5wasm';
import { causeText, ModelFileError } from './errors.ts';

type H5Lib = typeof import('h5wasm');
type H5Fs = Awaited<H5Lib['ready']>['FS'];

let loading: Promise<{ lib: H5Lib; fs: H5Fs }> | null = null;
let fileCount = 0;

function h5(): Promise<{ lib: H5Lib; fs: H5Fs }> {
  loading ??= import('h5wasm').then(async (lib) => {
    const module = await lib.ready;
    // HDF5's default handler prints its error stack to stderr and returns -1; this one
    // throws the stack instead, so a bad file becomes one catchable error.
    module.activate_throwing_error_handler();
    return { lib, fs: module.FS };
  });
  return loading;
}

/** The first line of an HDF5 error stack worth showing (the innermost "#00x" lines repeat). */
function hdf5Reason(e: unknown): string {
  const lines = causeText(e)
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const last = lines.filter((l) => l.startsWith('#')).pop();
  return (last ?? lines[0] ?? 'unknown HDF5 error').replace(/^#\d+: \S+ line \d+ in /, '');
}

/**
 * Opens `bytes` as an HDF5 file and runs `read` on it. Errors that are not already
 * ModelFileErrors (a damaged file fails deep inside HDF5) become 'truncated' errors that
 * name `label`.
 */
export async function readHdf5<T>(bytes: Uint8Array, label: string, read: (file: H5File) => T): Promise<T> {
  const { lib, fs } = await h5();
  const path = `/webgrad-read-${++fileCount}.h5`;
  fs.writeFile(path, bytes);
  try {
    let file: H5File;
    try {
      file = new lib.File(path, 'r');
    } catch (e) {
      throw new ModelFileError(
        'truncated',
        `${label}: HDF5 cannot open it (${hdf5Reason(e)}); the file is damaged or cut short`,
        { cause: e },
      );
    }
    try {
      return read(file);
    } catch (e) {
      if (e instanceof ModelFileError) throw e;
      throw new ModelFileError(
        'truncated',
        `${label}: reading failed inside HDF5 (${hdf5Reason(e)}); the file is damaged or cut short`,
        { cause: e },
      );
    } finally {
      file.close();
    }
  } finally {
    fs.unlink(path);
  }
}

/**
 * Creates an empty HDF5 file, lets `write` fill it and returns its bytes. The format is
 * bounded to HDF5 1.10 ('earliest'..'v110', what h5py wrote in the fixtures), so that the
 * h5py builds that tf.keras and Keras 3 ship with can read it.
 */
export async function writeHdf5(write: (file: H5File) => void): Promise<Uint8Array> {
  const { lib, fs } = await h5();
  const path = `/webgrad-write-${++fileCount}.h5`;
  try {
    const file = new lib.File(path, 'w', { libver: ['earliest', 'v110'] });
    try {
      write(file);
    } catch (e) {
      if (e instanceof ModelFileError) throw e;
      throw new ModelFileError('write-failed', `writing HDF5 failed (${hdf5Reason(e)})`, { cause: e });
    } finally {
      file.close();
    }
    return fs.readFile(path);
  } finally {
    if (fs.analyzePath(path).exists) fs.unlink(path);
  }
}
