// End to end: the examples page (examples/web) built as a static site (`npm run build:site`,
// vite.config.ts, on the built package), served by a plain static file server and opened in
// Debian's headless Chromium (SwiftShader WebGPU) through playwright-core. The page runs the
// transfer-learning pipeline on a small subset with a small epochs scale, its data from a
// ?data= URL, as a user would from the URL; then a topic example on the four files picked
// in its file input. We check the adapter line, the live charts, the tables, the final
// charts, and that frames kept coming while it trained.
// Node project only: it builds the site and starts a server and a browser. Read next:
// examples/web/main.ts.

import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { expect, test } from 'vitest';
import { DATA_FILES, dataDir, useBuiltSite } from '../util/built-site.ts';

/** What main.ts exposes as window.webgradPage (the fields we check); R is the run's result. */
interface PageStatus<R> {
  state: string;
  error: string | null;
  maxFrameGapMs: number;
  frames: number;
  livePoints: Record<string, number>;
  result: R;
}

/** The pipeline's PipelineResult (examples/lib/transfer-learning.ts), the fields we check. */
interface PipelineFigures {
  phases: { phase: string; epochs: number; history: Record<string, number[]> }[];
  modelA: { valAccuracy: number; testAccuracy: number; testLoss: number };
  modelB: { testAccuracy: number; testLoss: number };
  modelBOnA: { testAccuracy: number; testLoss: number };
  errorRateReduction: number;
}

/** A topic example's ExampleResult (examples/lib/experiment.ts), the fields we check. */
interface ExampleFigures {
  runs: { name: string; history: Record<string, number[]> }[];
}

const site = useBuiltSite(120_000);

