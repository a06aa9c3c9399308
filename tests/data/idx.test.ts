// IDX decoding (src/data/idx.ts) on small synthetic files, raw and gzip, and every way a
// file can be wrong: each error must name the file and the problem.
import { describe, expect, test } from 'vitest';
import { parseIdx, readIdx } from '../../src/data/idx.ts';
import { gzipBytes, idxFile, ramp } from './idx-files.ts';

describe('parseIdx / readIdx', () => {
  test('raw images [n, h, w] and labels [n] come back as uint8 views', async () => {
    const images = parseIdx(idxFile([2, 3, 4], ramp(24)), 'imgs');
    expect(images.shape).toEqual([2, 3, 4]);
    expect(images.data).toBeInstanceOf(Uint8Array);
    expect(images.data.constructor).toBe(Uint8Array);
    expect(Array.from(images.data)).toEqual(Array.from(ramp(24)));
    expect(images.scale).toBe(1);
    const labels = await readIdx(idxFile([5], [9, 0, 0, 3, 255]), 'labels');
    expect(labels.shape).toEqual([5]);
    expect(Array.from(labels.data)).toEqual([9, 0, 0, 3, 255]);
  });

  test('gzip files are decompressed first', async () => {
    const raw = idxFile([3, 28, 28], ramp(3 * 784));
    const fromGz = await readIdx(await gzipBytes(raw), 'x.gz');
    expect(fromGz.shape).toEqual([3, 28, 28]);
    expect(Array.from(fromGz.data)).toEqual(Array.from(ramp(3 * 784)));
    expect(fromGz.take([2]).data.constructor).toBe(Uint8Array);
  });

  test('an empty dataset is valid', () => {
    expect(parseIdx(idxFile([0, 28, 28], []), 'empty').shape).toEqual([0, 28, 28]);
  });

  test('parseIdx refuses gzip bytes and points to readIdx', async () => {
    const gz = await gzipBytes(idxFile([2], [1, 2]));
    expect(() => parseIdx(gz, 'y.gz')).toThrow('y.gz: gzip-compressed; decode it with readIdx()');
  });

  test('bad magic', async () => {
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]);
    await expect(readIdx(png, 'f.idx')).rejects.toThrow('f.idx: not an IDX file: starts with 89 50 4e 47, expected 00 00 08 <ndims>');
  });

  test('a type other than unsigned byte', async () => {
    await expect(readIdx(idxFile([1], [0, 0, 0, 0], 0x0d), 'f.idx')).rejects.toThrow(
      'f.idx: IDX type 0x0d (float32) is not supported, only 0x08 (unsigned byte)',
    );
    expect(() => parseIdx(idxFile([1], [0], 0x42), 'g')).toThrow('g: IDX type 0x42 (an unknown type) is not supported');
  });

  test('zero dimensions', () => {
    expect(() => parseIdx(Uint8Array.from([0, 0, 8, 0]), 'f')).toThrow('f: IDX header says 0 dimensions');
  });

  test('truncated header', () => {
    expect(() => parseIdx(Uint8Array.from([0, 0]), 'f')).toThrow('f: truncated: 2 bytes, an IDX header needs at least 4');
    const cut = idxFile([60000, 28, 28], []).subarray(0, 10);
    expect(() => parseIdx(cut, 'f')).toThrow('f: truncated: the header of a 3-d IDX file needs 16 bytes, found 10');
  });

  test('truncated data, raw and gzip', async () => {
    const file = idxFile([60000, 28, 28], ramp(1000));
    expect(() => parseIdx(file, 'train-images-idx3-ubyte')).toThrow(
      'train-images-idx3-ubyte: truncated: header says 60000x28x28 = 47040000 bytes of data, found 1000',
    );
    await expect(readIdx(await gzipBytes(file), 'train-images-idx3-ubyte.gz')).rejects.toThrow(
      'train-images-idx3-ubyte.gz: truncated: header says 60000x28x28 = 47040000 bytes of data, found 1000',
    );
  });

  test('trailing bytes', () => {
    const file = idxFile([2, 3], ramp(8));
    expect(() => parseIdx(file, 'f')).toThrow('f: 2 trailing bytes: header says 2x3 = 6 bytes of data, found 8');
  });

  test('corrupt gzip: a damaged stream and a cut-off stream', async () => {
    const gz = await gzipBytes(idxFile([100], ramp(100)));
    const damaged = gz.slice();
    damaged.fill(0xff, 10, 30);
    // The engine's own message is not quoted; the advice depends on where the file came from.
    await expect(readIdx(damaged, 'd.gz')).rejects.toThrow(/^d\.gz: corrupt gzip data \(the compressed stream is damaged or cut short\)$/);
    await expect(readIdx(damaged, 'd.gz', { advice: '; delete the file and get it again' })).rejects.toThrow(/\(the compressed stream is damaged or cut short\); delete the file and get it again$/);
    await expect(readIdx(gz.subarray(0, gz.length - 12), 'c.gz')).rejects.toThrow(/^c\.gz: corrupt gzip data/);
  });
});
