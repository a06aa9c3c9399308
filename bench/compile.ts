// bench/compile: what every pipeline of model A's first training step and first evaluate
// costs to compile, one row per pipeline (kernel label and variant): host time to create
// it, and the GPU time of its first dispatch (profiled with timestamp queries), which on
// lavapipe holds most of the compile: Mesa's llvmpipe turns a pipeline into machine code
// only when it first runs. Run it cold (a fresh machine) and warm (Mesa's shader cache):
//   MESA_SHADER_CACHE_DISABLE=true npm run bench:compile   -> bench/results/compile-cold.json
//   npm run bench:compile                                  -> bench/results/compile-warm.json
// The machine's load average is recorded with the figures: compiles share its cores.
// fit and evaluate make their pipelines ahead, asynchronously (src/fast/precompile.ts);
// WEBGRAD_LAZY_COMPILE=1 makes each at its first dispatch instead (-> compile-*-lazy.json).

import { loadavg } from 'node:os';
import { adapterInfo, loadFashionMnist, pipelineReport, profile, ready, releaseDevice, transferLearningSplits, setSeed } from 'webgrad.js';
import { modelA } from './lib/model-a.ts';
import { printTable, saveResult } from './lib/results.ts';

const cold = process.env.MESA_SHADER_CACHE_DISABLE === 'true';
const how = process.env.WEBGRAD_LAZY_COMPILE ? 'lazy' : 'ahead';
await ready();
const adapter = await adapterInfo();
const [x, y] = transferLearningSplits(await loadFashionMnist()).trainA;
const load = loadavg();

setSeed(1);
const m = modelA();
profile(true);
const [xb, yb] = [x.slice(0, 32), y.slice(0, 32)];
let t = performance.now();
await m.fit(xb, yb, { batchSize: 32, epochs: 1, verbose: 0 });
const firstStepMs = performance.now() - t;
const stepPipelines = (await pipelineReport()).length;
t = performance.now();
await m.evaluate(xb, yb, { batchSize: 32 });
const firstEvaluateMs = performance.now() - t;
m.dispose();

const pipelines = await pipelineReport();
const sum = (f: (p: (typeof pipelines)[number]) => number | null) => pipelines.reduce((s, p) => s + (f(p) ?? 0), 0);
const rows = pipelines.map((p, i) => [
  `#${p.id} ${p.label} (${i < stepPipelines ? 'step' : 'evaluate'})`,
  p.variant,
  p.async ? 'ahead' : 'at dispatch',
  p.createMs,
  p.firstRunMs ?? NaN,
]);
rows.push(['all', `${pipelines.length} pipelines`, how, sum((p) => p.createMs), sum((p) => p.firstRunMs)]);
const table = {
  title: `Model A, pipelines of the first training step and evaluate, shader cache ${cold ? 'cold' : 'warm'} (load average ${load.map((l) => l.toFixed(2)).join(' ')})`,
  columns: ['pipeline', 'variant', 'made', 'create (host ms)', 'first run (GPU ms, incl. lazy compile)'],
  rows,
};
const summary = {
  title: `Model A, first step and evaluate, shader cache ${cold ? 'cold' : 'warm'}, pipelines made ${how} (profiled: one pass per dispatch)`,
  columns: ['figure', 'value'],
  rows: [
    ['first training step (ms)', firstStepMs],
    ['first evaluate of one batch (ms)', firstEvaluateMs],
    ['pipelines', pipelines.length],
  ],
};
printTable(table);
printTable(summary);
await saveResult({ name: `compile-${cold ? 'cold' : 'warm'}${how === 'lazy' ? '-lazy' : ''}`, adapter, date: new Date().toISOString(), loadavg: load, firstStepMs, firstEvaluateMs, pipelines, tables: [table, summary] });
releaseDevice();
