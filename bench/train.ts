// bench/train: model A (784-300-100-50-50-50-8 SELU, SGD 1e-3, sparse CE) trained for a fixed
// number of batches on real Fashion-MNIST task A, at batch 32 and 256, with webgrad and
// with TensorFlow.js (webgpu on the same adapter, wasm, cpu) and jax-js (wasm, webgpu) in
// the same process run.
// Prints samples/s (webgrad with captured steps, the default, and eager, WEBGRAD_CAPTURE=0)
// and the ratios webgrad/peer; writes bench/results/train.json. The
// measurement is in lib/model-a.ts (shared with the Chromium page, bench/chromium.ts).
// Usage: npm run bench:train [-- --batches 150 --peers webgpu,wasm,cpu --jaxjs wasm,webgpu]

import { parseArgs } from 'node:util';
import { adapterInfo, loadFashionMnist, ready, releaseDevice, transferLearningSplits } from 'webgrad.js';
import { measureTrain } from './lib/model-a.ts';
import { printTable, saveResult } from './lib/results.ts';
import type { JaxDevice } from './lib/jaxjs.ts';
import type { TfBackend } from './lib/tfjs.ts';

const { values } = parseArgs({
  options: {
    batches: { type: 'string', default: '150' },
    peers: { type: 'string', default: 'webgpu,wasm,cpu' },
    jaxjs: { type: 'string', default: 'wasm,webgpu' },
    sizes: { type: 'string', default: '32,256' },
  },
});
const BATCHES = Number(values.batches);

await ready();
const adapter = await adapterInfo();
const [xAll, yAll] = transferLearningSplits(await loadFashionMnist()).trainA;
const list = (v: string | undefined) => (v ?? '').split(',').filter(Boolean);
const peers = { tfjs: list(values.peers) as TfBackend[], jaxjs: list(values.jaxjs) as JaxDevice[] };
const { figures, table, notes } = await measureTrain(xAll, yAll, BATCHES, list(values.sizes).map(Number), peers);
printTable(table);
await saveResult({ name: 'train', adapter, date: new Date().toISOString(), batches: BATCHES, figures, notes, tables: [table] });
releaseDevice();
process.exit(0);
