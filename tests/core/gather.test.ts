// Batch gathering (src/tensor/gather.ts, wgsl/gather.wgsl) against its reference (reference.ts gatherRows):
// rows order[start .. start+count) of float32 and of uint8 data (scaled), including the
// 4-bytes-per-invocation path (rows of a multiple of 4 bytes) and rows that straddle words.
import { beforeAll, describe, expect, test } from 'vitest';
import { ready } from '../../src/kernels/device.ts';
import { gatherRows } from '../../src/tensor/gather.ts';
import { tensor, tensorU8 } from '../../src/tensor/create.ts';
import * as R from '../util/reference.ts';

beforeAll(async () => {
  await ready();
});

const ORDER = [4, 0, 6, 2, 5, 1, 3];

describe('gatherRows', () => {
  // Row sizes 8 (4-byte words: the vec4 path) and 7 (rows straddle words: one byte each).
  for (const rowSize of [8, 7]) {
    test(`uint8 rows of ${rowSize} bytes, scaled, from a shuffled order`, async () => {
      const bytes = Uint8Array.from({ length: 7 * rowSize }, (_, i) => (i * 37 + 11) % 256);
      const data = tensorU8(bytes, [7, rowSize], 1 / 255);
      const order = tensor(ORDER, [7]);
      for (const [start, count] of [[0, 7], [2, 3], [6, 1]]) {
        const got = await gatherRows(data, order, start, count).data();
        expect(Array.from(got), `start ${start}, count ${count}`).toEqual(R.gatherRows(bytes, rowSize, ORDER, start, count, 1 / 255));
      }
    });
  }

  test('float32 rows from a shuffled order', async () => {
    const values = Float32Array.from({ length: 7 * 3 }, (_, i) => i * 0.5 - 4);
    const got = await gatherRows(tensor(values, [7, 3]), tensor(ORDER, [7]), 1, 4).data();
    expect(Array.from(got)).toEqual(R.gatherRows(values, 3, ORDER, 1, 4, 1));
  });

  test('a batch past the end of the row order is refused', () => {
    expect(() => gatherRows(tensor(new Float32Array(6), [2, 3]), tensor([1, 0], [2]), 1, 2)).toThrow('gatherRows: rows 1..3 exceed 2');
  });
});
