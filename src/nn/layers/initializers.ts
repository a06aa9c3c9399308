// Weight initializers with Keras's exact definitions and config names. The variance-
// scaling "normal" ones are truncated normals (2 stddev) whose stddev is divided by
// 0.87962566103423978, the stddev of a standard normal truncated at ±2, so the drawn
// values have the intended variance (keras/src/initializers/random_initializers.py).

import { fill, randomNormal, randomUniform, truncatedNormal } from '../../tensor/create.ts';
import type { Tensor } from '../../tensor/tensor.ts';
import { lookup } from '../../lookup.ts';

export interface Initializer {
  /** Keras class name, e.g. 'GlorotUniform'. */
  className: string;
  config: Record<string, number | string | null>;
  init(shape: number[]): Tensor;
}

const TRUNC = 0.87962566103423978;

/** fan_in / fan_out as Keras computes them for a [in, out] kernel (or a vector). */
export function fans(shape: number[]): [number, number] {
  if (shape.length < 1) return [1, 1];
  if (shape.length === 1) return [shape[0], shape[0]];
  const receptive = shape.slice(0, -2).reduce((a, b) => a * b, 1);
  return [shape[shape.length - 2] * receptive, shape[shape.length - 1] * receptive];
}

type Mode = 'fan_in' | 'fan_out' | 'fan_avg';
type Distribution = 'truncated_normal' | 'uniform' | 'untruncated_normal';

export function varianceScaling(
  { scale = 1, mode = 'fan_in', distribution = 'truncated_normal', seed = null }: { scale?: number; mode?: Mode; distribution?: Distribution; seed?: number | null },
  className = 'VarianceScaling',
): Initializer {
  const config: Initializer['config'] = className === 'VarianceScaling' ? { scale, mode, distribution, seed } : { seed };
  return {
    className,
    config,
    init(shape) {
      const [fanIn, fanOut] = fans(shape);
      const n = mode === 'fan_in' ? fanIn : mode === 'fan_out' ? fanOut : (fanIn + fanOut) / 2;
      const variance = scale / Math.max(1, n);
      const s = seed ?? undefined;
      if (distribution === 'uniform') {
        const limit = Math.sqrt(3 * variance);
        return randomUniform(shape, -limit, limit, s);
      }
      if (distribution === 'untruncated_normal') return randomNormal(shape, 0, Math.sqrt(variance), s);
      return truncatedNormal(shape, 0, Math.sqrt(variance) / TRUNC, s);
    },
  };
}

type Seeded = { seed?: number | null };
const constant = (className: string, value: number): Initializer => ({
  className,
  config: className === 'Constant' ? { value } : {},
  init: (shape) => fill(shape, value),
});

export const initializers = {
  glorotUniform: (o: Seeded = {}) => varianceScaling({ scale: 1, mode: 'fan_avg', distribution: 'uniform', seed: o.seed }, 'GlorotUniform'),
  glorotNormal: (o: Seeded = {}) => varianceScaling({ scale: 1, mode: 'fan_avg', seed: o.seed }, 'GlorotNormal'),
  heNormal: (o: Seeded = {}) => varianceScaling({ scale: 2, mode: 'fan_in', seed: o.seed }, 'HeNormal'),
  heUniform: (o: Seeded = {}) => varianceScaling({ scale: 2, mode: 'fan_in', distribution: 'uniform', seed: o.seed }, 'HeUniform'),
  lecunNormal: (o: Seeded = {}) => varianceScaling({ scale: 1, mode: 'fan_in', seed: o.seed }, 'LecunNormal'),
  lecunUniform: (o: Seeded = {}) => varianceScaling({ scale: 1, mode: 'fan_in', distribution: 'uniform', seed: o.seed }, 'LecunUniform'),
  varianceScaling: (o: Parameters<typeof varianceScaling>[0] = {}) => varianceScaling(o),
  zeros: () => constant('Zeros', 0),
  ones: () => constant('Ones', 1),
  constant: ({ value = 0 }: { value?: number } = {}) => constant('Constant', value),
  randomNormal: ({ mean = 0, stddev = 0.05, seed = null }: { mean?: number; stddev?: number } & Seeded = {}): Initializer => ({
    className: 'RandomNormal',
    config: { mean, stddev, seed },
    init: (shape) => randomNormal(shape, mean, stddev, seed ?? undefined),
  }),
  randomUniform: ({ minval = -0.05, maxval = 0.05, seed = null }: { minval?: number; maxval?: number } & Seeded = {}): Initializer => ({
    className: 'RandomUniform',
    config: { minval, maxval, seed },
    init: (shape) => randomUniform(shape, minval, maxval, seed ?? undefined),
  }),
  truncatedNormal: ({ mean = 0, stddev = 0.05, seed = null }: { mean?: number; stddev?: number } & Seeded = {}): Initializer => ({
    className: 'TruncatedNormal',
    config: { mean, stddev, seed },
    init: (shape) => truncatedNormal(shape, mean, stddev, seed ?? undefined),
  }),
};

const byName: Record<string, (config: Record<string, unknown>) => Initializer> = {
  glorot_uniform: (c) => initializers.glorotUniform(c as Seeded),
  glorot_normal: (c) => initializers.glorotNormal(c as Seeded),
  he_normal: (c) => initializers.heNormal(c as Seeded),
  he_uniform: (c) => initializers.heUniform(c as Seeded),
  lecun_normal: (c) => initializers.lecunNormal(c as Seeded),
  lecun_uniform: (c) => initializers.lecunUniform(c as Seeded),
  variance_scaling: (c) => varianceScaling(c as Parameters<typeof varianceScaling>[0]),
  zeros: () => initializers.zeros(),
  ones: () => initializers.ones(),
  constant: (c) => initializers.constant(c as { value?: number }),
  random_normal: (c) => initializers.randomNormal(c),
  random_uniform: (c) => initializers.randomUniform(c),
  truncated_normal: (c) => initializers.truncatedNormal(c),
};

export type InitializerSpec = string | Initializer;

/** An initializer from a name ('he_normal', 'heNormal', 'HeNormal') or an instance. */
export function getInitializer(spec: InitializerSpec, config: Record<string, unknown> = {}): Initializer {
  if (typeof spec !== 'string') return spec;
  const snake = spec.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
  return lookup('initializer', snake, byName)(config);
}
