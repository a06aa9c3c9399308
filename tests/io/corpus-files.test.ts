// What src/io reads from the six real Keras files of shared/fixtures/keras-corpus, below the
// model level: the container told by the bytes (a `.keras` name on an HDF5 file), the
// version, the compile config exactly as stored, the Windows `.keras` whose weight groups are
// `layers\dense`, string attributes of either HDF5 kind, and the Keras 3.10 `.h5` (weight
// paths without `:0`, BatchNormalization's four weights), whose weights a float64 forward
// pass here turns into the corpus figures.

import { beforeAll, describe, expect, test } from 'vitest';
import { readIdx } from '../../src/data/idx.ts';
import { detectFormat, readModelFile } from '../../src/io/files.ts';
import type { Group } from 'h5wasm';
import { readHdf5 } from '../../src/io/hdf5.ts';
import type { KerasJson, ModelFile } from '../../src/io/model-file.ts';
import { FIXTURES, readBytes } from '../util/files.ts';

const CORPUS = `${FIXTURES}/keras-corpus`;
const DATA = '/usr/share/datasets/fashion-mnist';
const NTU = 'NTU-DL-APP__dnn-inference-113C52002__model_model.h5';
const WINDOWS = 'schr0841__HOML3e__my_model_A.keras';

interface Entry {
  file: string;
  keras_version: string;
  container: 'hdf5' | 'keras_zip';
  training_config_raw: string;
  accuracy: number;
  loss: number;
}

const entries = JSON.parse(new TextDecoder().decode(await readBytes(`${CORPUS}/corpus.json`))) as Entry[];
const files = new Map<string, ModelFile>();
const bytesOf = new Map<string, Uint8Array>();

beforeAll(async () => {
  for (const e of entries) {
    const bytes = await readBytes(`${CORPUS}/${e.file}`);
    bytesOf.set(e.file, bytes);
    files.set(e.file, await readModelFile(bytes, e.file));
  }
});

describe.each(entries)('$file', (entry) => {
  test('container from the bytes, version, and the compile config as stored', () => {
    const m = files.get(entry.file)!;
    expect(detectFormat(bytesOf.get(entry.file)!)).toBe(entry.container === 'hdf5' ? 'h5' : 'keras');
    expect(m.format).toBe(entry.container === 'hdf5' ? 'h5' : 'keras');
    expect(m.kerasVersion).toBe(entry.keras_version);
    expect(m.trainingConfig).toEqual(JSON.parse(entry.training_config_raw));
    // Every layer of the config has its weights, in model order (the Sequential's InputLayer aside).
    const configLayers = ((m.modelConfig.config as KerasJson).layers as KerasJson[]).slice(1);
    expect(m.layers.map((l) => l.name)).toEqual(configLayers.map((l) => (l.config as KerasJson).name));
  });
});

test(`${WINDOWS}: the weight groups 'layers\\dense', ... (tf.keras 2.15 on Windows) are read by class name`, () => {
  const m = files.get(WINDOWS)!;
  expect(m.layers.map((l) => [l.name, l.weights.map((w) => w.name)])).toEqual([
    ['flatten_1', []],
    ['dense_3', ['layers\\dense/vars/0', 'layers\\dense/vars/1']],
    ['dense_4', ['layers\\dense_1/vars/0', 'layers\\dense_1/vars/1']],
    ['dense_5', ['layers\\dense_2/vars/0', 'layers\\dense_2/vars/1']],
    ['dense_6', ['layers\\dense_3/vars/0', 'layers\\dense_3/vars/1']],
  ]);
  expect(m.layers.slice(1).map((l) => l.weights.map((w) => w.shape))).toEqual([
    [[784, 100], [100]],
    [[100, 100], [100]],
    [[100, 100], [100]],
    [[100, 8], [8]],
  ]);
  expect(m.optimizerWeights.length).toBe(9); // iteration + one momentum per variable (tf.keras 2.15's SGD)
});

test('HDF5 string attributes: variable-length and fixed-length (by Keras version) both read', async () => {
  const kinds = async (path: string) =>
    readHdf5(await readBytes(path), path, (f) => {
      const kind = (o: Group, name: string) => (o.attrs[name].metadata.vlen ? 'variable' : 'fixed');
      const weights = f.get('model_weights') as Group;
      const layers = weights.keys().map((k) => weights.get(k) as Group);
      return { model_config: kind(f, 'model_config'), layer_names: kind(weights, 'layer_names'), weight_names: [...new Set(layers.map((l) => kind(l, 'weight_names')))].sort() };
    });
  const found: Record<string, unknown> = {};
  for (const e of entries.filter((e) => e.container === 'hdf5')) found[e.file] = await kinds(`${CORPUS}/${e.file}`);
  // tf.keras 2.6+ and Keras 3 write names as variable-length strings (an empty list, of a
  // layer without weights, as a fixed-length array); tf.keras 2.4 wrote fixed-length ones.
  const recent = { model_config: 'variable', layer_names: 'variable', weight_names: ['fixed', 'variable'] };
  expect(found).toEqual(Object.fromEntries(Object.keys(found).map((f) => [f, recent])));
  expect(await kinds(`${FIXTURES}/keras/model_A_keras2.4.h5`)).toEqual({ model_config: 'variable', layer_names: 'fixed', weight_names: ['fixed'] });
});

