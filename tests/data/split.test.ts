// splitDataset and transferLearningSplits (src/data/split.ts) on small synthetic data whose
// pixel values encode the row index, so every row can be traced to where it went.
import { describe, expect, test } from 'vitest';
import { NDArray } from '../../src/data/ndarray.ts';
import { splitDataset, transferLearningSplits } from '../../src/data/split.ts';

const labels = (values: number[]): NDArray => new NDArray(Uint8Array.from(values), [values.length]);
/** n images [n, 2, 2] whose 4 bytes are all (row index mod 256). */
const images = (n: number): NDArray => new NDArray(Uint8Array.from({ length: 4 * n }, (_, i) => (i >> 2) % 256), [n, 2, 2]);
const rowIds = (x: NDArray): number[] => Array.from({ length: x.length }, (_, i) => x.data[4 * i]);

describe('splitDataset', () => {
  test('classes 5 and 6 go to B (shirt = 1), the rest to A with 7, 8, 9 moved to 5, 6, 7', () => {
    const y = labels([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 6, 5]);
    const [[xA, yA], [xB, yB]] = splitDataset(images(12).div(255), y);
    expect(rowIds(xA)).toEqual([0, 1, 2, 3, 4, 7, 8, 9]);
    expect(Array.from(yA.data)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(rowIds(xB)).toEqual([5, 6, 10, 11]);
    expect(Array.from(yB.data)).toEqual([0, 1, 1, 0]);
    expect(yA.data).toBeInstanceOf(Float32Array);
    expect(yB.data).toBeInstanceOf(Float32Array);
    expect(yA.shape).toEqual([8]);
    expect(yB.shape).toEqual([4]);
    expect(xA.shape).toEqual([8, 2, 2]);
    expect(xB.scale).toBe(1 / 255);
    expect(xA.data).toBeInstanceOf(Uint8Array);
  });

  test('labels must be one per row', () => {
    expect(() => splitDataset(images(3), labels([1, 2]))).toThrow('splitDataset: expected labels [3] for x [3, 2, 2], got [2]');
  });
});

describe('transferLearningSplits', () => {
  // 5,600 rows: labels cycle 0..9, so the first 5,000 (validation) hold 500 of each class.
  const n = 5600;
  const y = labels(Array.from({ length: n }, (_, i) => i % 10));
  const testY = labels([6, 5, 9, 0]);

  test('validation = first 5,000 rows, train B cut to 200, x scaled by 1/255', () => {
    const s = transferLearningSplits({ train: [images(n), y], test: [images(4), testY] });
    expect(s.validA[0].length).toBe(4000);
    expect(s.validB[0].length).toBe(1000);
    expect(s.trainA[0].length).toBe(480);
    expect(s.trainB[0].length).toBe(120);
    expect(s.trainB[1].length).toBe(120);
    expect(rowIds(s.trainA[0]).slice(0, 6)).toEqual([5000, 5001, 5002, 5003, 5004, 5007].map((i) => i % 256));
    expect(Array.from(s.testA[1].data)).toEqual([7, 0]);
    expect(Array.from(s.testB[1].data)).toEqual([1, 0]);
    for (const [x] of Object.values(s)) {
      expect(x.scale).toBe(1 / 255);
      expect(x.data).toBeInstanceOf(Uint8Array);
    }
  });

  test('train B keeps 200 of more than 200 sandals and shirts', () => {
    const big = 6000;
    const yBig = labels(Array.from({ length: big }, (_, i) => (i < 5000 ? i % 10 : 5 + (i % 2))));
    const s = transferLearningSplits({ train: [images(big), yBig], test: [images(4), testY] });
    expect(s.trainB[0].shape).toEqual([200, 2, 2]);
    expect(s.trainB[1].shape).toEqual([200]);
    expect(s.trainA[0].length).toBe(0);
  });

  test('accepts normalized pixels without scaling twice; refuses other data', () => {
    const s = transferLearningSplits({ train: [images(n).div(255), y], test: [images(4).div(255), testY] });
    expect(s.testB[0].scale).toBe(1 / 255);
    const floats = new NDArray(new Float32Array(4 * 4), [4, 2, 2]);
    expect(() => transferLearningSplits({ train: [images(n), y], test: [floats, testY] })).toThrow(
      'transferLearningSplits: expected uint8 pixels from loadFashionMnist(), got Float32Array with scale 1',
    );
  });
});
