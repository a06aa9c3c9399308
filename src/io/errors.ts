// The one error type of src/io: a ModelFileError carries a code a caller can branch on and
// a message that names the file, the path inside it and what to do. Every reader, writer
// and file helper in this folder throws it (h5wasm's and fflate's own errors are wrapped).

export type ModelFileErrorCode =
  | 'unknown-format' // neither an HDF5 file nor a zip archive
  | 'truncated' // the container itself is damaged or cut short
  | 'too-large' // a size the file declares is past a bound (io/bounds.ts): checked before inflating or reading
  | 'missing-config' // no model_config attribute / no config.json
  | 'bad-json' // a config that does not parse
  | 'missing-weights' // a layer or weight the file lists is not in it
  | 'shape-mismatch' // a weight's values do not fill its shape, or not the shape expected
  | 'unsupported-version' // a Keras version this reader does not handle
  | 'unsupported-content' // a dtype or structure this reader does not handle
  | 'file-not-found'
  | 'is-directory'
  | 'permission-denied'
  | 'write-failed'
  | 'browser-storage'; // IndexedDB or download failed, or a key that is not indexeddb://

export class ModelFileError extends Error {
  override name = 'ModelFileError';

  constructor(
    readonly code: ModelFileErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The message of anything thrown (h5wasm throws strings as well as Errors). */
export function causeText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
