// The data of the chapter's topic examples: the notebook's
//   X_valid, X_train = X_train_full[:5000] / 255., X_train_full[5000:] / 255.
// cut to the first N images of each set (a CPU adapter trains a few thousand images per
// second), and the same cut for the transfer-learning splits on the page.
// Read next: experiment.ts (how examples use it), src/data/split.ts (the pipeline's splits).

import type { FashionMnist } from 'webgrad.js';
import { NDArray } from 'webgrad.js';
import type { Dataset, TransferLearningSplits } from 'webgrad.js';

export const CLASS_NAMES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];

export interface ExampleData {
  train: Dataset;
  valid: Dataset;
  test: Dataset;
}

/** The first `n` rows of a dataset (views, no copy). */
export function head([x, y]: Dataset, n: number): Dataset {
  return [x.slice(0, n), y.slice(0, n)];
}

/** Labels as float32 class ids, as the pipeline's splits hold them. */
const labels = (y: NDArray): NDArray => new NDArray(Float32Array.from(y.data), y.shape);

/**
 * Train = images 5,000.. of the training set, valid = its first 5,000, test = the test set,
 * each cut to its first `train` / `valid` / `test` images. Pixels stay uint8 bytes scaled
 * by 1/255 (the notebook's X / 255.); the book's per-pixel standardization would need
 * float32 copies, which for all 55,000 images exceed one 128 MiB GPU binding.
 */
export function exampleData(data: FashionMnist, { train, valid, test }: { train: number; valid: number; test: number }): ExampleData {
  for (const [k, v] of Object.entries({ train, valid, test })) {
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`exampleData: ${k} must be a positive integer number of images, got ${v}`);
  }
  const [xFull, yFull] = data.train;
  const x = xFull.div(255);
  return {
    train: head([x.slice(5000), labels(yFull.slice(5000))], train),
    valid: head([x.slice(0, 5000), labels(yFull.slice(0, 5000))], valid),
    test: head([data.test[0].div(255), labels(data.test[1])], test),
  };
}

/** The pipeline's splits with every set cut to at most `n` images (train B keeps its 200). */
export function subsetSplits(s: TransferLearningSplits, n: number): TransferLearningSplits {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`subsetSplits: n must be a positive integer, got ${n}`);
  return {
    trainA: head(s.trainA, n),
    validA: head(s.validA, n),
    testA: head(s.testA, n),
    trainB: head(s.trainB, n),
    validB: head(s.validB, n),
    testB: head(s.testB, n),
  };
}
