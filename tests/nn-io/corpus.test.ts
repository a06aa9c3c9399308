// The six real Keras files of shared/fixtures/keras-corpus (tf.keras 2.6 to Keras 3.10, `.h5`
// and `.keras`, saved by other people), each loaded with loadModel's DEFAULT options and
// evaluated on the Fashion-MNIST test split it was trained for: accuracy (4 decimals) and loss
// (1e-3, against either loss variant) must match corpus.json's independent NumPy figures, and
// the compile state must be what the file's training/compile config says. Both projects.

import { afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import { readIdx } from '../../src/data/idx.ts';
import type { NDArray } from '../../src/data/ndarray.ts';
import { splitDataset, splitDataset3rdEdition } from '../../src/data/split.ts';
import { readModelFile } from '../../src/io/files.ts';
import { ready } from '../../src/kernels/device.ts';
import { loadModel } from '../../src/io/save.ts';
import { FIXTURES, readBytes } from '../util/files.ts';

const CORPUS = `${FIXTURES}/keras-corpus`;
const DATA = '/usr/share/datasets/fashion-mnist';

interface Entry {
  file: string;
  keras_version: string;
  container: 'hdf5' | 'keras_zip';
  training_config_raw: string;
  loss_name: string;
  test_split: 'fmnist_test_all10' | 'fmnist_test_A_2nd_ed' | 'fmnist_test_A_3rd_ed';
  n_test: number;
  accuracy: number;
  loss: number;
  loss_variants: { from_logits_unclipped_exact: number };
}

const entries = JSON.parse(new TextDecoder().decode(await readBytes(`${CORPUS}/corpus.json`))) as Entry[];

let test10k: [NDArray, NDArray];

beforeAll(async () => {
  await ready();
  const images = await readIdx(await readBytes(`${DATA}/t10k-images-idx3-ubyte.gz`), 't10k-images');
  const labels = await readIdx(await readBytes(`${DATA}/t10k-labels-idx1-ubyte.gz`), 't10k-labels');
  test10k = [images.div(255), labels];
});

afterEach(() => {
  vi.restoreAllMocks();
});

/** The README's splits of the 10,000 test images. */
function split(name: Entry['test_split']): [NDArray, NDArray] {
  const [x, y] = test10k;
  if (name === 'fmnist_test_all10') return [x, y];
  return name === 'fmnist_test_A_2nd_ed' ? splitDataset(x, y)[0] : splitDataset3rdEdition(x, y)[0];
}

/** What the file's own config says compile() was given: optimizer class and learning rate, metric names. */
function compiledAs(raw: string): { optimizer: string; learningRate: number; metrics: string[] } {
  const c = JSON.parse(raw) as Record<string, unknown>;
  const opt = (c.optimizer_config ?? c.optimizer) as { class_name: string; config: { learning_rate: number } };
  const names = (m: unknown): string[] =>
    Array.isArray(m) ? m.flatMap(names) : [typeof m === 'string' ? m : (m as { config: { name: string } }).config.name];
  return { optimizer: opt.class_name.replace(/^.*>/, ''), learningRate: opt.config.learning_rate, metrics: names(c.metrics) };
}

describe.each(entries)('$file (Keras $keras_version, $container)', (entry) => {
  test('loads with default options, compiled as its file says, and evaluates to its reference figures', async () => {
    const bytes = await readBytes(`${CORPUS}/${entry.file}`);
    // The container is decided by the bytes: a `.keras` name on an HDF5 file loads as HDF5.
    expect(entry.container === 'hdf5').toBe(bytes[1] === 0x48 && bytes[2] === 0x44 && bytes[3] === 0x46);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const model = await loadModel(new File([bytes as Uint8Array<ArrayBuffer>], entry.file));
    // The one warning Keras 3 gives these files too: tf.keras 2.15's SGD kept momentum slots Keras 3's SGD(momentum=0) lacks.
    for (const [message] of warn.mock.calls) expect(String(message)).toMatch(/skipping the optimizer state/);
    // Otherwise the optimizer state is restored: its step count is the file's.
    const saved = (await readModelFile(bytes)).optimizerWeights.find((w) => w.dtype === 'int64')?.data[0];
    expect(model.compiled?.optimizer.iterations).toBe(warn.mock.calls.length > 0 ? 0 : saved);

    const expected = compiledAs(entry.training_config_raw);
    const c = model.compiled;
    expect(c, 'compiled from the file').not.toBeNull();
    expect(c?.loss.name).toBe(entry.loss_name);
    expect(c?.optimizer.className).toBe(expected.optimizer);
    expect(c?.optimizer.learningRate).toBe(expected.learningRate);
    expect(c?.metrics.map((m) => m.name)).toEqual(expected.metrics);

    const [x, y] = split(entry.test_split);
    expect(x.length).toBe(entry.n_test);
    const [loss, accuracy] = await model.evaluate(x, y, { batchSize: 500 });
    expect(accuracy.toFixed(4)).toBe(entry.accuracy.toFixed(4));
    const nearest = Math.min(Math.abs(loss - entry.loss), Math.abs(loss - entry.loss_variants.from_logits_unclipped_exact));
    expect(nearest, `loss ${loss} against ${entry.loss} / ${entry.loss_variants.from_logits_unclipped_exact}`).toBeLessThan(1e-3);
    model.dispose();
  });
});
