// Initializers against Keras's definitions (keras/src/initializers/random_initializers.py):
// every name builds; over 10^5 draws the mean and std match (variance scaling: var = scale/n;
// the *_normal ones are normals truncated at 2 stddev whose stddev is sqrt(var)/0.8796..., so
// the drawn std is sqrt(var)); no value passes the truncation bound; a seed reproduces weights.
import { beforeAll, describe, expect, test } from 'vitest';
import { Dense, getInitializer, initializers, ready, Sequential, setSeed } from '../../src/index.ts';

beforeAll(async () => {
  await ready();
});

const FAN_IN = 200;
const FAN_OUT = 500; // a [200, 500] kernel: 10^5 draws
const TRUNC = 0.87962566103423978;

interface Expected {
  std: number;
  /** The largest |value| allowed: a uniform's limit or 2 stddev of a truncated normal. */
  bound: number;
}

const normalVS = (v: number): Expected => ({ std: Math.sqrt(v), bound: (2 * Math.sqrt(v)) / TRUNC });
const uniformVS = (v: number): Expected => ({ std: Math.sqrt(v), bound: Math.sqrt(3 * v) });
const avg = 2 / (FAN_IN + FAN_OUT);

const cases: Record<string, Expected> = {
  glorot_uniform: uniformVS(avg),
  glorot_normal: normalVS(avg),
  he_normal: normalVS(2 / FAN_IN),
  he_uniform: uniformVS(2 / FAN_IN),
  lecun_normal: normalVS(1 / FAN_IN),
  lecun_uniform: uniformVS(1 / FAN_IN),
  random_uniform: { std: 0.1 / Math.sqrt(12), bound: 0.05 },
  // Keras's TruncatedNormal(stddev=0.05) is NOT corrected: its values have std 0.05 · 0.8796.
  truncated_normal: { std: 0.05 * TRUNC, bound: 0.1 },
};

function stats(v: Float32Array): { mean: number; std: number; maxAbs: number } {
  let s = 0;
  let maxAbs = 0;
  for (const x of v) {
    s += x;
    maxAbs = Math.max(maxAbs, Math.abs(x));
  }
  const mean = s / v.length;
  let q = 0;
  for (const x of v) q += (x - mean) ** 2;
  return { mean, std: Math.sqrt(q / v.length), maxAbs };
}

async function draw(name: string, config: Record<string, unknown> = {}): Promise<Float32Array> {
  const t = getInitializer(name, config).init([FAN_IN, FAN_OUT]);
  const v = await t.data();
  t.dispose();
  return v;
}

describe('initializers', () => {
  test.each(Object.entries(cases))('%s: mean, std and bound over 10^5 draws', async (name, want) => {
    const v = await draw(name, { seed: 1234 });
    const s = stats(v);
    expect(Math.abs(s.mean)).toBeLessThan(0.02 * want.std);
    expect(s.std / want.std).toBeGreaterThan(0.985);
    expect(s.std / want.std).toBeLessThan(1.015);
    expect(s.maxAbs).toBeLessThanOrEqual(want.bound * (1 + 1e-6));
    // The bound is the real one, not a looser or tighter one: values come close to it.
    expect(s.maxAbs).toBeGreaterThan(0.97 * want.bound);
  });

  test('random_normal: mean 0, stddev 0.05, not truncated', async () => {
    const s = stats(await draw('random_normal', { seed: 5 }));
    expect(Math.abs(s.mean)).toBeLessThan(0.001);
    expect(s.std).toBeGreaterThan(0.05 * 0.985);
    expect(s.std).toBeLessThan(0.05 * 1.015);
    expect(s.maxAbs).toBeGreaterThan(0.05 * 3.5);
  });

  test('the truncated normal is truncated at 2 stddev (an untruncated one passes it in ~4.6% of draws)', async () => {
    const stddev = Math.sqrt(2 / FAN_IN) / TRUNC;
    const v = await draw('he_normal', { seed: 9 });
    expect(v.filter((x) => Math.abs(x) > 2 * stddev * (1 + 1e-6)).length).toBe(0);
  });

  test('every name builds with its Keras class name and shape; zeros, ones, constant fill', async () => {
    const names: Record<string, string> = {
      glorot_uniform: 'GlorotUniform',
      glorot_normal: 'GlorotNormal',
      he_normal: 'HeNormal',
      he_uniform: 'HeUniform',
      lecun_normal: 'LecunNormal',
      lecun_uniform: 'LecunUniform',
      zeros: 'Zeros',
      ones: 'Ones',
      constant: 'Constant',
      random_normal: 'RandomNormal',
      random_uniform: 'RandomUniform',
      truncated_normal: 'TruncatedNormal',
      variance_scaling: 'VarianceScaling',
    };
    for (const [name, className] of Object.entries(names)) {
      const init = getInitializer(name, name === 'constant' ? { value: 3 } : {});
      expect(init.className).toBe(className);
      const t = init.init([3, 4]);
      expect(t.shape).toEqual([3, 4]);
      const v = Array.from(await t.data());
      t.dispose();
      if (name === 'zeros') expect(v).toEqual(new Array(12).fill(0));
      if (name === 'ones') expect(v).toEqual(new Array(12).fill(1));
      if (name === 'constant') expect(v).toEqual(new Array(12).fill(3));
      if (!['zeros', 'ones', 'constant'].includes(name)) expect(new Set(v).size).toBe(12);
    }
  });

  test('setSeed makes a model\'s initial weights reproducible; another seed changes them', async () => {
    const weights = async (seed: number) => {
      setSeed(seed);
      const m = new Sequential([new Dense(8, { inputShape: [5], kernelInitializer: 'he_normal', biasInitializer: 'random_uniform' }), new Dense(3)]);
      const w = (await m.getWeights()).map((a) => Array.from(a.data));
      m.dispose();
      return w;
    };
    const a = await weights(42);
    expect(await weights(42)).toEqual(a);
    expect((await weights(43))[0]).not.toEqual(a[0]);
  });

  test('an initializer with an explicit seed draws the same values every time', async () => {
    const init = initializers.glorotNormal({ seed: 3 });
    const [a, b] = [init.init([10, 10]), init.init([10, 10])];
    expect(Array.from(await a.data())).toEqual(Array.from(await b.data()));
    a.dispose();
    b.dispose();
  });
});
