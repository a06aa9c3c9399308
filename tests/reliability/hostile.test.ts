// Hostile files (issue 24), in both test projects: a file that declares more than it could
// hold, or more than the model or dataset it claims to be needs, is refused with a named
// error before anything of that size is inflated, read or allocated, and the GPU's memory
// is as it was. Rows of docs/errors.md ("Hostile files"); tests/fuzz/ mutates files at random.
import { unzipSync } from 'fflate';
import { afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import { DatasetError, Dense, GpuMemoryError, loadFashionMnist, loadModel, memory, ModelFileError, ready, Sequential, setSeed } from '../../src/index.ts';
import { readIdx } from '../../src/data/idx.ts';
import { MAX_JSON_BYTES } from '../../src/io/bounds.ts';
import { writeHdf5 } from '../../src/io/hdf5.ts';
import { ensureGroup } from '../../src/io/h5-values.ts';
import { readBlob, readBody } from '../../src/io/read-body.ts';
import { readWeightsH5 } from '../../src/io/weights-h5.ts';
import { randomNormal } from '../../src/tensor/create.ts';
import { gzipBytes, idxFile, ramp } from '../data/idx-files.ts';
import { expectError, lit } from '../util/expect-error.ts';
import { part, zipArchive, type ZipPart } from '../util/zip-writer.ts';

let parts: Record<string, Uint8Array>;
beforeAll(async () => {
  await ready();
  setSeed(1);
  const model = new Sequential([new Dense(4, { inputShape: [3], name: 'hidden' }), new Dense(2, { activation: 'softmax', name: 'out' })]);
  parts = unzipSync(await model.toBytes('keras'));
  model.dispose();
});
afterEach(() => {
  vi.unstubAllGlobals();
});

const text = (b: Uint8Array) => new TextDecoder().decode(b);
const bytes = (s: string) => new TextEncoder().encode(s);
/** The tiny model's archive with its weights entry (and config) replaced. */
const keras = (weights: ZipPart, config = parts['config.json']) => zipArchive([part('metadata.json', parts['metadata.json']), part('config.json', config), weights]);
const code = (e: Error) => (e as ModelFileError | DatasetError).code;

/** Runs `load`, which must fail with `type` and `message`, and leaves GPU memory as it found it. */
async function refused(load: () => unknown, type: typeof ModelFileError | typeof DatasetError | typeof GpuMemoryError, message: RegExp, errorCode?: string): Promise<Error> {
  const before = memory();
  const error = await expectError(load, type, message);
  if (errorCode) expect(code(error)).toBe(errorCode);
  expect(memory()).toMatchObject({ bytesInUse: before.bytesInUse, buffersInUse: before.buffersInUse });
  return error;
}

describe('.keras: zip entries within their declared sizes and the config', () => {
  test('a weights entry declaring 3 GiB for a model of 26 parameters is refused before it is inflated', async () => {
    const bomb = { ...part('model.weights.h5', new Uint8Array(1024), true), size: 3 * 1024 ** 3 };
    await refused(() => loadModel(keras(bomb)), ModelFileError, /^model bytes: model\.weights\.h5 declares 3,221,225,472 bytes, more than the config's weights with optimizer state and HDF5 structure may take \(1,\d{3},\d{3}\); refused before inflating it$/, 'too-large');
  });

  test('a lying header: an entry that inflates past its declared size stops there', async () => {
    const honest = parts['model.weights.h5'];
    const liar = { ...part('model.weights.h5', new Uint8Array(4 * 1024 * 1024), true), size: honest.length };
    await refused(() => loadModel(keras(liar)), ModelFileError, lit(`model bytes: model.weights.h5 inflates past the ${honest.length.toLocaleString('en-US')} bytes its directory entry declares; the file is damaged (stopped there)`), 'too-large');
    const short = { ...part('model.weights.h5', honest, true), size: honest.length + 100 };
    await refused(() => loadModel(keras(short)), ModelFileError, lit(`inflates to ${honest.length.toLocaleString('en-US')} bytes, its directory entry declares ${(honest.length + 100).toLocaleString('en-US')}`), 'truncated');
  });

  test('a config.json declaring more than 16 MiB, and an entry listed twice', async () => {
    const config = { ...part('config.json', parts['config.json'], true), size: MAX_JSON_BYTES + 1 };
    const big = zipArchive([part('metadata.json', parts['metadata.json']), config, part('model.weights.h5', parts['model.weights.h5'])]);
    await refused(() => loadModel(big), ModelFileError, lit('model bytes: config.json declares 16,777,217 bytes, more than a JSON config may take (16,777,216); refused before inflating it'), 'too-large');
    const twice = zipArchive([part('config.json', parts['config.json']), part('config.json', bytes('{}')), part('model.weights.h5', parts['model.weights.h5'])]);
    await refused(() => loadModel(twice), ModelFileError, lit('model bytes: the zip directory is damaged (it lists config.json twice)'), 'truncated');
  });
});

describe('absurd configs: named errors before any allocation', () => {
  const withUnits = (units: number) => bytes(text(parts['config.json']).replace('"units": 4', `"units": ${units}`));
  const weights = () => part('model.weights.h5', parts['model.weights.h5']);

  test('a Dense of 2,000,000,000 units in a file: a ModelFileError naming the layer and the bytes', async () => {
    await refused(() => loadModel(keras(weights(), withUnits(2e9))), ModelFileError, lit("model bytes: webgrad: Dense 'hidden' weight 'kernel' [3,2000000000] needs 24,000,000,000 bytes, more than this adapter allows in one buffer"), 'too-large');
  });

  test('a config that needs more weights than the file holds', async () => {
    await refused(() => loadModel(keras(weights(), withUnits(20000))), ModelFileError, /^model bytes: the config's layers need 480,008 bytes of weights \(layer 'hidden' \(Dense\) alone 320,000\), but the weights file holds only [\d,]+ bytes; the config does not belong to these weights$/, 'shape-mismatch');
  });

  test('10,001 layers', async () => {
    const config = JSON.parse(text(parts['config.json'])) as { config: { layers: unknown[] } };
    const flatten = { module: 'keras.layers', class_name: 'Flatten', config: { name: 'f' }, registered_name: null };
    config.config.layers = [config.config.layers[0], ...Array.from({ length: 10000 }, (_, i) => ({ ...flatten, config: { name: `f${i}` } }))];
    await refused(() => loadModel(keras(weights(), bytes(JSON.stringify(config)))), ModelFileError, /lists 10,001 layers, more than webgrad loads \(10,000\)/, 'unsupported-content');
  });

  test('the same sizes through the API: a GpuMemoryError naming the layer, weight and bytes', async () => {
    await refused(() => new Sequential([new Dense(2e9, { inputShape: [784], name: 'huge' })]), GpuMemoryError, lit("webgrad: Dense 'huge' weight 'kernel' [784,2000000000] needs 6,272,000,000,000 bytes, more than this adapter allows in one buffer"));
    await refused(() => randomNormal([1e6, 1e6]), GpuMemoryError, lit('webgrad: a random tensor [1000000,1000000] needs 4,000,000,000,000 bytes'));
  });
});

test('HDF5: a compressed dataset declaring more values than the file can hold is refused before it is read', async () => {
  const file = await writeHdf5((f) => {
    const vars = ensureGroup(f, 'layers/dense/vars');
    vars.create_dataset({ name: '0', data: new Float32Array(1024 * 1024), shape: [1024, 1024], dtype: '<f', chunks: [256, 256], compression: 9 });
    ensureGroup(f, 'vars');
  });
  expect(file.length).toBeLessThan(1024 * 1024);
  await refused(() => readWeightsH5(file, 'zeros.weights.h5'), ModelFileError, /^zeros\.weights\.h5: dataset layers\/dense\/vars\/0 declares shape \[1024, 1024\] \(4,194,304 bytes\), more than the file has left to hold it \([\d,]+ bytes\); the file is damaged$/, 'too-large');
});

describe('IDX datasets: the header first, then exactly that much', () => {
  const header = (shape: number[]) => idxFile(shape, []);
  const labels = (n: number) => idxFile([n], ramp(n).map((v) => v % 10));
  const given = async (trainImages: Uint8Array) => ({
    'train-images-idx3-ubyte.gz': trainImages,
    'train-labels-idx1-ubyte': labels(2),
    't10k-images-idx3-ubyte': idxFile([1, 28, 28], ramp(784)),
    't10k-labels-idx1-ubyte': labels(1),
  });

  test('a given file whose header claims 2,000,000,000 images: mismatch, named, no advice to re-download', async () => {
    const bomb = await gzipBytes(Uint8Array.from([...header([2e9, 28, 28]), ...new Uint8Array(1 << 20)]));
    const error = await refused(async () => loadFashionMnist({ files: await given(bomb) }), DatasetError, lit('train-images-idx3-ubyte.gz: the IDX header says 2000000000x28x28, but Fashion-MNIST training images are at most 60000x28x28 (n images of 28x28, n <= 60000); this is not that file'), 'mismatch');
    expect(error.message).not.toMatch(/delete|get it again|out of range/);
  });

  test('gzip data that runs past its header stops there; a header unlike the kind; no kind: an absolute bound', async () => {
    const long = await gzipBytes(Uint8Array.from([...idxFile([2, 28, 28], ramp(1568)), ...new Uint8Array(2 << 20)]));
    await refused(async () => loadFashionMnist({ files: await given(long) }), DatasetError, lit('train-images-idx3-ubyte.gz: the data runs past the 1,584 bytes its header declares (stopped there)'), 'corrupt');
    await refused(() => readIdx(long, 'cached.gz', { advice: '; delete the file and get it again' }), DatasetError, /\(stopped there\); delete the file and get it again$/);
    await refused(async () => loadFashionMnist({ files: await given(idxFile([1, 27, 28], ramp(756))) }), DatasetError, /the IDX header says 1x27x28, but Fashion-MNIST training images are at most 60000x28x28/, 'mismatch');
    await refused(async () => readIdx(await gzipBytes(header([100000, 100000])), 'big.gz'), DatasetError, lit('big.gz: the IDX header says 100000x100000 = 10,000,000,000 bytes of data, more than webgrad reads from one IDX file (268,435,456)'), 'too-large');
  });
});

describe('bodies read within a bound, a lying Content-Length included', () => {
  /** An endless body: 64 KiB chunks for as long as anyone reads; counts what was pulled. */
  function endless(): { stream: ReadableStream<Uint8Array>; pulled: () => number } {
    let pulled = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(c) {
        pulled++;
        c.enqueue(new Uint8Array(64 * 1024));
      },
    });
    return { stream, pulled: () => pulled };
  }
  const tooLarge = (seen: number, max: number, declared: boolean) => new RangeError(`${declared ? 'declared' : 'read'} ${seen} > ${max}`);

  test('a Content-Length past the bound is refused unread; a body past it is cancelled there; a Blob by its size', async () => {
    const big = endless();
    await expect(readBody(new Response(big.stream, { headers: { 'content-length': '5000000' } }), 1 << 20, tooLarge)).rejects.toThrow('declared 5000000 > 1048576');
    expect(big.pulled()).toBeLessThanOrEqual(1);
    const liar = endless();
    await expect(readBody(new Response(liar.stream, { headers: { 'content-length': '1000' } }), 1 << 20, tooLarge)).rejects.toThrow('read 1114112 > 1048576');
    expect(liar.pulled()).toBeLessThan(20);
    // A picked or dropped File knows its size: it is refused before anything is read.
    await expect(readBlob(new Blob([new Uint8Array(100)]), 50, tooLarge)).rejects.toThrow('declared 100 > 50');
    expect(await readBlob(new Blob([new Uint8Array(50)]), 50, tooLarge)).toHaveLength(50);
  });

  test('loadFashionMnist({ url }): a file served past its kind\'s size is a too-large DatasetError naming the URL', async () => {
    const small = { 'train-images-idx3-ubyte.gz': await gzipBytes(idxFile([2, 28, 28], ramp(1568))), 't10k-images-idx3-ubyte.gz': await gzipBytes(idxFile([1, 28, 28], ramp(784))), 't10k-labels-idx1-ubyte.gz': await gzipBytes(labels(1)) };
    vi.stubGlobal('fetch', async (url: string) => {
      const name = url.split('/').pop()!;
      if (name in small) return new Response(small[name as keyof typeof small] as Uint8Array<ArrayBuffer>);
      return new Response(endless().stream, { headers: { 'content-length': '100' } });
    });
    await refused(() => loadFashionMnist({ url: 'https://example.test/fm/' }), DatasetError, /^https:\/\/example\.test\/fm\/train-labels-idx1-ubyte\.gz: sent more than 6\d,\d{3} bytes, more than Fashion-MNIST training labels can take \(6\d,\d{3}\); refused there$/, 'too-large');
  });

  function labels(n: number) {
    return idxFile([n], ramp(n).map((v) => v % 10));
  }
});
