// Monte Carlo Dropout: MCDropout stays on at inference (plain Dropout does not), and
// mcPredict averages predict(x, { training: true }) samples on the GPU: its mean and std equal
// a host average of the same predictions (same seeds), and the mean converges as samples grow.
import { beforeAll, describe, expect, test } from 'vitest';
import { Dense, Dropout, type Layer, MCDropout, mcPredict, memory, ndarray, ready, Sequential, setSeed, type Tensor } from '../../src/index.ts';
import { expectClose } from '../util/check.ts';
import { f32 } from './reference.ts';

beforeAll(async () => {
  await ready();
});

const N = 20;
const x = ndarray(f32(N * 8, 51), [N, 8]);

function model(drop: (rate: number) => Layer | null): Sequential {
  setSeed(3);
  const layers = [new Dense(32, { activation: 'relu', inputShape: [8] }), drop(0.5), new Dense(3, { activation: 'softmax' })];
  return new Sequential(layers.filter((l): l is Layer => l !== null));
}

async function values(t: Tensor): Promise<Float32Array> {
  const v = await t.data();
  t.dispose();
  return v;
}

describe('MC Dropout', () => {
  test('MCDropout predictions differ between predict() calls; plain Dropout ones do not', async () => {
    const mc = model((r) => new MCDropout(r));
    const a = await values(await mc.predict(x));
    const b = await values(await mc.predict(x));
    expect(Array.from(a)).not.toEqual(Array.from(b));
    const plain = model((r) => new Dropout(r));
    const c = await values(await plain.predict(x));
    const d = await values(await plain.predict(x));
    expect(Array.from(c)).toEqual(Array.from(d));
    // ...but plain Dropout is on with training: true.
    const e = await values(await plain.predict(x, { training: true }));
    expect(Array.from(e)).not.toEqual(Array.from(c));
    mc.dispose();
    plain.dispose();
  });

  test('mcPredict equals the float64 mean and std of as many predict(training) calls with the same seeds', async () => {
    const m = model((r) => new Dropout(r));
    const S = 12;
    setSeed(77);
    const samples: Float32Array[] = [];
    for (let s = 0; s < S; s++) samples.push(await values(await m.predict(x, { training: true, batchSize: 7 })));
    const mean = new Float64Array(N * 3);
    const std = new Float64Array(N * 3);
    for (let i = 0; i < mean.length; i++) {
      for (const p of samples) mean[i] += p[i] / S;
      for (const p of samples) std[i] += (p[i] - mean[i]) ** 2 / S;
      std[i] = Math.sqrt(std[i]);
    }
    // A first run creates what is cached for good (pipelines, shared op constants).
    for (const t of Object.values(await mcPredict(m, x, { samples: S, batchSize: 7 }))) t.dispose();
    setSeed(77);
    const before = memory().buffersInUse;
    const got = await mcPredict(m, x, { samples: S, batchSize: 7 });
    expect(memory().buffersInUse).toBe(before + 2); // only the two results stay allocated
    expect(got.mean.shape).toEqual([N, 3]);
    expect(got.std.shape).toEqual([N, 3]);
    expectClose(await values(got.mean), mean, { atol: 1e-6, rtol: 1e-5 }, 'mean');
    expectClose(await values(got.std), std, { atol: 2e-6, rtol: 1e-4 }, 'std');
    expect(Math.max(...std)).toBeGreaterThan(0.01);
    m.dispose();
  });

  test('without dropout every sample is the same: std is 0 and the mean is predict()', async () => {
    const m = model(() => null);
    const p = await values(await m.predict(x));
    const { mean, std } = await mcPredict(m, x, { samples: 5 });
    expectClose(await values(mean), p, { atol: 1e-7, rtol: 1e-6 });
    expect(Array.from(await values(std)).every((v) => v === 0)).toBe(true);
    m.dispose();
  });

  test('the mean converges: two independent estimates agree ~sqrt(S) better with more samples', async () => {
    const m = model((r) => new MCDropout(r));
    const gap = async (samples: number) => {
      const [a, b] = [await mcPredict(m, x, { samples }), await mcPredict(m, x, { samples })];
      const [ma, mb] = [await values(a.mean), await values(b.mean)];
      a.std.dispose();
      b.std.dispose();
      return ma.reduce((s, v, i) => s + Math.abs(v - mb[i]), 0) / ma.length;
    };
    setSeed(9);
    const few = await gap(4);
    const many = await gap(100);
    // Theory: the gap shrinks by sqrt(100/4) = 5; allow for sampling noise.
    expect(many).toBeLessThan(few / 2.5);
    expect(many).toBeGreaterThan(0);
    m.dispose();
  });
});
