// Damaged files, in both test projects: truncated or corrupt IDX datasets get a DatasetError,
// truncated or corrupt .h5 / .keras / .weights.h5 files a ModelFileError, each with a code and
// a message naming the file; a failed load changes no weight. Rows of docs/errors.md ("Files").
import { beforeAll, describe, expect, test } from 'vitest';
import { DatasetError, Dense, loadModel, ModelFileError, ready, Sequential, SGD, setSeed } from '../../src/index.ts';
import { parseIdx, readIdx } from '../../src/data/idx.ts';
import { gzipBytes, idxFile, ramp } from '../data/idx-files.ts';
import { expectError, lit } from '../util/expect-error.ts';

beforeAll(async () => {
  await ready();
});

describe('IDX datasets: a DatasetError with a code, naming the file', () => {
  const images = idxFile([3, 4, 4], ramp(48));
  const cases: [string, () => Promise<unknown>, string, RegExp][] = [
    ['empty file', () => readIdx(new Uint8Array(0), 'empty-idx'), 'truncated', lit('empty-idx: truncated: 0 bytes, an IDX header needs at least 4')],
    ['header cut short', () => readIdx(images.slice(0, 10), 'short-idx'), 'truncated', lit('short-idx: truncated: the header of a 3-d IDX file needs 16 bytes, found 10')],
    ['data cut short', () => readIdx(images.slice(0, 40), 'cut-idx'), 'truncated', lit('cut-idx: truncated: header says 3x4x4 = 48 bytes of data, found 24')],
    ['trailing bytes', () => readIdx(Uint8Array.from([...images, 1, 2]), 'long-idx'), 'corrupt', lit('long-idx: 2 trailing bytes')],
    ['not IDX', () => readIdx(new TextEncoder().encode('<html>not found</html>'), 'page-idx'), 'corrupt', lit('page-idx: not an IDX file: starts with 3c 68 74 6d')],
    ['zero dimensions', () => readIdx(Uint8Array.from([0, 0, 8, 0]), 'zero-idx'), 'corrupt', lit('zero-idx: IDX header says 0 dimensions')],
    ['float IDX', () => readIdx(idxFile([2], [0, 0], 0x0d), 'float-idx'), 'unsupported', lit('float-idx: IDX type 0x0d (float32) is not supported')],
  ];
  test.each(cases)('%s', async (_, run, code, message) => {
    const error = await expectError(run, DatasetError, message);
    expect((error as DatasetError).code).toBe(code);
  });

  test('gzip: a cut-off stream and a damaged one are corrupt; gzip bytes given to parseIdx are refused', async () => {
    const gz = await gzipBytes(images);
    const cut = await expectError(() => readIdx(gz.slice(0, gz.length - 12), 'cut.gz'), DatasetError, /^cut\.gz: /);
    expect((cut as DatasetError).code).toMatch(/^(corrupt|truncated)$/);
    const damaged = gz.slice();
    for (let i = 12; i < 24; i++) damaged[i] ^= 0xff;
    expect(((await expectError(() => readIdx(damaged, 'bad.gz'), DatasetError, lit('bad.gz: corrupt gzip data'))) as DatasetError).code).toBe('corrupt');
    expect(((await expectError(() => parseIdx(gz, 'raw.gz'), DatasetError, /readIdx\(\), which gunzips first/)) as DatasetError).code).toBe('unsupported');
  });
});

describe('model files: a ModelFileError, and the model that tried to load keeps its weights', () => {
  let bytes: Record<'h5' | 'keras' | 'weights.h5', Uint8Array>;
  let model: Sequential;
  beforeAll(async () => {
    setSeed(5);
    model = new Sequential([new Dense(6, { activation: 'relu', inputShape: [4] }), new Dense(3, { activation: 'softmax' })]);
    model.compile({ optimizer: new SGD(), loss: 'sparse_categorical_crossentropy' });
    bytes = { h5: await model.toBytes('h5'), keras: await model.toBytes('keras'), 'weights.h5': await model.toBytes('weights.h5') };
  });

  const load = (format: keyof typeof bytes, b: Uint8Array) => (format === 'weights.h5' ? model.loadWeights(b) : loadModel(b));
  const flip = (b: Uint8Array, from: number, count: number) => {
    const c = b.slice();
    for (let i = from; i < from + count; i++) c[i] ^= 0x5a;
    return c;
  };

  test.each(['h5', 'keras', 'weights.h5'] as const)('%s cut at 10%%, 50%%, 90%% and 99%%', async (format) => {
    for (const fraction of [0.1, 0.5, 0.9, 0.99]) {
      const cut = bytes[format].slice(0, Math.floor(bytes[format].length * fraction));
      const error = await expectError(() => load(format, cut), ModelFileError, /^model bytes: /, /damaged or cut short/);
      expect((error as ModelFileError).code, `${format} at ${fraction}`).toBe('truncated');
    }
  });

  test('a damaged HDF5 superblock and a damaged zip end-of-directory record', async () => {
    for (const format of ['h5', 'weights.h5'] as const) {
      const error = await expectError(() => load(format, flip(bytes[format], 8, 32)), ModelFileError, /^model bytes: /, /damaged or cut short/);
      expect((error as ModelFileError).code).toBe('truncated');
    }
    const zip = bytes.keras;
    const error = await expectError(() => loadModel(flip(zip, zip.length - 16, 16)), ModelFileError, /^model bytes: /, /damaged or cut short/);
    expect((error as ModelFileError).code).toBe('truncated');
  });

  test('.keras: any changed byte inside an entry fails its CRC-32 (as Python zipfile would)', async () => {
    const zip = bytes.keras;
    for (const at of [0.2, 0.5, 0.8]) {
      const error = await expectError(() => loadModel(flip(zip, Math.floor(zip.length * at), 8)), ModelFileError, /^model bytes: /);
      expect((error as ModelFileError).code).toBe('truncated');
    }
    await expectError(() => loadModel(flip(zip, Math.floor(zip.length * 0.5), 1)), ModelFileError, /model\.weights\.h5 fails its CRC-32 check \(recorded [0-9a-f]{8}, found [0-9a-f]{8}\); the file is damaged/);
  });

  test('a weights file that fails to load leaves every weight as it was', async () => {
    const before = (await model.getWeights()).map((w) => Array.from(w.data));
    const cut = bytes['weights.h5'].slice(0, bytes['weights.h5'].length - 100);
    await expectError(() => model.loadWeights(cut), ModelFileError);
    expect((await model.getWeights()).map((w) => Array.from(w.data))).toEqual(before);
  });
});
