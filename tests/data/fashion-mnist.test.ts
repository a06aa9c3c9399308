// The real Fashion-MNIST (Debian's dataset-fashion-mnist, /usr/share/datasets/fashion-mnist)
// through loadFashionMnist: read from disk in Node, fetched over HTTP from Vite's dev server
// (/@fs/...) in Chromium. Expected values were computed with NumPy from the same files.
import { beforeAll, describe, expect, test } from 'vitest';
import { type FashionMnist, loadFashionMnist } from '../../src/data/fashion-mnist.ts';
import type { NDArray } from '../../src/data/ndarray.ts';
import { type TransferLearningSplits, transferLearningSplits } from '../../src/data/split.ts';

const DEBIAN_DIR = '/usr/share/datasets/fashion-mnist';
const inBrowser = typeof document !== 'undefined';

let data: FashionMnist;
let splits: TransferLearningSplits;

const bytes = (x: NDArray, start: number, end: number): number[] => Array.from(x.data.subarray(start, end));
const sum = (x: NDArray): number => {
  let total = 0;
  for (const v of x.data) total += v;
  return total;
};
const counts = (y: NDArray): number[] => {
  const c = new Array<number>(10).fill(0);
  for (const v of y.data) c[v]++;
  return c;
};

describe(`Fashion-MNIST from ${DEBIAN_DIR} (${inBrowser ? 'fetched' : 'read from disk'})`, () => {
  beforeAll(async () => {
    data = inBrowser ? await loadFashionMnist({ url: `/@fs${DEBIAN_DIR}/` }) : await loadFashionMnist({ path: DEBIAN_DIR });
    splits = transferLearningSplits(data);
  });

  test('load_data(): uint8 x [n, 28, 28], uint8 y [n], 6,000 / 1,000 images per class', () => {
    const [[xTrain, yTrain], [xTest, yTest]] = [data.train, data.test];
    expect(xTrain.shape).toEqual([60000, 28, 28]);
    expect(yTrain.shape).toEqual([60000]);
    expect(xTest.shape).toEqual([10000, 28, 28]);
    expect(yTest.shape).toEqual([10000]);
    for (const a of [xTrain, yTrain, xTest, yTest]) {
      expect(a.data.constructor).toBe(Uint8Array);
      expect(a.scale).toBe(1);
    }
    expect(counts(yTrain)).toEqual(new Array(10).fill(6000));
    expect(counts(yTest)).toEqual(new Array(10).fill(1000));
    expect(bytes(yTrain, 0, 10)).toEqual([9, 0, 0, 3, 0, 2, 7, 2, 5, 5]);
    expect(bytes(yTest, 0, 10)).toEqual([9, 2, 1, 1, 6, 1, 4, 6, 5, 7]);
    // x_train[0, 10, 10:20], x_test[0, 14, 10:20] and the sums of all pixels.
    expect(bytes(xTrain, 10 * 28 + 10, 10 * 28 + 20)).toEqual([0, 0, 0, 193, 228, 218, 213, 198, 180, 212]);
    expect(bytes(xTest, 14 * 28 + 10, 14 * 28 + 20)).toEqual([0, 0, 98, 136, 110, 109, 110, 162, 135, 144]);
    expect(sum(xTrain)).toBe(3431114169);
    expect(sum(xTest)).toBe(573469082);
  });

  test('chapter 11 splits: sizes, labels, scale 1/255, pixels', () => {
    const s = splits;
    const sizes = Object.fromEntries(Object.entries(s).map(([k, [x, y]]) => [k, [x.length, y.length]]));
    expect(sizes).toEqual({
      trainA: [43986, 43986],
      validA: [4014, 4014],
      testA: [8000, 8000],
      trainB: [200, 200],
      validB: [986, 986],
      testB: [2000, 2000],
    });
    for (const k of ['trainA', 'validA', 'testA'] as const) {
      const [x, y] = s[k];
      expect(x.shape.slice(1)).toEqual([28, 28]);
      expect(x.scale).toBe(1 / 255);
      expect(y.data).toBeInstanceOf(Float32Array);
      expect(y.shape).toEqual([x.length]);
      expect(new Set(y.data)).toEqual(new Set([0, 1, 2, 3, 4, 5, 6, 7]));
    }
    for (const k of ['trainB', 'validB', 'testB'] as const) {
      const [x, y] = s[k];
      expect(x.scale).toBe(1 / 255);
      expect(y.data).toBeInstanceOf(Float32Array);
      expect(y.shape).toEqual([x.length]);
      expect(new Set(y.data)).toEqual(new Set([0, 1]));
    }
    // Shirts (y_B == 1): 99 of the 200 kept training images, 493 in valid B, 1,000 in test B.
    expect(sum(s.trainB[1])).toBe(99);
    expect(sum(s.validB[1])).toBe(493);
    expect(sum(s.testB[1])).toBe(1000);
    expect(Array.from(s.trainA[1].data.subarray(0, 10))).toEqual([4, 0, 5, 7, 7, 7, 4, 4, 3, 4]);
    expect(Array.from(s.trainB[1].data.subarray(0, 10))).toEqual([1, 1, 0, 0, 0, 0, 1, 1, 1, 0]);
    // X_train_B[0, 14, 10:16] (scaled), and pixel sums of X_train_A[0] and X_train_B[199] in bytes.
    const xB = s.trainB[0];
    expect(bytes(xB, 14 * 28 + 10, 14 * 28 + 16)).toEqual([116, 107, 110, 109, 128, 212]);
    expect(xB.at(14 * 28 + 10)).toBeCloseTo(116 / 255, 15);
    expect(sum(s.trainA[0].slice(0, 1))).toBe(94772);
    expect(sum(xB.slice(199, 200))).toBe(76688);
  });
});

describe('loadFashionMnist({ url })', () => {
  test('a URL without the files: the error names what was tried', async () => {
    const load = loadFashionMnist({ url: '/nowhere/' });
    // Chromium gets Vite's 404; Node's fetch cannot resolve a relative URL.
    await expect(load).rejects.toThrow(
      inBrowser
        ? /^Fashion-MNIST: not found at \/nowhere\/([a-z0-9-]+)\.gz \(HTTP 404\) or \/nowhere\/\1 \(HTTP 404\)\. Serve the four files/
        : /^Fashion-MNIST: fetching \/nowhere\/[a-z0-9-]+\.gz failed: /,
    );
  });
});
