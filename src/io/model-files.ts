// Model files as the API names them: the formats and the sources a model loads from. The
// code that reads and writes them (save.ts, with HDF5 behind it) is imported on the first save
// or load (Network's save methods, load-model.ts), as Keras's Model.save imports its saving
// module: a program that only trains never loads it. Read next: load-model.ts, save.ts.

import { ModelFileError } from './errors.ts';

/** 'h5': tf.keras 2's legacy HDF5; 'keras': Keras 3's zip; 'weights.h5': Keras 3's weights-only file. */
export type SaveFormat = 'h5' | 'keras' | 'weights.h5';

/** Where a model comes from: a Node path or URL, 'indexeddb://name', a File/Blob, or the bytes. */
export type ModelSource = string | Uint8Array | ArrayBuffer | Blob;

export interface LoadModelOptions {
  /** Restore the compile information (optimizer with its state, loss, metrics) when the file has it (Keras's compile=True). */
  compile?: boolean;
}

/** A path that offers a browser download, and one that keeps the file in IndexedDB. */
export const DOWNLOADS = 'downloads://';
export const INDEXEDDB = 'indexeddb://';

/** The format a path's extension names ('downloads://' aside); an IndexedDB key without one is saved as `.keras`. */
export function formatOf(path: string): SaveFormat {
  const name = (path.startsWith(DOWNLOADS) ? path.slice(DOWNLOADS.length) : path).toLowerCase();
  if (name.endsWith('.weights.h5')) return 'weights.h5';
  if (name.endsWith('.h5') || name.endsWith('.hdf5')) return 'h5';
  if (name.endsWith('.keras') || (name.startsWith(INDEXEDDB) && !/\.[a-z0-9]+$/.test(name))) return 'keras';
  throw new ModelFileError(
    'unknown-format',
    `cannot tell the format of ${JSON.stringify(path)} from its extension: use .keras (Keras 3), .h5 or .hdf5 (tf.keras 2 HDF5), or .weights.h5 (weights only)`,
  );
}
