// bench/step: the anatomy of one training step of model A (batch 32) — dispatches and
// submits per step, time to the first step (pipeline compilation: measure with Mesa's
// shader cache cold and warm), wall time per step, and host time per step on Node's main
// thread (event-loop utilisation: the JS that records the step, not the driver's threads).
// The measurement is in lib/model-a.ts (shared with the Chromium page, bench/chromium.ts).
// Writes bench/results/step.json.  Usage: npm run bench:step [-- --steps 1000]

import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { adapterInfo, loadFashionMnist, ready, releaseDevice, transferLearningSplits } from 'webgrad.js';
import { measureStep } from './lib/model-a.ts';
import { printTable, saveResult } from './lib/results.ts';

const { values } = parseArgs({ options: { steps: { type: 'string', default: '1000' }, batch: { type: 'string', default: '32' } } });

await ready();
const adapter = await adapterInfo();
const [x, y] = transferLearningSplits(await loadFashionMnist()).trainA;
const eventLoopBusyMs = () => {
  const elu0 = performance.eventLoopUtilization();
  return () => performance.eventLoopUtilization(elu0).active;
};
const { figures, table } = await measureStep(x, y, Number(values.steps), Number(values.batch), eventLoopBusyMs);
printTable(table);
await saveResult({ name: 'step', adapter, date: new Date().toISOString(), ...figures, tables: [table] });
releaseDevice();
