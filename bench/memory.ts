// bench/memory: the soak of issue 8 at full size. Model A (784-300-100-50-50-50-8 SELU, SGD
// 1e-3, sparse CE, batch 32) trains on real Fashion-MNIST task A for 2,000 steps; memory()
// is read after steps 10, 100 and 2,000 and must be flat from step 100 on (bytes and buffers
// held by live tensors). The CI-sized soak is tests/reliability/soak.node.test.ts.
// Prints the table, writes bench/results/memory.json. Usage: npm run bench:memory [-- --steps 2000]

import { parseArgs } from 'node:util';
import { adapterInfo, Dense, Flatten, LambdaCallback, memory, ready, releaseDevice, Sequential, SGD, setSeed } from 'webgrad.js';
import { loadFashionMnist } from 'webgrad.js';
import { transferLearningSplits } from 'webgrad.js';
import { type BenchTable, printTable, saveResult } from './lib/results.ts';

const { values } = parseArgs({ options: { steps: { type: 'string', default: '2000' } } });
const STEPS = Number(values.steps);
const PROBES = [10, 100, STEPS].filter((s, i, all) => s <= STEPS && all.indexOf(s) === i);
const BATCH = 32;

await ready();
const adapter = await adapterInfo();
const [x, y] = transferLearningSplits(await loadFashionMnist()).trainA;

setSeed(1);
const model = new Sequential([new Flatten({ inputShape: [28, 28] })]);
for (const units of [300, 100, 50, 50, 50]) model.add(new Dense(units, { activation: 'selu', kernelInitializer: 'lecun_normal' }));
model.add(new Dense(8, { activation: 'softmax' }));
model.compile({ loss: 'sparse_categorical_crossentropy', optimizer: new SGD({ learningRate: 1e-3 }), metrics: ['accuracy'] });

const rows: (string | number)[][] = [];
let step = 0;
const start = performance.now();
const probe = new LambdaCallback({
  onBatchEnd: () => {
    step++;
    if (PROBES.includes(step)) {
      const m = memory();
      rows.push([step, m.bytesInUse, m.buffersInUse, m.bytesPooled, m.bytesCached, m.bytesCaptured, (performance.now() - start) / 1000]);
      console.log(`step ${step}: ${m.bytesInUse.toLocaleString('en-US')} bytes in ${m.buffersInUse} buffers in use, ${m.bytesPooled.toLocaleString('en-US')} pooled, ${m.bytesCached} in cached constants, ${m.bytesCaptured.toLocaleString('en-US')} in capture arenas`);
    }
    if (step >= STEPS) model.stopTraining = true;
  },
});
const epochs = Math.ceil((STEPS * BATCH) / x.length);
await model.fit(x, y, { epochs, batchSize: BATCH, verbose: 0, callbacks: [probe] });

const [at100, atEnd] = [rows.find((r) => r[0] === 100), rows.at(-1)];
const flat = !!at100 && !!atEnd && at100[1] === atEnd[1] && at100[2] === atEnd[2];
const table: BenchTable = {
  title: `Model A, batch ${BATCH}: memory() during ${STEPS} training steps (${flat ? 'flat' : 'NOT flat'} from step 100)`,
  columns: ['step', 'bytes in use', 'buffers in use', 'bytes pooled', 'bytes cached', 'bytes in capture arenas', 'seconds'],
  rows,
};
printTable(table);
await saveResult({ name: 'memory', adapter, date: new Date().toISOString(), steps: STEPS, batchSize: BATCH, flat, tables: [table] });
model.dispose();
releaseDevice();
process.exit(flat ? 0 : 1);
