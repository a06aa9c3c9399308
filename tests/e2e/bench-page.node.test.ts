// End to end: the site's benchmark page (examples/web/bench.html, `npm run build:site`)
// served as static files and opened in Debian's headless Chromium (SwiftShader WebGPU,
// WebGL on SwiftShader too) with ?autorun=1&preset=short. We check that the run ends in
// 'done', that its JSON has bench/results' schema (train-chromium.json's top level, plus
// the MLP and matmul sweeps), that every peer (webgrad, TF.js webgpu/wasm/webgl, jax-js
// webgpu/wasm) produced a number for every figure, and that the page shows them.
// Node project only: it builds the site and starts a server and a browser. Read next:
// examples/web/bench/main.ts.

import { expect, test } from 'vitest';
import type { BenchStatus } from '../../examples/web/bench/main.ts';
import { useBuiltSite } from '../util/built-site.ts';

const PEERS = ['webgrad', 'tfjs-webgpu', 'tfjs-wasm', 'tfjs-webgl', 'jaxjs-webgpu', 'jaxjs-wasm'];

const site = useBuiltSite(180_000);

const positive = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v > 0;

test('bench.html?autorun=1&preset=short runs every peer on every part and gives its JSON', { timeout: 300_000 }, async () => {
  const page = await site.browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  // Every peer is loaded from the site: a request elsewhere would be a CDN.
  const foreign: string[] = [];
  page.on('request', (r) => r.url().startsWith(site.url) || r.url().startsWith('data:') || r.url().startsWith('blob:') || foreign.push(r.url()));
  await page.goto(`${site.url}bench.html?autorun=1&preset=short&data=fashion/`);
  await page.waitForFunction(() => ['done', 'error'].includes(window.webgradBench?.state), null, { timeout: 280_000, polling: 500 });
  const status = await page.evaluate((): BenchStatus => window.webgradBench);
  expect(status.error).toBeNull();
  expect(errors).toEqual([]);
  expect(foreign).toEqual([]);
  expect(status.state).toBe('done');
  const r = status.results!;

  // train-chromium.json's top level: name, adapter, date, batches, figures, notes, tables.
  expect(r).toMatchObject({ name: 'bench-page', batches: 2, notes: [] });
  expect(r.adapter).toMatchObject({ architecture: 'swiftshader', host: 'browser' });
  expect(Number.isNaN(Date.parse(r.date))).toBe(false);
  // Model A at batch 32 and 256: webgrad (captured and eager) and each peer a number.
  expect(r.figures.map((f) => f.batchSize)).toEqual([32, 256]);
  for (const f of r.figures as { webgradSamplesPerSec: number; webgradEagerSamplesPerSec: number; tfjs: Record<string, number>; jaxjs: Record<string, number> }[]) {
    expect(positive(f.webgradSamplesPerSec) && positive(f.webgradEagerSamplesPerSec)).toBe(true);
    expect(Object.keys(f.tfjs).sort()).toEqual(['wasm', 'webgl', 'webgpu']);
    expect(Object.keys(f.jaxjs).sort()).toEqual(['wasm', 'webgpu']);
    for (const v of [...Object.values(f.tfjs), ...Object.values(f.jaxjs)]) expect(positive(v)).toBe(true);
  }
  // The MLP sweep (one width in the short preset) and the matmul sweep, every peer a number.
  expect(r.mlp.figures.map((f) => f.width)).toEqual([256]);
  for (const f of r.mlp.figures as { tfjs: Record<string, number>; jaxjs: Record<string, number> }[]) {
    for (const v of [...Object.values(f.tfjs), ...Object.values(f.jaxjs)]) expect(positive(v)).toBe(true);
  }
  expect(r.matmul.figures.map((f) => f.n)).toEqual([128]);
  expect(Object.keys(r.matmul.figures[0].gflops)).toEqual(PEERS);
  for (const v of Object.values(r.matmul.figures[0].gflops)) expect(positive(v)).toBe(true);
  // Tables as RESULTS.md draws them: model A, the MLP width, matmul.
  expect(r.tables.map((t) => t.title)).toEqual([expect.stringMatching(/^Model A training/), expect.stringMatching(/^MLP 784-256-256-8 training/), expect.stringMatching(/^Square matmul/)]);

  // The page: a table per part with a cell per peer and the ratio to the best one, the chart, the download.
  const header = await page.$$eval('table[data-part="modela"] th', (ths) => ths.map((t) => t.textContent));
  expect(header).toEqual(['batch', ...PEERS, 'webgrad / best peer']);
  const cells = await page.$$eval('#tables td', (tds) => tds.map((t) => t.textContent ?? ''));
  expect(cells.filter((c) => c.includes('GF/s'))).toHaveLength(4 * PEERS.length);
  expect(cells.some((c) => c === '…' || c.startsWith('failed'))).toBe(false);
  expect(await page.textContent('#adapter')).toContain('swiftshader');
  const drawn = await page.$eval('#chart', (c) => {
    const px = (c as HTMLCanvasElement).getContext('2d')!.getImageData(0, 0, (c as HTMLCanvasElement).width, (c as HTMLCanvasElement).height).data;
    return px.some((v, i) => i % 4 === 3 && v > 0);
  });
  expect(drawn).toBe(true);
  const download = await page.$eval('#download', (a) => ({ hidden: (a as HTMLAnchorElement).hidden, href: (a as HTMLAnchorElement).href }));
  expect(download.hidden).toBe(false);
  const json = await page.evaluate((href) => fetch(href).then((res) => res.json()), download.href);
  expect(json).toEqual(JSON.parse(JSON.stringify(r)));
  await page.close();
});

test('a bad URL parameter is a named error on the page', async () => {
  const page = await site.browser.newPage();
  await page.goto(`${site.url}bench.html?peers=tfjs-webgpu,pytorch`);
  await page.waitForFunction(() => window.webgradBench?.state === 'error');
  expect(await page.evaluate(() => window.webgradBench.error)).toBe('BenchPlanError: ?peers=tfjs-webgpu,pytorch: unknown pytorch; expected some of tfjs-webgpu, tfjs-wasm, tfjs-webgl, jaxjs-webgpu, jaxjs-wasm');
  await page.close();
});

test("missing data is an error in the page's words: the folder it looked in and the Data field", async () => {
  const page = await site.browser.newPage();
  await page.goto(`${site.url}bench.html?autorun=1&preset=short&parts=modela&data=nowhere/`);
  await page.waitForFunction(() => window.webgradBench?.state === 'error', null, { timeout: 60_000 });
  const error = await page.evaluate(() => window.webgradBench.error);
  expect(error).toMatch(/^Fashion-MNIST is not at http:\/\/localhost:\d+\/nowhere\/: put its four \.gz files there/);
  expect(error).toContain('the Data field (?data=)');
  expect(await page.textContent('#error')).toBe(error);
  await page.close();
});
