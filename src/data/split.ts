// The transfer-learning splits of Hands-On ML, chapter 11: task A = 8 of the 10 classes,
// task B = the other two (2nd ed.: sandal 5 vs shirt 6; 3rd ed.: T-shirt/top 0 vs
// pullover 2), with only 200 training images for B. Read next: fashion-mnist.ts (the data).

import type { FashionMnist } from './fashion-mnist.ts';
import { NDArray } from './ndarray.ts';

export type Dataset = [x: NDArray, y: NDArray];

/**
 * split_dataset(X, y) of the chapter 11 notebook, for B = classes `negative` and `positive`:
 * their rows go to B, the rest to A. y_A: float32 class ids [n], the 8 remaining classes
 * renumbered 0..7 in order; y_B: float32 [n], 1 for `positive`, 0 for `negative`. x rows
 * keep their dtype and scale.
 */
function splitByClasses(x: NDArray, y: NDArray, negative: number, positive: number, who: string): [a: Dataset, b: Dataset] {
  if (y.shape.length !== 1 || y.length !== x.length) {
    throw new Error(`${who}: expected labels [${x.length}] for x [${x.shape.join(', ')}], got [${y.shape.join(', ')}]`);
  }
  const rowsA: number[] = [];
  const rowsB: number[] = [];
  for (let i = 0; i < y.length; i++) (y.at(i) === negative || y.at(i) === positive ? rowsB : rowsA).push(i);
  // A class above a removed one moves down by one per removed class below it.
  const renumber = (c: number) => c - Number(c > negative) - Number(c > positive);
  const yA = Float32Array.from(rowsA, (i) => renumber(y.at(i)));
  const yB = Float32Array.from(rowsB, (i) => (y.at(i) === positive ? 1 : 0));
  return [
    [x.take(rowsA), new NDArray(yA, [yA.length])],
    [x.take(rowsB), new NDArray(yB, [yB.length])],
  ];
}

/** 2nd edition: B = sandal (5) vs shirt (6, positive); A's labels 7, 8, 9 become 5, 6, 7. */
export function splitDataset(x: NDArray, y: NDArray): [a: Dataset, b: Dataset] {
  return splitByClasses(x, y, 5, 6, 'splitDataset');
}

/**
 * 3rd edition: B = T-shirt/top (0) vs pullover (2, positive); A's classes 1, 3, 4, ..., 9
 * become 0..7 (the split the Keras 3 model_A fixture was trained on).
 */
export function splitDataset3rdEdition(x: NDArray, y: NDArray): [a: Dataset, b: Dataset] {
  return splitByClasses(x, y, 0, 2, 'splitDataset3rdEdition');
}

export interface TransferLearningSplits {
  trainA: Dataset;
  validA: Dataset;
  testA: Dataset;
  trainB: Dataset;
  validB: Dataset;
  testB: Dataset;
}

/**
 * The chapter's data pipeline on loadFashionMnist()'s result (normalized or not): x scaled
 * to [0, 1] (uint8 bytes with scale 1/255), the first 5,000 training images kept for
 * validation, each set split by splitDataset, and train B cut to its first 200 images.
 * On the real data: train A 43,986, valid A 4,014, test A 8,000; train B 200 (99 shirts),
 * valid B 986, test B 2,000. x [n, 28, 28]; y [n] float32.
 */
export function transferLearningSplits(data: FashionMnist): TransferLearningSplits {
  const xFull = unitScale(data.train[0]);
  const yFull = data.train[1];
  const [validA, validB] = splitDataset(xFull.slice(0, 5000), yFull.slice(0, 5000));
  const [trainA, trainBFull] = splitDataset(xFull.slice(5000), yFull.slice(5000));
  const [testA, testB] = splitDataset(unitScale(data.test[0]), data.test[1]);
  const trainB: Dataset = [trainBFull[0].slice(0, 200), trainBFull[1].slice(0, 200)];
  return { trainA, validA, testA, trainB, validB, testB };
}

/** X / 255.0 of the notebook, for pixels as loaded (scale 1) or already normalized. */
function unitScale(x: NDArray): NDArray {
  if (!(x.data instanceof Uint8Array) || (x.scale !== 1 && x.scale !== 1 / 255)) {
    throw new Error(`transferLearningSplits: expected uint8 pixels from loadFashionMnist(), got ${x.data.constructor.name} with scale ${x.scale}`);
  }
  return x.scale === 1 ? x.div(255) : x;
}
