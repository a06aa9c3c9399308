// loadFashionMnist({ files }): the four files' bytes handed over by name (what the examples
// page does with files a user picked or dropped), gzipped or not; a missing one is named.
import { expect, test } from 'vitest';
import { DatasetError, loadFashionMnist } from '../../src/index.ts';
import { gzipBytes, idxFile, ramp } from './idx-files.ts';
import { expectError, lit } from '../util/expect-error.ts';

const images = (n: number) => idxFile([n, 28, 28], ramp(n * 784));
const labels = (n: number) => idxFile([n], Uint8Array.from({ length: n }, (_, i) => i % 10));

test('the four files by name, gzipped or not, load as load_data() does', async () => {
  const data = await loadFashionMnist({
    files: {
      'train-images-idx3-ubyte.gz': await gzipBytes(images(3)),
      'train-labels-idx1-ubyte': labels(3),
      't10k-images-idx3-ubyte': images(2),
      't10k-labels-idx1-ubyte.gz': await gzipBytes(labels(2)),
    },
  });
  expect(data.train[0].shape).toEqual([3, 28, 28]);
  expect(Array.from(data.train[0].data.subarray(780, 790))).toEqual(Array.from(ramp(790).subarray(780)));
  expect(Array.from(data.train[1].data)).toEqual([0, 1, 2]);
  expect(data.test[0].shape).toEqual([2, 28, 28]);
  expect(Array.from(data.test[1].data)).toEqual([0, 1]);
});

test('a missing file is named, with the names given', async () => {
  await expectError(
    () => loadFashionMnist({ files: { 'train-images-idx3-ubyte.gz': images(1), 'notes.txt': new Uint8Array(1) } }),
    DatasetError,
    lit('Fashion-MNIST: options.files lacks train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz (given: train-images-idx3-ubyte.gz, notes.txt)'),
  );
});
