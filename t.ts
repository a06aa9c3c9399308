import { Dense, Flatten, ready, Sequential, SGD, setSeed, runtimeStats } from './src/index.ts';
import { loadFashionMnist } from './src/data/fashion-mnist.ts';
import { transferLearningSplits } from './src/data/split.ts';
await ready();
const data = await loadFashionMnist();
const s = transferLearningSplits(data);
setSeed(42);
const m = new Sequential([new Flatten({ inputShape: [28, 28] })]);
for (const n of [300, 100, 50, 50, 50]) m.add(new Dense(n, { activation: 'selu' }));
m.add(new Dense(8, { activation: 'softmax' }));
m.compile({ loss: 'sparse_categorical_crossentropy', optimizer: new SGD({ learningRate: 1e-3 }), metrics: ['accuracy'] });
const bs = Number(process.argv[2] ?? 32);
const n = Number(process.argv[3] ?? 43986);
const t0 = performance.now();
const s0 = runtimeStats();
const h = await m.fit(s.trainA[0].slice(0, n), s.trainA[1].slice(0, n), { epochs: 1, batchSize: bs, verbose: 2 });
const t = (performance.now() - t0) / 1000;
const s1 = runtimeStats();
const steps = Math.ceil(n / bs);
console.log(`bs ${bs}: ${t.toFixed(2)} s, ${(n / t).toFixed(0)} samples/s, dispatches/step ${((s1.dispatches - s0.dispatches) / steps).toFixed(1)}, submits/step ${((s1.submits - s0.submits) / steps).toFixed(2)}, cpu ${JSON.stringify(process.cpuUsage())}`);
if (process.env.WEBGRAD_PROFILE) {
  const { profileReport } = await import('./src/index.ts');
  const r = await profileReport();
  const total = r.reduce((a, b) => a + b.ms, 0);
  console.log(`GPU total ${total.toFixed(0)} ms`);
  for (const k of r.slice(0, 25)) console.log(`${k.label.padEnd(34)} ${String(k.count).padStart(6)} ${k.ms.toFixed(1).padStart(9)} ms  ${(k.ms * 1000 / k.count).toFixed(1)} us/each`);
}
