// bench/cold-start: is the first run as fast as the tenth? Model A (npm start's first model)
// trains for a few epochs on the task-A data twice, each in a fresh process: first with an
// empty Mesa shader cache (a fresh machine: every pipeline compiles), then with the cache that
// run filled (every later run). Per run: the first step, the first epoch's ms/step and the
// median ms/step of the later epochs. Writes bench/results/cold-start.json.
// Usage: npm run bench:cold-start [-- --epochs 5]

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { adapterInfo, LambdaCallback, loadFashionMnist, ready, releaseDevice, setSeed, transferLearningSplits } from 'webgrad.js';
import { modelA } from './lib/model-a.ts';
import { printTable, saveResult } from './lib/results.ts';

const { values } = parseArgs({ options: { epochs: { type: 'string', default: '5' }, child: { type: 'boolean', default: false } } });
const epochs = Number(values.epochs);

interface RunFigures {
  /** Time to the end of the first 8 steps: fit's first wait for the GPU, with every compile. */
  first8StepsMs: number;
  epochMsPerStep: number[];
}

/** The child: one training run of model A, its figures as JSON on the last line of stdout. */
async function child(): Promise<void> {
  await ready();
  const data = transferLearningSplits(await loadFashionMnist());
  const [x, y] = data.trainA;
  setSeed(42);
  const m = modelA();
  const steps = Math.ceil(x.length / 32);
  const t0 = performance.now();
  let first8StepsMs = 0;
  let epochStart = 0;
  const epochMsPerStep: number[] = [];
  const timer = new LambdaCallback({
    onEpochBegin: () => void (epochStart = performance.now()),
    onBatchEnd: (b) => void (b === 7 && !epochMsPerStep.length && (first8StepsMs = performance.now() - t0)),
    onEpochEnd: () => void epochMsPerStep.push((performance.now() - epochStart) / steps),
  });
  await m.fit(x, y, { epochs, verbose: 0, callbacks: [timer], validationData: data.validA });
  releaseDevice();
  console.log(JSON.stringify({ first8StepsMs, epochMsPerStep } satisfies RunFigures));
}

function run(cacheDir: string): RunFigures {
  const env = { ...process.env, MESA_SHADER_CACHE_DIR: cacheDir, MESA_SHADER_CACHE_DISABLE: 'false' };
  const args = ['--import', './scripts/register.mjs', 'bench/cold-start.ts', '--child', '--epochs', String(epochs)];
  const r = spawnSync(process.execPath, args, { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (r.status !== 0) throw new Error(`bench/cold-start: the child run failed (exit ${r.status})`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as RunFigures;
}

if (values.child) {
  await child();
} else {
  await ready();
  const adapter = await adapterInfo();
  releaseDevice();
  const cache = mkdtempSync(join(tmpdir(), 'webgrad-mesa-cache-'));
  const load = loadavg();
  const cold = run(cache);
  const warm = run(cache);
  rmSync(cache, { recursive: true, force: true });
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
  const row = (name: string, f: RunFigures) => {
    const later = median(f.epochMsPerStep.slice(1));
    return [name, f.first8StepsMs, f.epochMsPerStep[0], later, f.epochMsPerStep[0] / later];
  };
  const table = {
    title: `Model A, ${epochs} epochs at batch 32, shader cache cold then warm (load average ${load.map((l) => l.toFixed(2)).join(' ')})`,
    columns: ['shader cache', 'first 8 steps (ms)', 'first epoch (ms/step)', 'later epochs, median (ms/step)', 'first / later'],
    rows: [row('cold (empty)', cold), row('warm', warm)],
  };
  printTable(table);
  await saveResult({ name: 'cold-start', adapter, date: new Date().toISOString(), loadavg: load, epochs, cold, warm, tables: [table] });
}
