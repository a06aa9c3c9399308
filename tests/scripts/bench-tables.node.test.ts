// The benchmarks' pure pieces: the README's who-wins table (bench/lib/who-wins.ts) from
// two small result files, and the bench page's URL plan (examples/web/bench/plan.ts) with
// its named errors. Node only: bench code, not the library.
import { expect, test } from 'vitest';
import { END, START, whoWins } from '../../bench/lib/who-wins.ts';
import { BenchPlanError, readPlan } from '../../examples/web/bench/plan.ts';

const node = { architecture: 'software', device: 'llvmpipe-llvm-15', host: 'dawn-node' };
const chromium = { vendor: 'google', architecture: 'swiftshader', host: 'browser' };
const result = (adapter: unknown, figures: unknown[]) => ({ name: 'train', adapter, date: '2026-12-07', tables: [], figures });

test('who wins: a row per adapter and batch, webgrad over the best other WebGPU engine, the fastest, and what the rows show', () => {
  const md = whoWins([
    { label: 'Node', result: result(node, [{ batchSize: 32, webgradSamplesPerSec: 8000, tfjs: { webgpu: 400, wasm: 1000, cpu: 300 }, jaxjs: { webgpu: 500, wasm: 4000 } }]) },
    { label: 'Chromium', result: result(chromium, [{ batchSize: 256, webgradSamplesPerSec: 1500, tfjs: { webgpu: 100, wasm: 1100 }, jaxjs: { webgpu: null, wasm: 9000 } }]) },
  ]);
  const lines = md.split('\n');
  expect(lines[0]).toBe(START);
  expect(lines.at(-1)).toBe(END);
  expect(lines).toContain('| Node/llvmpipe, 32 | 8,000 | 400 | 500 | 1,000 | 4,000 | 300 | 16x | webgrad |');
  // A failed or absent peer is a dash, and the best other WebGPU engine is the one that ran;
  // TF.js cpu (plain JavaScript) is shown but is no Wasm engine.
  expect(lines).toContain('| Chromium/swiftshader, 256 | 1,500 | 100 | — | 1,100 | 9,000 | — | 15x | jax-js wasm |');
  expect(md).toContain('webgrad trained 15x-16x as fast as the best other WebGPU engine');
  expect(md).toContain("The best Wasm engine ran at 0.50x-6.0x the best WebGPU engine's speed: faster on Chromium batch 256.");
  expect(md).toContain('These adapters are software');
});

test('the bench page plan: presets, overrides, and a named error for a bad parameter', () => {
  const full = readPlan(new URLSearchParams(''));
  expect(full).toMatchObject({ preset: 'full', sizes: [32, 256], widths: [256, 512, 1024, 2048], autorun: false });
  expect(full.peers).toEqual(['tfjs-webgpu', 'tfjs-wasm', 'tfjs-webgl', 'jaxjs-webgpu', 'jaxjs-wasm']);
  const short = readPlan(new URLSearchParams('preset=short&autorun=1&peers=jaxjs-wasm&parts=matmul&matmul=64,128&seconds=0.5'));
  expect(short).toMatchObject({ preset: 'short', autorun: true, peers: ['jaxjs-wasm'], parts: ['matmul'], matmul: [64, 128], seconds: 0.5, batches: 2 });
  expect(() => readPlan(new URLSearchParams('sizes=32,abc'))).toThrow(new BenchPlanError('?sizes=32,abc: expected positive integers separated by commas'));
  expect(() => readPlan(new URLSearchParams('preset=long'))).toThrow(BenchPlanError);
  expect(() => readPlan(new URLSearchParams('parts=modela,gpu'))).toThrow('?parts=modela,gpu: unknown gpu; expected some of modela, mlp, matmul');
  expect(() => readPlan(new URLSearchParams('seconds=-1'))).toThrow('?seconds=-1: expected a positive number');
});
