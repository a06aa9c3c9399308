// Files on disk (node only): a directory where a file should be, no permission (tests run as
// root, which no mode bit stops, so EACCES is injected at node:fs/promises, the seam every
// reader and writer goes through), missing and truncated dataset files. Each is a named
// error with a code and the path, and no failure destroys the file already on disk.
import { mkdir, mkdtemp, readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest';
import { DatasetError, Dense, loadModel, ModelFileError, ready, Sequential, SGD, setSeed } from '../../src/index.ts';
import { loadFashionMnist } from '../../src/data/fashion-mnist.ts';
import { idxFile, ramp } from '../data/idx-files.ts';
import { expectError, lit } from '../util/expect-error.ts';

/** Test seam: the next call of `fn` on a path inside the test folder fails with errno `code`. */
const inject = vi.hoisted(() => ({ fn: '', code: '', under: '\u0000' }));
vi.mock('node:fs/promises', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs/promises')>();
  const seam =
    <A extends unknown[], R>(name: string, f: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> => {
      if (inject.fn === name && String(args[0]).startsWith(inject.under)) {
        const code = inject.code;
        inject.fn = '';
        return Promise.reject(Object.assign(new Error(`${code}: injected, ${name} '${String(args[0])}'`), { code }));
      }
      return f(...args);
    };
  const patched = { ...fs, open: seam('open', fs.open) };
  return { ...patched, default: patched };
});

let dir = '';
beforeAll(async () => {
  await ready();
});
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'webgrad-reliability-'));
  Object.assign(inject, { fn: '', code: '', under: dir });
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function small(seed: number): Sequential {
  setSeed(seed);
  const m = new Sequential([new Dense(4, { activation: 'relu', inputShape: [3] }), new Dense(2, { activation: 'softmax' })]);
  m.compile({ optimizer: new SGD(), loss: 'sparse_categorical_crossentropy' });
  return m;
}

const code = (e: Error) => (e as ModelFileError | DatasetError).code;

describe('model files', () => {
  test('a directory instead of a file: loadModel, save, saveWeights and loadWeights', async () => {
    const m = small(1);
    const folder = join(dir, 'model.keras');
    await mkdir(folder);
    for (const run of [() => loadModel(folder), () => m.save(folder), () => m.loadWeights(folder)]) {
      expect(code(await expectError(run, ModelFileError, lit(`${folder} is a directory, not a model file; give a file name`)))).toBe('is-directory');
    }
    const weights = join(dir, 'w.weights.h5');
    await mkdir(weights);
    expect(code(await expectError(() => m.saveWeights(weights), ModelFileError, /is a directory/))).toBe('is-directory');
    m.dispose();
  });

  test('no permission to read or to write: named, and the file on disk stays as it was', async () => {
    const m = small(2);
    const path = join(dir, 'model.h5');
    await m.save(path);
    const before = await readFile(path);
    // Readers open the file first (its size is checked before it is read): EACCES strikes there.
    Object.assign(inject, { fn: 'open', code: 'EACCES' });
    expect(code(await expectError(() => loadModel(path), ModelFileError, lit(`permission denied to read ${path}`)))).toBe('permission-denied');
    // The atomic writer opens its temporary file next to the target: that is where EACCES strikes.
    Object.assign(inject, { fn: 'open', code: 'EACCES' });
    const other = small(3);
    expect(code(await expectError(() => other.save(path), ModelFileError, lit(`permission denied to write ${path}`)))).toBe('permission-denied');
    expect(await readFile(path)).toEqual(before);
    expect(await readdir(dir)).toEqual(['model.h5']);
    (await loadModel(path)).dispose();
    m.dispose();
    other.dispose();
  });

  test('a save that fails while serializing (a disposed weight) keeps the previous file, which still loads', async () => {
    const m = small(4);
    const path = join(dir, 'model.keras');
    await m.save(path);
    const before = await readFile(path);
    const broken = small(5);
    broken.layers[0].weights[0].tensor.dispose();
    await expectError(() => broken.save(path), Error, /was disposed/);
    expect(await readFile(path)).toEqual(before);
    expect(await readdir(dir)).toEqual(['model.keras']);
    const loaded = await loadModel(path);
    expect((await loaded.getWeights()).map((w) => Array.from(w.data))).toEqual((await m.getWeights()).map((w) => Array.from(w.data)));
    loaded.dispose();
    broken.dispose();
    m.dispose();
  });
});

test('a model file larger than any may be is refused from its size, unread (a sparse file: no disk is used)', async () => {
  const model = join(dir, 'huge.keras');
  await writeFile(model, '');
  await truncate(model, 3 * 1024 ** 3);
  expect(code(await expectError(() => loadModel(model), ModelFileError, lit(`${model}: declares 3,221,225,472 bytes, more than a model file may take (2,147,483,648); refused before reading it`)))).toBe('too-large');
});

describe('Fashion-MNIST files', () => {
  const names = ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'];
  async function writeTiny(): Promise<void> {
    const files = [idxFile([2, 28, 28], ramp(2 * 784)), idxFile([2], [1, 2]), idxFile([1, 28, 28], ramp(784)), idxFile([1], [3])];
    for (const [i, name] of names.entries()) await writeFile(join(dir, name), files[i]);
  }
  const load = () => loadFashionMnist({ path: dir, download: false });

  test('the tiny dataset loads (the baseline for the failures below)', async () => {
    await writeTiny();
    const data = await load();
    expect(data.train[0].shape).toEqual([2, 28, 28]);
  });

  test('a file larger than its kind can be is refused from its size, unread (a sparse file)', async () => {
    await writeTiny();
    const labels = join(dir, names[1]);
    await truncate(labels, 100_000_000);
    expect(code(await expectError(load, DatasetError, lit(`${labels}: declares 100,000,000 bytes, more than Fashion-MNIST training labels can take (61,037); refused before reading it`)))).toBe('too-large');
  });

  test('a truncated file: DatasetError naming its path', async () => {
    await writeTiny();
    const path = join(dir, names[2]);
    await writeFile(path, idxFile([1, 28, 28], ramp(784)).slice(0, 500));
    expect(code(await expectError(load, DatasetError, lit(`${path}: truncated: header says 1x28x28 = 784 bytes of data, found 484`)))).toBe('truncated');
  });

  test('a directory where a file should be, no permission, a missing file', async () => {
    await writeTiny();
    const labels = join(dir, names[1]);
    await rm(labels);
    await mkdir(labels);
    expect(code(await expectError(load, DatasetError, lit(`${labels} is a directory, not a dataset file`)))).toBe('is-directory');
    await rm(labels, { recursive: true });
    await writeTiny();
    Object.assign(inject, { fn: 'open', code: 'EACCES' });
    expect(code(await expectError(load, DatasetError, /^permission denied to read .*-idx\d-ubyte; make it readable/))).toBe('permission-denied');
    await rm(join(dir, names[3]));
    expect(code(await expectError(load, DatasetError, /^Fashion-MNIST not found\. Looked for/, lit(dir), /downloading is off/))).toBe('not-found');
  });
});