test('model_config, training_config and keras_version as fixed-length ASCII strings (Keras 2.0-2.3 stored bytes) read like variable-length ones', async () => {
  const tfKeras2 = entries.find((e) => e.container === 'hdf5' && e.keras_version.startsWith('2.'))!.file;
  const h5 = await import('h5wasm');
  const { FS } = await h5.ready;
  FS.writeFile('/fixed.h5', bytesOf.get(tfKeras2)!);
  const f = new h5.File('/fixed.h5', 'a');
  for (const name of ['model_config', 'training_config', 'keras_version']) {
    const text = f.attrs[name].value as string;
    f.delete_attribute(name);
    f.create_attribute(name, text, null, `A${text.length + 1}`);
    expect(f.attrs[name].metadata.vlen).toBe(false);
  }
  f.close();
  const fixed = await readModelFile(FS.readFile('/fixed.h5'), 'fixed.h5');
  FS.unlink('/fixed.h5');
  const original = files.get(tfKeras2)!;
  expect([fixed.modelConfig, fixed.trainingConfig, fixed.kerasVersion]).toEqual([original.modelConfig, original.trainingConfig, original.kerasVersion]);
});

describe(`${NTU} (Keras 3.10 legacy .h5 with BatchNormalization)`, () => {
  test('weight paths without :0; BatchNormalization as gamma, beta, moving_mean, moving_variance', () => {
    const m = files.get(NTU)!;
    expect(m.layers[1].weights.map((w) => w.name)).toEqual(['sequential/dense/kernel', 'sequential/dense/bias']);
    expect(m.layers[2].weights.map((w) => [w.name, w.shape])).toEqual([
      ['sequential/batch_normalization/gamma', [256]],
      ['sequential/batch_normalization/beta', [256]],
      ['sequential/batch_normalization/moving_mean', [256]],
      ['sequential/batch_normalization/moving_variance', [256]],
    ]);
    const bn = ((m.modelConfig.config as KerasJson).layers as KerasJson[])[3];
    expect(bn.class_name).toBe('BatchNormalization');
    expect(bn.config).toMatchObject({ axis: -1, momentum: 0.99, epsilon: 0.001, center: true, scale: true });
  });

  test('a float64 forward pass of the weights read gives the corpus accuracy and loss on all 10,000 test images', async () => {
    const m = files.get(NTU)!;
    const entry = entries.find((e) => e.file === NTU)!;
    const images = await readIdx(await readBytes(`${DATA}/t10k-images-idx3-ubyte.gz`), 't10k-images');
    const labels = await readIdx(await readBytes(`${DATA}/t10k-labels-idx1-ubyte.gz`), 't10k-labels');
    const n = images.length;
    let h = Float64Array.from(images.toFloat32(), (v) => Math.fround(v / 255));
    let width = 784;
    const configs = ((m.modelConfig.config as KerasJson).layers as KerasJson[]).slice(1);
    m.layers.forEach((layer, i) => {
      const c = configs[i].config as KerasJson;
      if (configs[i].class_name === 'Dense') {
        const [kernel, bias] = layer.weights;
        const units = kernel.shape[1];
        const out = new Float64Array(n * units);
        for (let r = 0; r < n; r++) {
          const row = out.subarray(r * units, (r + 1) * units);
          row.set(bias.data);
          for (let k = 0; k < width; k++) {
            const v = h[r * width + k];
            if (v !== 0) for (let u = 0; u < units; u++) row[u] += v * kernel.data[k * units + u];
          }
          if (c.activation === 'relu') for (let u = 0; u < units; u++) row[u] = Math.max(row[u], 0);
          if (c.activation === 'softmax') {
            const top = Math.max(...row);
            let s = 0;
            for (let u = 0; u < units; u++) s += row[u] = Math.exp(row[u] - top);
            for (let u = 0; u < units; u++) row[u] /= s;
          }
        }
        [h, width] = [out, units];
      } else if (configs[i].class_name === 'BatchNormalization') {
        // Inference: gamma * (x - moving_mean) / sqrt(moving_variance + epsilon) + beta.
        const [gamma, beta, mean, variance] = layer.weights.map((w) => w.data);
        const eps = c.epsilon as number;
        for (let j = 0; j < h.length; j++) {
          const u = j % width;
          h[j] = (gamma[u] * (h[j] - mean[u])) / Math.sqrt(variance[u] + eps) + beta[u];
        }
      }
    });
    let hits = 0;
    let loss = 0;
    for (let r = 0; r < n; r++) {
      const row = Array.from(h.subarray(r * width, (r + 1) * width));
      const label = labels.at(r);
      hits += Number(row.indexOf(Math.max(...row)) === label);
      loss -= Math.log(Math.min(Math.max(row[label], 1e-7), 1 - 1e-7)) / n;
    }
    expect((hits / n).toFixed(4)).toBe(entry.accuracy.toFixed(4));
    expect(Math.abs(loss - entry.loss)).toBeLessThan(1e-3);
  });
});
