// bench/matmul: square matmul GFLOP/s at 256, 512 and 1024 with webgrad and with
// TensorFlow.js-webgpu's matMul on the same adapter in the same process (benchmark.js,
// deferred; the measurement is in lib/matmul.ts, shared with bench/chromium.ts). Also times
// webgrad's 1024^2 with WEBGRAD_SPIN=1 (await the Dawn promise directly) to show what the
// sleeping wait saves. Writes bench/results/matmul.json. Usage: npm run bench:matmul
// [-- --sizes 256,512,1024 --seconds 3]

import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { adapterInfo, ready, releaseDevice } from '../src/node.ts';
import { compareMatmul, ROUNDS, webgradGflops } from './lib/matmul.ts';
import { type BenchTable, printTable, saveResult } from './lib/results.ts';

const { values } = parseArgs({
  options: { sizes: { type: 'string', default: '256,512,1024' }, seconds: { type: 'string', default: '3' } },
});
const SECONDS = Number(values.seconds);

await ready();
const adapter = await adapterInfo();
// The adapter is the CPU: other processes running meanwhile lower every figure.
const loadBefore = loadavg()[0];
const { sizes, table } = await compareMatmul(values.sizes!.split(',').map(Number), SECONDS);

// The same 1024^2 product, waiting by sleeping (the default) and by awaiting Dawn's promise.
const N_WAIT = 1024;
let sleeping = 0;
let spinning = 0;
for (let i = 0; i < ROUNDS; i++) {
  sleeping = Math.max(sleeping, await webgradGflops(N_WAIT, SECONDS));
  process.env.WEBGRAD_SPIN = '1';
  spinning = Math.max(spinning, await webgradGflops(N_WAIT, SECONDS));
  delete process.env.WEBGRAD_SPIN;
}
const wait = { n: N_WAIT, sleepGflops: sleeping, spinGflops: spinning, speedup: sleeping / spinning };
console.log(`${N_WAIT}^2 wait strategy: sleeping ${sleeping.toFixed(2)} GFLOP/s, spinning ${spinning.toFixed(2)} GFLOP/s`);

const tables: BenchTable[] = [
  table,
  {
    title: `webgrad ${N_WAIT}^2 by wait strategy, GFLOP/s`,
    columns: ['wait', 'GFLOP/s'],
    rows: [
      ['sleep until done (default)', sleeping],
      ['await Dawn promise (WEBGRAD_SPIN=1)', spinning],
    ],
  },
];
for (const t of tables) printTable(t);
const loadAverage = { before: loadBefore, after: loadavg()[0] };
console.log(`1-minute load average: ${loadAverage.before.toFixed(2)} before, ${loadAverage.after.toFixed(2)} after`);
await saveResult({ name: 'matmul', adapter, date: new Date().toISOString(), sizes, wait, loadAverage, tables });
releaseDevice();
