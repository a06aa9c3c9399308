// The Keras 3.5 fixture loaded in both projects (the Chromium one included), from a File
// as a page would get it: its predictions on a slice of the real task-A test images match
// a float64 forward pass of the weights as src/io reads them, evaluate() agrees, and the
// model survives a trip through IndexedDB (in a page) or names why not (in Node).
// The full 8,000-image evaluation is in fixtures-eval.node.test.ts.

import { afterEach, beforeAll, expect, test, vi } from 'vitest';
import { readIdx } from '../../src/data/idx.ts';
import { NDArray } from '../../src/data/ndarray.ts';
import { splitDataset3rdEdition } from '../../src/data/split.ts';
import { ModelFileError } from '../../src/io/errors.ts';
import { readKerasModel } from '../../src/io/keras-zip.ts';
import { ready } from '../../src/kernels/device.ts';
import { loadModel } from '../../src/io/save.ts';
import type { Sequential } from '../../src/nn/model/sequential.ts';
import { blobBytes } from '../../src/io/browser-files.ts';
import { FIXTURES, readBytes } from '../util/files.ts';
import { type Arr, matmul, softmax } from '../util/reference.ts';

const FILE = 'model_A_keras3.5.keras';
const DATA = '/usr/share/datasets/fashion-mnist';
const N = 64;
const inBrowser = typeof document !== 'undefined';

let bytes: Uint8Array;
let x: NDArray;
let y: NDArray;

beforeAll(async () => {
  await ready();
  bytes = await readBytes(`${FIXTURES}/keras/${FILE}`);
  const images = await readIdx(await readBytes(`${DATA}/t10k-images-idx3-ubyte.gz`), 't10k-images');
  const labels = await readIdx(await readBytes(`${DATA}/t10k-labels-idx1-ubyte.gz`), 't10k-labels');
  // The first test images of task A (3rd edition: T-shirt/top and pullover removed).
  [x, y] = splitDataset3rdEdition(images.slice(0, 2 * N).div(255), labels.slice(0, 2 * N))[0];
  [x, y] = [x.slice(0, N), y.slice(0, N)];
});

afterEach(() => {
  vi.restoreAllMocks();
});

/** Flatten -> Dense relu x3 -> Dense softmax in float64, from the weights src/io reads. */
async function referenceProbabilities(): Promise<Arr> {
  const file = await readKerasModel(bytes);
  let h: Arr = { data: Float64Array.from(x.toFloat32()), shape: [x.length, 784] };
  file.layers.slice(1).forEach(({ weights: [kernel, bias] }, i, all) => {
    const z = matmul(h, { data: Float64Array.from(kernel.data), shape: kernel.shape });
    const [rows, cols] = z.shape;
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) z.data[r * cols + c] += bias.data[c];
    h = i === all.length - 1 ? softmax(z, 1) : { data: z.data.map((v) => Math.max(v, 0)), shape: z.shape };
  });
  return h;
}

test(`${FILE} from a File: predictions and evaluate() match a float64 reference on ${N} test-A images`, async () => {
  const model = (await loadModel(new File([bytes as Uint8Array<ArrayBuffer>], FILE))) as Sequential;
  expect(model.layers.map((l) => l.name)).toEqual(['flatten', 'dense_1', 'dense_2', 'dense_3', 'dense_4']);
  const ref = await referenceProbabilities();
  const out = await model.predict(x);
  const got = await out.data();
  out.dispose();
  const worst = got.reduce((m, v, i) => Math.max(m, Math.abs(v - ref.data[i])), 0);
  expect(worst).toBeLessThan(1e-5);

  let hits = 0;
  let loss = 0;
  for (let r = 0; r < N; r++) {
    const row = Array.from(ref.data.subarray(r * 8, r * 8 + 8));
    hits += Number(row.indexOf(Math.max(...row)) === y.at(r));
    loss -= Math.log(row[y.at(r)]) / N;
  }
  const [evalLoss, evalAccuracy] = await model.evaluate(x, y);
  expect(evalAccuracy).toBe(hits / N);
  expect(Math.abs(evalLoss - loss)).toBeLessThan(1e-5);
  expect(hits / N).toBeGreaterThan(0.8);
  model.dispose();
});

test('from a URL (fetched): the same model as from the bytes', async () => {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  const fromUrl = await loadModel(`data:application/octet-stream;base64,${btoa(binary)}`);
  const fromBytes = await loadModel(bytes);
  const [a, b] = [await fromUrl.getWeights(), await fromBytes.getWeights()];
  expect(a.map((w) => Array.from(w.data))).toEqual(b.map((w) => Array.from(w.data)));
  expect(fromUrl.compiled?.optimizer.iterations).toBe(27520);
  fromUrl.dispose();
  fromBytes.dispose();
});

test('saved to IndexedDB and loaded back, or offered as a download, in a page; named errors in Node', async () => {
  const model = await loadModel(bytes);
  if (!inBrowser) {
    const error = await model.save('indexeddb://model-a').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelFileError);
    expect((error as ModelFileError).message).toMatch(/IndexedDB is not available here/);
    model.dispose();
    return;
  }
  await model.save('indexeddb://model-a');
  const back = await loadModel('indexeddb://model-a');
  const [a, b] = [await model.getWeights(), await back.getWeights()];
  expect(b.map((w) => Array.from(w.data))).toEqual(a.map((w) => Array.from(w.data)));
  expect(back.compiled?.optimizer.iterations).toBe(27520);
  // downloads://name.h5: an anchor download of the legacy .h5 bytes.
  const created = vi.spyOn(URL, 'createObjectURL');
  const clicked: string[] = [];
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    clicked.push(this.download);
  });
  await model.save('downloads://my_model_A.h5');
  expect(clicked).toEqual(['my_model_A.h5']);
  // (HDF5 stamps object times, so the bytes differ from a second toBytes: compare what loads.)
  const downloaded = await loadModel(await blobBytes(created.mock.calls[0][0] as Blob));
  expect((await downloaded.getWeights()).map((w) => Array.from(w.data))).toEqual(a.map((w) => Array.from(w.data)));
  expect(downloaded.compiled?.optimizer.getConfig()).toEqual(model.compiled?.optimizer.getConfig());
  downloaded.dispose();
  const plain = await model.save('my_model.keras').catch((e: unknown) => e);
  expect((plain as ModelFileError).message).toMatch(/cannot save to "my_model\.keras" in a browser: use 'downloads:\/\/my_model\.keras' or 'indexeddb:\/\/name'/);
  model.dispose();
  back.dispose();
});
