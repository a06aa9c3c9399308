// bench/matmul: square matmul GFLOP/s at 256, 512 and 1024 with webgrad and with
// TensorFlow.js-webgpu's matMul on the same adapter in the same process (benchmark.js,
// deferred). Each sample is device time: dispatch, submit, wait until the queue is done,
// both libraries waiting the same non-spinning way (src/kernels/wait.ts). Also times
// webgrad's 1024^2 with WEBGRAD_SPIN=1 (await the Dawn promise directly) to show what the
// sleeping wait saves. Writes bench/results/matmul.json. Usage: npm run bench:matmul
// [-- --sizes 256,512,1024 --seconds 3]

import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import Benchmark from 'benchmark';
import { matmul } from '../src/autograd/matmul.ts';
import { adapterInfo, currentGpuInstance, ready, releaseDevice } from '../src/kernels/device.ts';
import { rt } from '../src/kernels/runtime.ts';
import { waitIdle } from '../src/kernels/wait.ts';
import { randomUniform } from '../src/tensor/create.ts';
import { type BenchTable, printTable, saveResult } from './lib/results.ts';
import { loadTf } from './lib/tfjs.ts';

const { values } = parseArgs({
  options: { sizes: { type: 'string', default: '256,512,1024' }, seconds: { type: 'string', default: '3' } },
});
const SIZES = values.sizes!.split(',').map(Number);
const SECONDS = Number(values.seconds);

/**
 * Mean seconds per call of `op` (an async function), by benchmark.js with deferred timing,
 * after two untimed calls (pipeline compilation, and the wait's first estimate).
 */
async function secondsPerOp(name: string, op: () => Promise<void>): Promise<number> {
  await op();
  await op();
  return new Promise((resolve, reject) => {
    const bench = new Benchmark(name, {
      defer: true,
      // benchmark.js inlines fn's source when it can; calling a closure makes it call fn.
      fn: (deferred: Benchmark.Deferred) => {
        op().then(() => deferred.resolve(), reject);
      },
      minSamples: 5,
      maxTime: SECONDS,
      onComplete: () => resolve(bench.stats.mean),
      onError: () => reject(bench.error),
    });
    bench.run({ async: true });
  });
}

const gflops = (n: number, seconds: number) => (2 * n ** 3) / seconds / 1e9;

await ready();
const adapter = await adapterInfo();
// The adapter is the CPU: other processes running meanwhile lower every figure.
const loadBefore = loadavg()[0];
const tf = await loadTf('webgpu', currentGpuInstance());
const tfBackend = tf.backend() as unknown as { device: GPUDevice; ensureCommandEncoderReady(): void; endComputePassEncoder(): void; submitQueue(): void };

async function webgrad(n: number): Promise<number> {
  const a = randomUniform([n, n], -1, 1, 1);
  const b = randomUniform([n, n], -1, 1, 2);
  const r = rt();
  const seconds = await secondsPerOp(`webgrad ${n}`, async () => {
    matmul(a, b).dispose();
    await r.idle(`bench-matmul-${n}`);
  });
  a.dispose();
  b.dispose();
  return gflops(n, seconds);
}

async function tfjs(n: number): Promise<number> {
  const a = tf.randomUniform([n, n], -1, 1, 'float32', 1);
  const b = tf.randomUniform([n, n], -1, 1, 'float32', 2);
  const seconds = await secondsPerOp(`tfjs-webgpu ${n}`, async () => {
    const c = tf.matMul(a, b);
    // What tfjs does before a readback: close the pass and submit.
    tfBackend.ensureCommandEncoderReady();
    tfBackend.endComputePassEncoder();
    tfBackend.submitQueue();
    await waitIdle(`bench-tfjs-${n}`, 1, () => tfBackend.device.queue.onSubmittedWorkDone()); // learn the cost per call
    c.dispose();
  });
  tf.dispose([a, b]);
  return gflops(n, seconds);
}

// Other processes share the CPU that is the adapter: each figure is the best of ROUNDS
// benchmark.js runs, alternating the contenders so both see the same conditions.
const ROUNDS = 2;

const sizes: { n: number; webgradGflops: number; tfjsGflops: number; ratio: number }[] = [];
for (const n of SIZES) {
  let w = 0;
  let t = 0;
  for (let i = 0; i < ROUNDS; i++) {
    w = Math.max(w, await webgrad(n));
    t = Math.max(t, await tfjs(n));
  }
  sizes.push({ n, webgradGflops: w, tfjsGflops: t, ratio: w / t });
  console.log(`${n}^2: webgrad ${w.toFixed(2)} GFLOP/s, tfjs-webgpu ${t.toFixed(2)} GFLOP/s, ratio ${(w / t).toFixed(2)}`);
}

// The same 1024^2 product, waiting by sleeping (the default) and by awaiting Dawn's promise.
const N_WAIT = 1024;
let sleeping = 0;
let spinning = 0;
for (let i = 0; i < ROUNDS; i++) {
  sleeping = Math.max(sleeping, await webgrad(N_WAIT));
  process.env.WEBGRAD_SPIN = '1';
  spinning = Math.max(spinning, await webgrad(N_WAIT));
  delete process.env.WEBGRAD_SPIN;
}
const wait = { n: N_WAIT, sleepGflops: sleeping, spinGflops: spinning, speedup: sleeping / spinning };
console.log(`${N_WAIT}^2 wait strategy: sleeping ${sleeping.toFixed(2)} GFLOP/s, spinning ${spinning.toFixed(2)} GFLOP/s`);

const tables: BenchTable[] = [
  {
    title: 'Square matmul, GFLOP/s of device time (ratio = webgrad / tfjs-webgpu)',
    columns: ['n', 'webgrad', 'tfjs-webgpu', 'ratio'],
    rows: sizes.map((s) => [s.n, s.webgradGflops, s.tfjsGflops, s.ratio]),
  },
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
tf.engine().reset();
tfBackend.device.destroy();
releaseDevice();
