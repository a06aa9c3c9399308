// The transfer-learning splits of Hands-On ML (2nd ed.), chapter 11: task A = the 8
// classes other than sandal (5) and shirt (6); task B = sandal vs shirt, with only 200
// training images. Read next: fashion-mnist.ts (the data these split).

import type { FashionMnist } from './fashion-mnist.ts';
import { NDArray } from './ndarray.ts';

export type Dataset = [x: NDArray, y: NDArray];

/**
 * split_dataset(X, y) of the chapter 11 notebook: rows whose label is 5 or 6 go to B,
 * the rest to A. y_A: float32 class ids [n] where 7, 8, 9 become 5, 6, 7 (so 0..7);
 * y_B: float32 [n], 1 for shirt (6), 0 for sandal (5). x rows keep their dtype and scale.
 */
export function splitDataset(x: NDArray, y: NDArray): [a: Dataset, b: Dataset] {
  if (y.shape.length !== 1 || y.length !== x.length) {
    throw new Error(`splitDataset: expected labels [${x.length}] for x [${x.shape.join(', ')}], got [${y.shape.join(', ')}]`);
  }
  const rowsA: number[] = [];
  const rowsB: number[] = [];
  for (let i = 0; i < y.length; i++) (y.at(i) === 5 || y.at(i) === 6 ? rowsB : rowsA).push(i);
  const yA = Float32Array.from(rowsA, (i) => (y.at(i) > 6 ? y.at(i) - 2 : y.at(i)));
  const yB = Float32Array.from(rowsB, (i) => (y.at(i) === 6 ? 1 : 0));
  return [
    [x.take(rowsA), new NDArray(yA, [yA.length])],
    [x.take(rowsB), new NDArray(yB, [yB.length])],
  ];
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
