// Normalization: adapt() learns each feature's mean and biased variance (float64 reference),
// the layer standardizes (and, inverted, undoes it) with Keras's epsilon floor, its weights
// are Keras 3's (mean, variance, an int64 count), and a Sequential holding it saves and loads
// in .keras, .h5 and .weights.h5 with the statistics bit for bit.
import { beforeAll, describe, expect, test } from 'vitest';
import { cloneModel, Dense, loadModel, NDArray, Normalization, ready, type SaveFormat, Sequential, setSeed, tensor } from '../../src/index.ts';
import { expectClose, values } from '../util/check.ts';

beforeAll(async () => {
  await ready();
});

const rows = 10;
const feats = 3;
// Features on different scales, one constant (variance 0: the epsilon floor keeps it finite).
const raw = values(rows * feats, 3, -1, 1).map((v, i) => (i % feats === 0 ? 100 + 20 * v : i % feats === 1 ? v * 0.01 : 5));
const data = new NDArray(Float32Array.from(raw), [rows, feats]);

function moments(): { mean: number[]; variance: number[] } {
  const x = Float32Array.from(raw);
  const mean = Array.from({ length: feats }, (_, j) => x.filter((_, i) => i % feats === j).reduce((s, v) => s + v, 0) / rows);
  const variance = mean.map((m, j) => x.filter((_, i) => i % feats === j).reduce((s, v) => s + (v - m) ** 2, 0) / rows);
  return { mean, variance };
}

describe('Normalization', () => {
  test('adapt() stores the mean and biased variance; the layer standardizes with max(std, 1e-7)', async () => {
    const layer = new Normalization();
    await layer.adapt(data);
    const { mean, variance } = moments();
    expect(layer.weights.map((w) => [w.name, w.tensor.shape, w.trainable])).toEqual([
      ['mean', [feats], false],
      ['variance', [feats], false],
      ['count', [], false],
    ]);
    expect(layer.weights[2].dtype).toBe('int64');
    const [m, v, count] = await layer.getWeights();
    expectClose(m.toFloat32(), mean, { atol: 1e-6, rtol: 1e-6 }, 'mean');
    expectClose(v.toFloat32(), variance, { atol: 1e-9, rtol: 1e-5 }, 'variance');
    expect(Array.from(count.toFloat32())).toEqual([0]); // Keras 3's adapt leaves count at 0
    const y = await layer.apply(tensor(Float32Array.from(raw), [rows, feats]), false).data();
    const f32 = Float32Array.from(raw);
    const want = Array.from(f32, (x, i) => (x - Math.fround(mean[i % feats])) / Math.max(Math.sqrt(Math.fround(variance[i % feats])), 1e-7));
    expectClose(y, want, { atol: 1e-4, rtol: 1e-4 }, 'normalized');
    expect(Array.from(y).filter((_, i) => i % feats === 2)).toEqual(new Array(rows).fill(0)); // the constant feature

    const inverse = new Normalization({ invert: true });
    inverse.build([feats]);
    inverse.setWeights([m, v, count]);
    expectClose(await inverse.apply(tensor(y, [rows, feats]), false).data(), f32, { atol: 1e-3, rtol: 1e-5 }, 'invert undoes it');
  });

  test('bad data and unsupported axes are named errors', async () => {
    expect(() => new Normalization({ axis: 0 })).toThrow(/only axis -1 \(the last, Keras's default\) is supported, got 0/);
    const layer = new Normalization();
    await layer.adapt(data);
    await expect(layer.adapt(new NDArray(new Float32Array(8), [4, 2]))).rejects.toThrow(/the layer was built for 3 features, got data \[4,2\]/);
    await expect(new Normalization().adapt(new NDArray(new Float32Array(0), [0, 3]))).rejects.toThrow(/expected data \[samples, \.\.\., features\] with samples, got \[0,3\]/);
  });

  for (const format of ['keras', 'h5', 'weights.h5'] as SaveFormat[]) {
    test(`a Sequential with Normalization saves and loads (${format}): statistics and predictions bit for bit`, async () => {
      setSeed(2);
      const norm = new Normalization({ inputShape: [feats] });
      const model = new Sequential([norm, new Dense(2)], { name: 'normalized' });
      await norm.adapt(data);
      const bytes = await model.toBytes(format);
      let loaded: Sequential;
      if (format === 'weights.h5') {
        loaded = cloneModel(model);
        await loaded.loadWeights(bytes);
      } else loaded = (await loadModel(bytes)) as Sequential;
      expect(loaded.layers.map((l) => [l.className, l.getConfig()])).toEqual(model.layers.map((l) => [l.className, l.getConfig()]));
      const bits = async (m: Sequential) => (await m.getWeights()).map((w) => Array.from(w.toFloat32()));
      expect(await bits(loaded)).toEqual(await bits(model));
      const [p, q] = [await model.predict(data), await loaded.predict(data)];
      expect(Array.from(await q.data())).toEqual(Array.from(await p.data()));
    });
  }
});