/** Opens the page with `query`, runs `before` (e.g. picks files), waits until its run is done (or failed), returns its status. */
async function runPage<R>(query: string, errors: string[], before?: (page: Page) => Promise<void>): Promise<{ page: Page; status: PageStatus<R> }> {
  const page = await site.browser.newPage();
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${site.url}?${query}`);
  await before?.(page);
  await page.waitForFunction(() => ['done', 'error'].includes(document.body.dataset.state ?? ''), null, { timeout: 200_000, polling: 500 });
  return { page, status: await page.evaluate(() => (window as unknown as { webgradPage: PageStatus<R> }).webgradPage) };
}

/** For each final chart's canvas: its size and whether anything was drawn on it. */
const canvases = (page: Page) =>
  page.$$eval('#charts canvas', (list) =>
    (list as HTMLCanvasElement[]).map((c) => {
      const pixels = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      return { width: c.width, height: c.height, drawn: pixels.some((v, i) => i % 4 === 3 && v > 0) };
    }),
  );

/** The first bytes of a .keras file (a zip: "PK\x03\x04") and of an .h5 file ("\x89HDF"). */
const MODEL_FILE_SIGNATURES = { keras: [0x50, 0x4b, 0x03, 0x04], h5: [0x89, 0x48, 0x44, 0x46] };

/** In the page: the size and first 4 bytes of the model file stored under `key` (src/io/browser-files.ts's store). */
async function storedModelHead(key: string): Promise<{ bytes: number; signature: number[] }> {
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const open = indexedDB.open('webgrad-models');
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
  });
  const value = await new Promise<unknown>((resolve, reject) => {
    const get = db.transaction('models', 'readonly').objectStore('models').get(key);
    get.onsuccess = () => resolve(get.result);
    get.onerror = () => reject(get.error);
  });
  db.close();
  const bytes = value instanceof Uint8Array ? value : new Uint8Array(0);
  return { bytes: bytes.length, signature: Array.from(bytes.subarray(0, 4)) };
}

test('the pipeline runs on the page: adapter, live charts, the table, the final charts', { timeout: 240_000 }, async () => {
  const errors: string[] = [];
  const { page, status } = await runPage<PipelineFigures>('example=pipeline&scale=0.05&subset=500&data=fashion/&autorun=1', errors);
  expect(status.error).toBeNull();
  expect(errors).toEqual([]);
  expect(status.state).toBe('done');
  expect(await page.textContent('#adapter')).toMatch(/^Adapter: .*\(browser\)$/);
  // The README's quick run, "Epochs × 0.1", is a value the form accepts.
  expect(await page.$eval('input[name="scale"]', (el) => ((el as HTMLInputElement).value = '0.1', (el as HTMLInputElement).checkValidity()))).toBe(true);

  // Every phase ran its scaled epochs (max(1, round(n × 0.05)) of 20, 20, 4, 16) and logged them.
  const r = status.result;
  expect(r.phases.map((p) => [p.phase, p.epochs])).toEqual([['modelA', 1], ['modelB', 1], ['bOnAFrozen', 1], ['bOnA', 1]]);
  for (const p of r.phases) for (const k of ['loss', 'accuracy', 'val_loss', 'val_accuracy']) expect(p.history[k]).toHaveLength(1);
  // Sane numbers: losses finite and positive, accuracies in [0, 1], model A above chance (1/8).
  for (const m of [r.modelA, r.modelB, r.modelBOnA]) {
    expect(m.testLoss).toBeGreaterThan(0);
    expect(Number.isFinite(m.testLoss)).toBe(true);
    expect(m.testAccuracy).toBeGreaterThanOrEqual(0);
    expect(m.testAccuracy).toBeLessThanOrEqual(1);
  }
  expect(r.modelA.valAccuracy).toBeGreaterThan(0.2);
  expect(r.errorRateReduction).toBeGreaterThan(0);

  const table = (await page.textContent('#table')) ?? '';
  for (const row of ['model A (8)', 'model B', 'B on A', 'dropped the error rate by a factor of']) expect(table).toContain(row);
  expect(table).toContain(`${(r.modelBOnA.testAccuracy * 100).toFixed(2)}%`);

  // Live charts: a training and a validation point per epoch of each phase, on both charts.
  expect(status.livePoints).toEqual({ loss: 8, accuracy: 8 });
  // Final charts: loss and accuracy of each of the 4 phases, all drawn.
  const drawn = await canvases(page);
  expect(drawn).toHaveLength(8);
  for (const c of drawn) expect(c).toMatchObject({ drawn: true });
  // The page kept painting while it trained: frames came, none more than 1.5 s apart.
  expect(status.frames).toBeGreaterThan(10);
  expect(status.maxFrameGapMs).toBeLessThan(1500);
  // model_A.save('indexeddb://my_model_A'): a model file (a .keras zip, the default without
  // an extension, or an .h5) in webgrad's IndexedDB store, at least as big as its weights.
  const saved = await page.evaluate(storedModelHead, 'my_model_A');
  expect([MODEL_FILE_SIGNATURES.keras, MODEL_FILE_SIGNATURES.h5]).toContainEqual(saved.signature);
  expect(saved.bytes).toBeGreaterThan(4 * (784 * 300 + 300 * 100));
  await page.close();
});

/** Picks the four data files in the page's file input, waits until they are read, then presses Run. */
async function pickFilesAndRun(page: Page): Promise<void> {
  await page.waitForFunction(() => document.body.dataset.state === 'ready');
  await page.setInputFiles('#files', DATA_FILES.map((f) => join(dataDir!, f)));
  await page.waitForFunction(() => document.querySelector('#progress-text')?.textContent === 'Fashion-MNIST loaded from the files picked.', null, { timeout: 60_000 });
  expect(await page.textContent('#data-url')).toBe('the files picked');
  await page.click('button[type="submit"]');
}

test('a topic example runs on files picked from disk: regularization with MC Dropout, its table and charts', { timeout: 240_000 }, async () => {
  const errors: string[] = [];
  const { page, status } = await runPage<ExampleFigures>('example=regularization&train=64&valid=64&test=64&epochs=1', errors, pickFilesAndRun);
  expect(status.error).toBeNull();
  expect(errors).toEqual([]);
  const r = status.result;
  expect(r.runs.map((x) => x.name)).toEqual(['l2 (RegularizedDense)', 'Dropout', 'AlphaDropout', 'Max-norm']);
  for (const run of r.runs) for (const v of run.history.val_accuracy) expect(v).toBeGreaterThanOrEqual(0);
  const table = (await page.textContent('#table')) ?? '';
  for (const row of ['MC mean of 100', 'MC std of 100', 'model.predict()', 'from the MC mean']) expect(table).toContain(row);
  expect(status.livePoints).toEqual({ loss: 8, accuracy: 8 });
  // Training and validation accuracy (lines) and the MC Dropout bars, all drawn.
  const drawn = await canvases(page);
  expect(drawn).toHaveLength(3);
  for (const c of drawn) expect(c).toMatchObject({ drawn: true });
  await page.close();
});

test("the batch-norm example runs from the picker: LeakyReLU, PReLU and the chapter's BN models", { timeout: 240_000 }, async () => {
  const errors: string[] = [];
  const { page, status } = await runPage<ExampleFigures>('example=batch-norm&train=64&valid=64&test=64&epochs=1&data=fashion/&autorun=1', errors);
  expect(status.error).toBeNull();
  expect(errors).toEqual([]);
  expect(status.result.runs.map((x) => x.name)).toEqual(['LeakyReLU', 'PReLU', 'BatchNormalization', 'BN before activation']);
  for (const run of status.result.runs) expect(run.history.val_accuracy[0]).toBeGreaterThanOrEqual(0);
  const table = (await page.textContent('#table')) ?? '';
  expect(table).toContain("('batch_normalization/moving_variance:0', False)");
  expect(table).toContain('Non-trainable params: 2,368');
  const drawn = await canvases(page);
  expect(drawn).toHaveLength(3);
  for (const c of drawn) expect(c).toMatchObject({ drawn: true });
  await page.close();
});
