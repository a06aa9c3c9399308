// The four Fashion-MNIST files, where Keras downloads them from and their SHA-256, as in
// keras/src/datasets/fashion_mnist.py. Shared by the Node (locate.ts, download.ts) and
// browser (fashion-mnist.ts) loaders.

import { DatasetError } from './errors.ts';
import type { IdxKind } from './idx.ts';

export interface FashionMnistFile {
  /** The gzip file name; the un-gzipped file drops `.gz`. */
  name: string;
  /** SHA-256 of the gzip file Keras downloads (Debian re-packs its copies: other hashes). */
  sha256: string;
  /** What its IDX header must say: this shape, or its first n rows (a subset). */
  kind: IdxKind;
}

/** Where a file's bytes came from: what to do about a damaged one depends on it. */
export type FileOrigin = 'given' | 'disk' | 'url';

/** A file's bytes and its path or URL (for error messages). */
export interface FileBytes {
  name: string;
  bytes: Uint8Array;
  origin: FileOrigin;
}

/**
 * The advice a damaged file's error ends with. A file the user gave (picked, dropped, passed
 * as bytes) is theirs: the error names the problem and nothing more.
 */
export const DAMAGED_ADVICE: Record<FileOrigin, string> = {
  given: '',
  disk: '; delete the file and get it again',
  url: '; the server sends a damaged file',
};

/** In load order: train images, train labels, test images, test labels. */
export const FASHION_MNIST_FILES: readonly FashionMnistFile[] = [
  { name: 'train-images-idx3-ubyte.gz', sha256: '3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84', kind: { what: 'Fashion-MNIST training images', shape: [60000, 28, 28] } },
  { name: 'train-labels-idx1-ubyte.gz', sha256: 'a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845', kind: { what: 'Fashion-MNIST training labels', shape: [60000] } },
  { name: 't10k-images-idx3-ubyte.gz', sha256: '346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073', kind: { what: 'Fashion-MNIST test images', shape: [10000, 28, 28] } },
  { name: 't10k-labels-idx1-ubyte.gz', sha256: '67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5', kind: { what: 'Fashion-MNIST test labels', shape: [10000] } },
];

/**
 * The most bytes a file of `file`'s kind can take on disk or on the wire: its whole IDX form,
 * plus what gzip adds to data it cannot compress (5 bytes per 64 KiB block, and a header).
 */
export function maxFileBytes(file: FashionMnistFile): number {
  const raw = 4 + 4 * file.kind.shape.length + file.kind.shape.reduce((a, b) => a * b, 1);
  return raw + Math.ceil(raw / 65535) * 5 + 1024;
}

/** The error for a file past maxFileBytes, refused before it is read. */
export function fileTooLarge(name: string, file: FashionMnistFile, seen: number, declared: boolean): DatasetError {
  return new DatasetError(
    'too-large',
    `${name}: ${declared ? 'declares' : 'sent more than'} ${seen.toLocaleString('en-US')} bytes, more than ${file.kind.what} can take (${maxFileBytes(file).toLocaleString('en-US')}); refused ${declared ? 'before reading it' : 'there'}`,
  );
}

/** keras.datasets.fashion_mnist.load_data() downloads from here. */
export const KERAS_FASHION_MNIST_URL = 'https://storage.googleapis.com/tensorflow/tf-keras-datasets/';

/** The names a file may have on disk or on a server: gzip first, then un-gzipped. */
export function fileNames(file: FashionMnistFile): [string, string] {
  return [file.name, file.name.slice(0, -'.gz'.length)];
}
