// The four Fashion-MNIST files, where Keras downloads them from and their SHA-256, as in
// keras/src/datasets/fashion_mnist.py. Shared by the Node (locate.ts, download.ts) and
// browser (fashion-mnist.ts) loaders.

export interface FashionMnistFile {
  /** The gzip file name; the un-gzipped file drops `.gz`. */
  name: string;
  /** SHA-256 of the gzip file Keras downloads (Debian re-packs its copies: other hashes). */
  sha256: string;
}

/** A file's bytes and its path or URL (for error messages). */
export interface FileBytes {
  name: string;
  bytes: Uint8Array;
}

/** In load order: train images, train labels, test images, test labels. */
export const FASHION_MNIST_FILES: readonly FashionMnistFile[] = [
  { name: 'train-images-idx3-ubyte.gz', sha256: '3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84' },
  { name: 'train-labels-idx1-ubyte.gz', sha256: 'a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845' },
  { name: 't10k-images-idx3-ubyte.gz', sha256: '346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073' },
  { name: 't10k-labels-idx1-ubyte.gz', sha256: '67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5' },
];

/** keras.datasets.fashion_mnist.load_data() downloads from here. */
export const KERAS_FASHION_MNIST_URL = 'https://storage.googleapis.com/tensorflow/tf-keras-datasets/';

/** The names a file may have on disk or on a server: gzip first, then un-gzipped. */
export function fileNames(file: FashionMnistFile): [string, string] {
  return [file.name, file.name.slice(0, -'.gz'.length)];
}
