// bench/chromium: bench/step, bench/train and bench/matmul again, in headless Chromium on
// its WebGPU adapter (SwiftShader here), with TensorFlow.js and jax-js in the same page. Vite serves
// the page (bench/web) with vite.config.ts's Fashion-MNIST route; the page runs lib/, the
// code the Node CLIs run, and this script saves what it found to bench/results/
// step-chromium.json, train-chromium.json and matmul-chromium.json and regenerates
// RESULTS.md. SwiftShader is far slower than lavapipe, hence the small defaults.
// Usage: npm run bench:chromium [-- --steps 20 --batches 10 --sizes 32,256
//   --peers webgpu,wasm,cpu --jaxjs webgpu,wasm --matmul 256,512 --seconds 1]

import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { createServer } from 'vite';
import { CHROMIUM_ARGS } from '../tests/setup/chromium-flags.ts';
import { printTable, saveResult } from './lib/results.ts';
import type { BenchPage } from './web/main.ts';

const { values } = parseArgs({
  options: {
    steps: { type: 'string', default: '20' },
    batch: { type: 'string', default: '32' },
    batches: { type: 'string', default: '10' },
    sizes: { type: 'string', default: '32,256' },
    peers: { type: 'string', default: 'webgpu,wasm,cpu' },
    jaxjs: { type: 'string', default: 'webgpu,wasm' },
    matmul: { type: 'string', default: '256,512' },
    seconds: { type: 'string', default: '1' },
  },
});

const server = await createServer({
  configFile: fileURLToPath(new URL('../vite.config.ts', import.meta.url)),
  root: fileURLToPath(new URL('web', import.meta.url)),
  // vite.config.ts resolves 'webgrad.js' to src/ for bench/ (lib/matmul.ts reaches into the
  // runtime) and prebundles the peers before the page loads.
  server: { port: 0, hmr: false },
  logLevel: 'warn',
});
await server.listen();
// The adapter is the CPU: other processes running meanwhile lower every figure.
const loadBefore = loadavg()[0];
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
try {
  const page = await browser.newPage();
  // The page's progress lines (not the dev server's client: no HMR here).
  page.on('console', (m) => m.text().startsWith('[vite]') || console.log(`[page] ${m.text()}`));
  page.on('pageerror', (e) => console.error(`[page error] ${e.message}`));
  await page.goto(`${server.resolvedUrls!.local[0]}?${new URLSearchParams(values as Record<string, string>)}`);
  await page.waitForFunction(() => document.body.dataset.state !== 'running', null, { timeout: 30 * 60_000, polling: 1000 });
  const r = await page.evaluate((): BenchPage => window.benchPage);
  if (r.error || !r.step || !r.train || !r.matmul) throw new Error(`the bench page failed: ${r.error}`);
  const adapter = { ...r.adapter, browser: `Chromium ${browser.version()}` };
  const date = new Date().toISOString();
  const loadAverage = { before: loadBefore, after: loadavg()[0] };
  console.log(`1-minute load average: ${loadAverage.before.toFixed(2)} before, ${loadAverage.after.toFixed(2)} after`);
  for (const t of [r.step.table, r.train.table, r.matmul.table]) printTable(t);
  await saveResult({ name: 'step-chromium', adapter, date, loadAverage, ...r.step.figures, tables: [r.step.table] });
  await saveResult({ name: 'train-chromium', adapter, date, loadAverage, batches: Number(values.batches), figures: r.train.figures, notes: r.train.notes, tables: [r.train.table] });
  await saveResult({ name: 'matmul-chromium', adapter, date, loadAverage, sizes: r.matmul.sizes, tables: [r.matmul.table] });
} finally {
  await browser.close();
  await server.close();
}
