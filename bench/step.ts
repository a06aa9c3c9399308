// bench/step: the anatomy of one training step of model A (batch 32) — dispatches and
// submits per step, time to the first step (pipeline compilation: measure with Mesa's
// shader cache cold and warm), wall time per step, and host time per step on Node's main
// thread (event-loop utilisation: the JS that records the step, not the driver's threads).
// Writes bench/results/step.json.  Usage: npm run bench:step [-- --steps 200]

import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { adapterInfo, Dense, Flatten, loadFashionMnist, ready, releaseDevice, runtimeStats, Sequential, SGD, setSeed, transferLearningSplits } from '../src/index.ts';
import { type BenchTable, printTable, saveResult } from './lib/results.ts';

const { values } = parseArgs({ options: { steps: { type: 'string', default: '200' }, batch: { type: 'string', default: '32' } } });
const STEPS = Number(values.steps);
const BATCH = Number(values.batch);

await ready();
const adapter = await adapterInfo();
const [x, y] = transferLearningSplits(await loadFashionMnist()).trainA;
setSeed(1);
const m = new Sequential([new Flatten({ inputShape: [28, 28] })]);
for (const n of [300, 100, 50, 50, 50]) m.add(new Dense(n, { activation: 'selu' }));
m.add(new Dense(8, { activation: 'softmax' }));
m.compile({ loss: 'sparse_categorical_crossentropy', optimizer: new SGD({ learningRate: 1e-3 }), metrics: ['accuracy'] });

const p0 = runtimeStats().pipelines;
let t = performance.now();
await m.fit(x.slice(0, BATCH), y.slice(0, BATCH), { batchSize: BATCH, epochs: 1, verbose: 0 });
const firstStepMs = performance.now() - t;
const pipelines = runtimeStats().pipelines - p0;

const s0 = runtimeStats();
const elu0 = performance.eventLoopUtilization();
t = performance.now();
await m.fit(x.slice(0, BATCH * STEPS), y.slice(0, BATCH * STEPS), { batchSize: BATCH, epochs: 1, verbose: 0, shuffle: false });
const wallMs = performance.now() - t;
const elu = performance.eventLoopUtilization(elu0);
const s1 = runtimeStats();
const figures = {
  batch: BATCH,
  steps: STEPS,
  firstStepMs,
  pipelinesCompiled: pipelines,
  msPerStep: wallMs / STEPS,
  hostMsPerStep: elu.active / STEPS,
  dispatchesPerStep: (s1.dispatches - s0.dispatches) / STEPS,
  submitsPerStep: (s1.submits - s0.submits) / STEPS,
  samplesPerSec: (BATCH * STEPS * 1000) / wallMs,
};
const table: BenchTable = {
  title: `Model A training step, batch ${BATCH} (${STEPS} steps)`,
  columns: ['figure', 'value'],
  rows: [
    ['first step incl. compiling (ms)', firstStepMs],
    ['pipelines compiled', pipelines],
    ['wall time per step (ms)', figures.msPerStep],
    ['host main-thread time per step (ms)', figures.hostMsPerStep],
    ['dispatches per step', figures.dispatchesPerStep],
    ['submits per step', figures.submitsPerStep],
    ['samples/s', figures.samplesPerSec],
  ],
};
printTable(table);
await saveResult({ name: 'step', adapter, date: new Date().toISOString(), ...figures, tables: [table] });
m.dispose();
releaseDevice();
