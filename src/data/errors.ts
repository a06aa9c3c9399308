// The one error type of the dataset loaders (idx.ts, gunzip.ts, fashion-mnist.ts, locate.ts):
// a DatasetError carries a code a caller can branch on and a message that names the file
// (path or URL) and what to do. Model files have their own: src/io/errors.ts.

export type DatasetErrorCode =
  | 'truncated' // an IDX file cut short (header or data)
  | 'corrupt' // not IDX, damaged gzip, trailing bytes, impossible values
  | 'unsupported' // an IDX value type other than unsigned byte, or gzip bytes given to parseIdx
  | 'mismatch' // images and labels that do not belong together, or a header unlike its file's kind
  | 'too-large' // a file or header size past a bound, refused before reading or inflating it
  | 'not-found' // no folder or server has the files
  | 'is-directory'
  | 'permission-denied'
  | 'read-failed';

export class DatasetError extends Error {
  override name = 'DatasetError';

  constructor(
    readonly code: DatasetErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
