// splitDataset3rdEdition (src/data/split.ts): the 3rd edition's task split, which the
// Keras 3 fixture was trained on: B = T-shirt/top (0) vs pullover (2, positive), A = the
// other 8 classes renumbered 0..7. Pixel values encode the row index to trace every row.

import { expect, test } from 'vitest';
import { NDArray } from '../../src/data/ndarray.ts';
import { splitDataset3rdEdition } from '../../src/data/split.ts';

test('classes 0 and 2 go to B (pullover = 1); 1, 3, 4, ..., 9 become 0..7 in A', () => {
  const labels = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 2, 0];
  const x = new NDArray(Uint8Array.from({ length: 4 * labels.length }, (_, i) => i >> 2), [labels.length, 2, 2]).div(255);
  const [[xA, yA], [xB, yB]] = splitDataset3rdEdition(x, new NDArray(Uint8Array.from(labels), [labels.length]));
  const rows = (a: NDArray) => Array.from({ length: a.length }, (_, i) => a.data[4 * i]);
  expect([rows(xA), Array.from(yA.data)]).toEqual([[1, 3, 4, 5, 6, 7, 8, 9], [0, 1, 2, 3, 4, 5, 6, 7]]);
  expect([rows(xB), Array.from(yB.data)]).toEqual([[0, 2, 10, 11], [0, 1, 1, 0]]);
  expect([xA.scale, yA.data.constructor, xB.shape]).toEqual([1 / 255, Float32Array, [4, 2, 2]]);
  expect(() => splitDataset3rdEdition(x, new NDArray(Uint8Array.from([1]), [1]))).toThrow(
    'splitDataset3rdEdition: expected labels [12] for x [12, 2, 2], got [1]',
  );
});
