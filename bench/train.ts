// bench/train: model A (784-300-100-50-50-50-8 SELU, SGD 1e-3, sparse CE) trained for a fixed
// number of batches on real Fashion-MNIST task A, at batch 32 and 256, with webgrad and
// with TensorFlow.js (webgpu on the same adapter, wasm, cpu) in the same process run.
// Prints samples/s and the ratios webgrad/peer; writes bench/results/train.json.
// Usage: npm run bench:train [-- --batches 150 --peers webgpu,wasm,cpu]

import { parseArgs } from 'node:util';
import * as tfl from '@tensorflow/tfjs-layers';
import { adapterInfo, currentGpuInstance, Dense, Flatten, ready, releaseDevice, runtimeStats, Sequential, SGD, setSeed } from '../src/index.ts';
import { loadFashionMnist } from '../src/data/fashion-mnist.ts';
import { transferLearningSplits } from '../src/data/split.ts';
import type { NDArray } from '../src/data/ndarray.ts';
import { type BenchTable, printTable, saveResult } from './lib/results.ts';
import { loadTf, type TfBackend } from './lib/tfjs.ts';

const { values } = parseArgs({
  options: { batches: { type: 'string', default: '150' }, peers: { type: 'string', default: 'webgpu,wasm,cpu' }, sizes: { type: 'string', default: '32,256' } },
});
const BATCHES = Number(values.batches);
const SIZES = values.sizes!.split(',').map(Number);
const PEERS = values.peers!.split(',').filter(Boolean) as TfBackend[];

await ready();
const adapter = await adapterInfo();
const data = transferLearningSplits(await loadFashionMnist());
const [xAll, yAll] = data.trainA;

function modelA(): Sequential {
  const m = new Sequential([new Flatten({ inputShape: [28, 28] })]);
  for (const n of [300, 100, 50, 50, 50]) m.add(new Dense(n, { activation: 'selu' }));
  m.add(new Dense(8, { activation: 'softmax' }));
  m.compile({ loss: 'sparse_categorical_crossentropy', optimizer: new SGD({ learningRate: 1e-3 }), metrics: ['accuracy'] });
  return m;
}

/** samples/s of webgrad's fit over `batches` batches (after a warm-up fit that compiles pipelines). */
async function webgrad(bs: number): Promise<{ sps: number; dispatches: number; submits: number }> {
  setSeed(1);
  const m = modelA();
  const n = bs * BATCHES;
  const x = xAll.slice(0, n);
  const y = yAll.slice(0, n);
  await m.fit(xAll.slice(0, bs * 4), yAll.slice(0, bs * 4), { batchSize: bs, epochs: 1, verbose: 0 });
  const s0 = runtimeStats();
  const t = performance.now();
  await m.fit(x, y, { batchSize: bs, epochs: 1, verbose: 0 });
  const secs = (performance.now() - t) / 1000;
  const s1 = runtimeStats();
  m.dispose();
  return { sps: n / secs, dispatches: (s1.dispatches - s0.dispatches) / BATCHES, submits: (s1.submits - s0.submits) / BATCHES };
}

async function tfjs(backend: TfBackend, bs: number): Promise<number> {
  const tf = await loadTf(backend, currentGpuInstance());
  const m = tfl.sequential();
  m.add(tfl.layers.flatten({ inputShape: [28, 28] }));
  for (const n of [300, 100, 50, 50, 50]) m.add(tfl.layers.dense({ units: n, activation: 'selu' }));
  m.add(tfl.layers.dense({ units: 8, activation: 'softmax' }));
  m.compile({ loss: 'sparseCategoricalCrossentropy', optimizer: tf.train.sgd(1e-3), metrics: ['accuracy'] });
  const n = bs * BATCHES;
  const toTf = (a: NDArray, rows: number) => tf.tensor(a.slice(0, rows).toFloat32(), [rows, ...a.shape.slice(1)]);
  const [xw, yw] = [toTf(xAll, bs * 4), toTf(yAll, bs * 4)];
  await m.fit(xw, yw, { batchSize: bs, epochs: 1, verbose: 0 });
  const [x, y] = [toTf(xAll, n), toTf(yAll, n)];
  const t = performance.now();
  await m.fit(x, y, { batchSize: bs, epochs: 1, verbose: 0 });
  const secs = (performance.now() - t) / 1000;
  tf.dispose([xw, yw, x, y]);
  m.dispose();
  return n / secs;
}

const rows: (string | number)[][] = [];
const figures: Record<string, unknown>[] = [];
for (const bs of SIZES) {
  const w = await webgrad(bs);
  const peers: Record<string, number> = {};
  for (const p of PEERS) peers[p] = await tfjs(p, bs);
  figures.push({ batchSize: bs, webgradSamplesPerSec: w.sps, dispatchesPerStep: w.dispatches, submitsPerStep: w.submits, tfjs: peers });
  rows.push([bs, Math.round(w.sps), ...PEERS.flatMap((p) => [Math.round(peers[p]), w.sps / peers[p]])]);
  console.log(`batch ${bs}: webgrad ${w.sps.toFixed(0)} samples/s (${w.dispatches.toFixed(1)} dispatches, ${w.submits.toFixed(2)} submits per step); ${PEERS.map((p) => `tfjs-${p} ${peers[p].toFixed(0)}`).join(', ')}`);
}
const table: BenchTable = {
  title: `Model A training, ${BATCHES} batches, samples/s (ratio = webgrad / peer)`,
  columns: ['batch', 'webgrad', ...PEERS.flatMap((p) => [`tfjs-${p}`, `ratio vs ${p}`])],
  rows,
};
printTable(table);
await saveResult({ name: 'train', adapter, date: new Date().toISOString(), batches: BATCHES, figures, tables: [table] });
releaseDevice();
process.exit(0);
