// Node's side of loadFashionMnist (src/data/locate.ts, download.ts): the folder search
// order, un-gzipped file names, and the errors for missing, damaged or badly downloaded
// files. Downloads are injected or turned off: no test touches the network.
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { loadFashionMnist } from '../../src/data/fashion-mnist.ts';
import { cacheDir, searchDirs } from '../../src/data/locate.ts';
import { gzipBytes, idxFile, ramp } from './idx-files.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'webgrad-fmnist-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Writes a tiny Fashion-MNIST (n train, m test images of 28x28) into `dir`. */
async function writeTiny(n: number, m: number, gzip: boolean, labels = [3, 9, 0]): Promise<void> {
  const files: [string, Uint8Array][] = [
    ['train-images-idx3-ubyte', idxFile([n, 28, 28], ramp(n * 784))],
    ['train-labels-idx1-ubyte', idxFile([n], labels.slice(0, n))],
    ['t10k-images-idx3-ubyte', idxFile([m, 28, 28], ramp(m * 784))],
    ['t10k-labels-idx1-ubyte', idxFile([m], labels.slice(0, m))],
  ];
  for (const [name, bytes] of files) {
    await writeFile(join(dir, gzip ? `${name}.gz` : name), gzip ? await gzipBytes(bytes) : bytes);
  }
}

describe('searchDirs', () => {
  const env = { FASHION_MNIST_DIR: 'fm', XDG_CACHE_HOME: '/xdg' };
  test('order: $FASHION_MNIST_DIR, ./data/fashion-mnist, Debian, cache', () => {
    expect(searchDirs(undefined, env, '/proj', '/home/u').map((d) => d.dir)).toEqual([
      '/proj/fm',
      '/proj/data/fashion-mnist',
      '/usr/share/datasets/fashion-mnist',
      '/xdg/webgrad/fashion-mnist',
    ]);
    expect(searchDirs(undefined, {}, '/proj', '/home/u').map((d) => d.dir)).toEqual([
      '/proj/data/fashion-mnist',
      '/usr/share/datasets/fashion-mnist',
      '/home/u/.cache/webgrad/fashion-mnist',
    ]);
    expect(cacheDir({}, '/home/u')).toBe('/home/u/.cache/webgrad/fashion-mnist');
  });

  test('an explicit path is the only folder', () => {
    expect(searchDirs('here', env, '/proj', '/home/u')).toEqual([{ dir: '/proj/here', why: 'options.path' }]);
  });
});

describe('loadFashionMnist in Node', () => {
  test('un-gzipped file names; normalize scales by 1/255', async () => {
    await writeTiny(3, 2, false);
    const { train, test: testSet } = await loadFashionMnist({ path: dir, normalize: true, download: false });
    expect(train[0].shape).toEqual([3, 28, 28]);
    expect(train[0].scale).toBe(1 / 255);
    expect(train[0].data.subarray(0, 3)).toEqual(Uint8Array.from([0, 1, 2]));
    expect(Array.from(train[1].data)).toEqual([3, 9, 0]);
    expect(train[1].scale).toBe(1);
    expect(testSet[0].shape).toEqual([2, 28, 28]);
    expect(Array.from(testSet[1].data)).toEqual([3, 9]);
  });

  test('missing files: the error lists the folders and says how to get the data', async () => {
    const err = await loadFashionMnist({ path: dir, download: false }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    const msg = (err as Error).message;
    expect(msg).toContain('Fashion-MNIST not found. Looked for train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz');
    expect(msg).toContain(`  ${dir} (options.path)\n`);
    expect(msg).toContain('and downloading is off (download: false).');
    expect(msg).toContain('`sudo apt-get install dataset-fashion-mnist`');
    expect(msg).toContain('put the four files in ./data/fashion-mnist, or set FASHION_MNIST_DIR');
  });

  test('a failed download is reported in the error', async () => {
    const offline = async (): Promise<Uint8Array> => {
      throw new Error('network unreachable');
    };
    await expect(loadFashionMnist({ path: dir, download: offline })).rejects.toThrow(
      `downloading from https://storage.googleapis.com/tensorflow/tf-keras-datasets/ into ${dir} failed: network unreachable.`,
    );
  });

  test('a download whose SHA-256 differs from Keras\'s is refused and not kept', async () => {
    const urls: string[] = [];
    const wrong = Uint8Array.from([1, 2, 3]);
    const fetcher = async (url: string): Promise<Uint8Array> => {
      urls.push(url);
      return wrong;
    };
    const hash = createHash('sha256').update(wrong).digest('hex');
    await expect(loadFashionMnist({ path: dir, download: fetcher })).rejects.toThrow(
      `https://storage.googleapis.com/tensorflow/tf-keras-datasets/train-images-idx3-ubyte.gz: SHA-256 is ${hash}, expected 3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84 (Keras's hash)`,
    );
    expect(urls).toEqual(['https://storage.googleapis.com/tensorflow/tf-keras-datasets/train-images-idx3-ubyte.gz']);
    expect(await readdir(dir)).toEqual([]);
  });

  test('only the files a folder lacks are downloaded', async () => {
    await writeTiny(3, 2, true);
    await rm(join(dir, 't10k-labels-idx1-ubyte.gz'));
    const urls: string[] = [];
    const fetcher = async (url: string): Promise<Uint8Array> => {
      urls.push(url);
      throw new Error('offline');
    };
    await expect(loadFashionMnist({ path: dir, download: fetcher })).rejects.toThrow('failed: offline.');
    expect(urls).toEqual(['https://storage.googleapis.com/tensorflow/tf-keras-datasets/t10k-labels-idx1-ubyte.gz']);
  });

  test('a truncated file is named by its path', async () => {
    await writeTiny(3, 2, true);
    await writeFile(join(dir, 't10k-images-idx3-ubyte.gz'), await gzipBytes(idxFile([2, 28, 28], ramp(100))));
    await expect(loadFashionMnist({ path: dir })).rejects.toThrow(
      `${join(dir, 't10k-images-idx3-ubyte.gz')}: truncated: header says 2x28x28 = 1568 bytes of data, found 100`,
    );
  });

  test('images and labels must agree', async () => {
    await writeTiny(3, 2, true);
    await writeFile(join(dir, 'train-labels-idx1-ubyte.gz'), await gzipBytes(idxFile([2], [1, 2])));
    await expect(loadFashionMnist({ path: dir })).rejects.toThrow(
      `${join(dir, 'train-labels-idx1-ubyte.gz')}: expected 3 labels (one per image in ${join(dir, 'train-images-idx3-ubyte.gz')}), got shape [2]`,
    );
    await writeTiny(3, 2, false, [3, 10, 0]);
    await rm(join(dir, 'train-labels-idx1-ubyte.gz'));
    await expect(loadFashionMnist({ path: dir })).rejects.toThrow(
      `${join(dir, 'train-labels-idx1-ubyte')}: label 10 at index 1 is not a class 0..9`,
    );
  });
});
