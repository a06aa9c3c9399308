// What the bench page runs, read from its URL: the parts (model A training, the MLP width
// sweep, the matmul sweep), the peers beside webgrad, and each part's sizes. A preset
// (full, short) gives the defaults; any parameter overrides its preset's value. The page's
// form writes these same parameters. Read next: run.ts.

import type { MatmulPeer } from '../../../bench/lib/matmul.ts';

export const PARTS = ['modela', 'mlp', 'matmul'] as const;
export type Part = (typeof PARTS)[number];
export const PEERS = ['tfjs-webgpu', 'tfjs-wasm', 'tfjs-webgl', 'jaxjs-webgpu', 'jaxjs-wasm'] as const satisfies MatmulPeer[];
export type Peer = (typeof PEERS)[number];

export interface Plan {
  preset: 'full' | 'short';
  parts: Part[];
  /** Peers timed beside webgrad (which always runs). */
  peers: Peer[];
  /** Model A: batch sizes, timed batches, warm-up batches before each timed run. */
  sizes: number[];
  batches: number;
  warmup: number;
  /** MLP 784-w-w-8 for each width w, at one batch size. */
  widths: number[];
  mlpBatch: number;
  mlpBatches: number;
  mlpWarmup: number;
  /** Square matmul sizes and benchmark.js's seconds per figure. */
  matmul: number[];
  seconds: number;
  /** Base URL of the four Fashion-MNIST files. */
  data: string;
  autorun: boolean;
}

const FULL: Omit<Plan, 'autorun'> = {
  preset: 'full',
  parts: [...PARTS],
  peers: [...PEERS],
  sizes: [32, 256],
  batches: 100,
  warmup: 20,
  widths: [256, 512, 1024, 2048],
  mlpBatch: 256,
  mlpBatches: 20,
  mlpWarmup: 5,
  matmul: [256, 512, 1024, 2048],
  seconds: 1,
  data: 'data/fashion-mnist/',
};

/** Minutes on a software adapter, for CI (tests/e2e/bench-page.node.test.ts). */
const SHORT: Omit<Plan, 'autorun'> = {
  ...FULL,
  preset: 'short',
  batches: 2,
  warmup: 1,
  widths: [256],
  mlpBatch: 32,
  mlpBatches: 1,
  mlpWarmup: 1,
  matmul: [128],
  seconds: 0.05,
};

/** A bad URL parameter, named with what it accepts. */
export class BenchPlanError extends Error {
  override name = 'BenchPlanError';
}

const numbers = (name: string, v: string): number[] => {
  const out = v.split(',').filter(Boolean).map(Number);
  if (!out.length || out.some((n) => !Number.isInteger(n) || n < 1)) throw new BenchPlanError(`?${name}=${v}: expected positive integers separated by commas`);
  return out;
};

const members = <T extends string>(name: string, v: string, all: readonly T[]): T[] => {
  const out = v.split(',').filter(Boolean);
  const bad = out.filter((p) => !all.includes(p as T));
  if (bad.length) throw new BenchPlanError(`?${name}=${v}: unknown ${bad.join(', ')}; expected some of ${all.join(', ')}`);
  return out as T[];
};

/** The plan a page URL's parameters ask for. */
export function readPlan(q: URLSearchParams): Plan {
  const preset = q.get('preset') ?? 'full';
  if (preset !== 'full' && preset !== 'short') throw new BenchPlanError(`?preset=${preset}: expected full or short`);
  const p: Plan = { ...(preset === 'short' ? SHORT : FULL), autorun: q.get('autorun') === '1' };
  const get = (k: string) => q.get(k);
  for (const k of ['sizes', 'widths', 'matmul'] as const) if (get(k) !== null) p[k] = numbers(k, get(k)!);
  for (const k of ['batches', 'warmup', 'mlpBatch', 'mlpBatches', 'mlpWarmup'] as const) if (get(k) !== null) [p[k]] = numbers(k, get(k)!);
  if (get('seconds') !== null) {
    p.seconds = Number(get('seconds'));
    if (!(p.seconds > 0)) throw new BenchPlanError(`?seconds=${get('seconds')}: expected a positive number`);
  }
  if (get('parts') !== null) p.parts = members('parts', get('parts')!, PARTS);
  if (get('peers') !== null) p.peers = members('peers', get('peers')!, PEERS);
  if (get('data') !== null) p.data = get('data')!;
  return p;
}
