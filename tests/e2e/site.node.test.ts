// End to end: the examples page (examples/web) built as a static site (`npm run build:site`,
// vite.config.ts, on the built package), served by a plain static file server and opened in
// Debian's headless Chromium (SwiftShader WebGPU, in the page's training Worker) through
// playwright-core. From the URL, as a user would: the pipeline on a small subset (live from
// model A's first epoch, the gallery, a confusion matrix per model, the final charts); Stop,
// then a second run; a topic example on picked files; the Functional API example; every Sequential Keras file of
// ../shared/fixtures through ?model= and by picking, with its reference accuracy; and a
// damaged model file, a wrong data file and a missing URL, each in the page's words.
// Screenshots of each stage go to tests/e2e/.artifacts/. Node project only.
// Read next: examples/web/main.ts.

import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { beforeAll, expect, test } from 'vitest';
import { readIdx } from '../../src/data/idx.ts';
import { DATA_FILES, dataDir, useBuiltSite } from '../util/built-site.ts';
import { FIXTURES } from '../util/files.ts';

const ARTIFACTS = fileURLToPath(new URL('.artifacts/', import.meta.url));
const CLASS_NAMES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];

/** What main.ts exposes as window.webgradPage (the fields we check); R is the run's result. */
interface PageStatus<R> {
  state: string;
  error: string | null;
  ignored: string[];
  maxFrameGapMs: number;
  frames: number;
  longestTaskMs: number;
  livePoints: Record<string, number>;
  firstFeedbackMs: number | null;
  stepsReplayed: number;
  progress: { phase: string; epoch: number; batch: number; batches: number; samplesPerSec: number } | null;
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

/** example=evaluate's result. */
interface Evaluation {
  accuracy: number;
  loss: number;
  split: string;
  confusion: number[][];
}

/** Every Sequential Keras file of the fixtures, with the accuracy its README (or corpus.json) gives and its split's size. */
const MODEL_FILES: { dir: string; file: string; accuracy: number; n: number }[] = [
  { dir: 'keras', file: 'model_A_keras2.4.h5', accuracy: 0.9101, n: 8000 },
  { dir: 'keras', file: 'model_A_keras3.5.keras', accuracy: 0.8942, n: 8000 },
  ...(JSON.parse(readFileSync(join(FIXTURES, 'keras-corpus/corpus.json'), 'utf8')) as { file: string; accuracy: number; n_test: number }[]).map((e) => ({
    dir: 'keras-corpus',
    file: e.file,
    accuracy: e.accuracy,
    n: e.n_test,
  })),
];

const built = useBuiltSite(120_000);
let site: string;
let testLabels: Uint8Array;

beforeAll(async () => {
  site = built.dir;
  // The model files under models/, beside the site (the data is under fashion/, where ?data=fashion/ finds it).
  mkdirSync(join(site, 'models'));
  for (const m of MODEL_FILES) symlinkSync(resolve(FIXTURES, m.dir, m.file), join(site, 'models', m.file));
  mkdirSync(ARTIFACTS, { recursive: true });
  testLabels = (await readIdx(readFileSync(join(dataDir!, 't10k-labels-idx1-ubyte.gz')), 't10k-labels')).data as Uint8Array;
});

const statusOf = <R>(page: Page) => page.evaluate(() => (window as unknown as { webgradPage: PageStatus<R> }).webgradPage) as Promise<PageStatus<R>>;
const settled = (page: Page, states = ['done', 'error', 'stopped'], timeout = 200_000) =>
  page.waitForFunction((s) => s.includes(document.body.dataset.state ?? ''), states, { timeout, polling: 250 });
const shot = (page: Page, name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });

/** Opens the page with `query` and collects its uncaught errors. */
/** The first pipeline run's figures, which the plain-path run must reproduce. */
let pipelineFigures: PipelineFigures | null = null;

async function open(query: string, errors: string[]): Promise<Page> {
  const page = await built.browser.newPage({ viewport: { width: 1100, height: 900 } });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${built.url}?${query}`);
  return page;
}

/** For each canvas under `selector`: whether anything was drawn on it. */
const drawn = (page: Page, selector: string) =>
  page.$$eval(selector, (list) =>
    (list as HTMLCanvasElement[]).map((c) => c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data.some((v, i) => i % 4 === 3 && v > 0)),
  );

/** The confusion tables on the page: caption and cell counts. */
const confusions = (page: Page) =>
  page.$$eval('table.confusion', (tables) =>
    (tables as HTMLTableElement[]).map((t) => ({
      phase: t.dataset.phase ?? '',
      caption: t.caption?.textContent ?? '',
      matrix: [...t.tBodies[0].rows].map((r) => [...r.querySelectorAll('td')].map((c) => Number(c.textContent))),
    })),
  );

/** The gallery: what each image is predicted as, and its true class. */
const galleryCells = (page: Page) =>
  page.$$eval('#gallery figure', (cells) =>
    cells.map((c) => {
      const predicted = c.querySelector('b')?.textContent ?? '';
      const truth = c.querySelector('.truth')?.textContent ?? '';
      return { predicted, truth: truth === '✓' ? predicted : truth.replace(/^✗ is /, ''), wrong: c.classList.contains('wrong') };
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

const trace = (m: number[][]) => m.reduce((s, row, i) => s + row[i], 0);
const total = (m: number[][]) => m.flat().reduce((a, b) => a + b, 0);

test('the pipeline, live from model A’s first epoch, in a worker: gallery, a confusion matrix per model, table and charts', { timeout: 240_000 }, async () => {
  const errors: string[] = [];
  const page = await open('example=pipeline&scale=0.05&subset=2000&data=fashion/&autorun=1', errors);
  // The first live point comes while model A trains its first epoch (63 batches of 32 here).
  await page.waitForFunction(() => (window as unknown as { webgradPage: PageStatus<unknown> }).webgradPage.firstFeedbackMs !== null, null, { timeout: 120_000, polling: 50 });
  // Read together: the progress then, and its line on the page.
  const early = await page.evaluate(() => ({
    progress: (window as unknown as { webgradPage: PageStatus<unknown> }).webgradPage.progress,
    line: document.querySelector('#progress-text')?.textContent ?? '',
  }));
  expect(early.progress).toMatchObject({ phase: 'modelA', epoch: 0, batches: 63 });
  expect(early.progress!.batch).toBeLessThanOrEqual(63);
  expect(early.line).toMatch(/^Model A \(8 classes\) \(1 of 4\): epoch 1 of 1, batch \d+ of 63 — ([\d,]+ images\/s, about .* left|measuring the speed…)$/);
  await shot(page, '1-pipeline-live');
  await settled(page);
  const status = await statusOf<PipelineFigures>(page);
  expect(status.error).toBeNull();
  expect(errors).toEqual([]);
  expect(status.state).toBe('done');
  expect(await page.textContent('#adapter')).toMatch(/^Adapter: \S.*\(browser\)$/);
  const r = status.result;
  pipelineFigures = r;
  expect(status.stepsReplayed).toBeGreaterThan(50); // the fast path: captured steps replayed
  expect(r.phases.map((p) => [p.phase, p.epochs])).toEqual([['modelA', 1], ['modelB', 1], ['bOnAFrozen', 1], ['bOnA', 1]]);
  expect(r.modelA.valAccuracy).toBeGreaterThan(0.2);
  // Live curves: more than one point per epoch (running values), on both charts of each phase.
  expect(status.livePoints.loss).toBeGreaterThan(8);
  expect(status.livePoints.accuracy).toBe(status.livePoints.loss);
  expect(await drawn(page, '#live canvas')).toEqual(new Array(8).fill(true));
  const table = (await page.textContent('#table')) ?? '';
  for (const row of ['model A (8)', 'model B', 'B on A', 'dropped the error rate by a factor of']) expect(table).toContain(row);
  expect(await drawn(page, '#charts canvas')).toEqual(new Array(8).fill(true));
  // One confusion matrix per phase; each sums to its test split (cut to 2,000) and its diagonal is the accuracy evaluate() gives.
  const c = await confusions(page);
  expect(c.map((t) => t.phase)).toEqual(['modelA', 'modelB', 'bOnAFrozen', 'bOnA']);
  for (const t of c) expect(total(t.matrix)).toBe(2000);
  expect(trace(c[0].matrix) / 2000).toBeCloseTo(r.modelA.testAccuracy, 6);
  expect(trace(c[1].matrix) / 2000).toBeCloseTo(r.modelB.testAccuracy, 6);
  expect(trace(c[3].matrix) / 2000).toBeCloseTo(r.modelBOnA.testAccuracy, 6);
  // The gallery: task B's first 24 test images (sandal or shirt), mistakes marked.
  const g = await galleryCells(page);
  expect(g).toHaveLength(24);
  for (const cell of g) {
    expect(['Sandal', 'Shirt']).toContain(cell.truth);
    expect(cell.wrong).toBe(cell.predicted !== cell.truth);
  }
  // The worker kept the main thread free: frames kept coming.
  expect(status.frames).toBeGreaterThan(10);
  expect(status.maxFrameGapMs).toBeLessThan(1500);
  // model_A.save('indexeddb://my_model_A') from the worker: a model file in webgrad's IndexedDB store.
  const saved = await page.evaluate(storedModelHead, 'my_model_A');
  expect([MODEL_FILE_SIGNATURES.keras, MODEL_FILE_SIGNATURES.h5]).toContainEqual(saved.signature);
  expect(saved.bytes).toBeGreaterThan(4 * (784 * 300 + 300 * 100));
  await shot(page, '2-pipeline-done');
  await page.close();
});

test('?plain=1 trains on the plain path in the worker (no speed-up of src/fast): the same figures as the run above', { timeout: 240_000 }, async () => {
  expect(pipelineFigures).not.toBeNull();
  const errors: string[] = [];
  const page = await open('example=pipeline&scale=0.05&subset=2000&data=fashion/&autorun=1&plain=1', errors);
  await settled(page);
  const status = await statusOf<PipelineFigures>(page);
  expect(status.error).toBeNull();
  expect(errors).toEqual([]);
  expect(status.stepsReplayed).toBe(0); // no capture: the plain loop ran every step
  const r = status.result;
  expect([r.modelA, r.modelB, r.modelBOnA, r.errorRateReduction]).toEqual([pipelineFigures!.modelA, pipelineFigures!.modelB, pipelineFigures!.modelBOnA, pipelineFigures!.errorRateReduction]);
  expect(r.phases.map((p) => p.history)).toEqual(pipelineFigures!.phases.map((p) => p.history));
  await page.close();
});

test('Stop ends a run within a moment and keeps what it learnt; the page then runs again', { timeout: 240_000 }, async () => {
  const errors: string[] = [];
  const page = await open('example=pipeline&scale=1&subset=3000&data=fashion/&autorun=1', errors);
  await page.waitForFunction(() => (window as unknown as { webgradPage: PageStatus<unknown> }).webgradPage.firstFeedbackMs !== null, null, { timeout: 120_000, polling: 100 });
  // Fields are locked while it runs; Stop is not.
  expect(await page.isDisabled('input[name="scale"]')).toBe(true);
  await page.click('#stop');
  const pressed = Date.now();
  await settled(page, ['stopped', 'error'], 60_000);
  const status = await statusOf(page);
  expect(status.state).toBe('stopped');
  expect(status.error).toBeNull();
  expect(Date.now() - pressed).toBeLessThan(30_000);
  expect(status.progress?.phase).toBe('modelA');
  // What it learnt: model A's curves so far, its gallery and its confusion matrix, and the model to save.
  expect((await confusions(page)).map((t) => t.phase)).toEqual(['modelA']);
  // Only model A's live charts stay (the phases that never started are gone), both drawn.
  expect(await drawn(page, '#live canvas')).toEqual([true, true]);
  expect(await page.isVisible('#model')).toBe(true);
  expect(await page.isDisabled('input[name="scale"]')).toBe(false);
  await shot(page, '3-stopped');
  // The stopped model is usable: downloaded as .h5, kept in IndexedDB, and the download evaluates when picked.
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-save="h5"]')]);
  expect(download.suggestedFilename()).toBe('modelA.h5');
  const file = join(site, 'stopped-modelA.h5');
  await download.saveAs(file);
  expect([...readFileSync(file).subarray(0, 4)]).toEqual(MODEL_FILE_SIGNATURES.h5);
  await page.click('[data-save="indexeddb"]');
  await page.waitForFunction(() => /indexeddb:\/\/modelA/.test(document.querySelector('#saved')?.textContent ?? ''));
  expect((await page.evaluate(storedModelHead, 'modelA')).signature).toEqual(MODEL_FILE_SIGNATURES.keras);
  await page.selectOption('select[name="example"]', 'evaluate');
  await page.setInputFiles('#model-file', file);
  await page.click('#run');
  await settled(page);
  const evaluated = await statusOf<Evaluation>(page);
  expect(evaluated.error).toBeNull();
  expect(evaluated.result.split).toMatch(/^task A's test split/);
  expect(total(evaluated.result.confusion)).toBe(8000);
  await page.selectOption('select[name="example"]', 'pipeline');
  // A second, short run on the same page.
  await page.fill('input[name="scale"]', '0.05');
  await page.fill('input[name="subset"]', '300');
  await page.click('#run');
  await settled(page);
  const again = await statusOf<PipelineFigures>(page);
  expect(again.state).toBe('done');
  expect(again.result.phases).toHaveLength(4);
  expect(errors).toEqual([]);
  await page.close();
});

test('a topic example runs on files picked from disk; a file that is not a data file is listed as not used', { timeout: 240_000 }, async () => {
  const errors: string[] = [];
  const page = await open('example=regularization&train=64&valid=64&test=64&epochs=1', errors);
  await page.waitForFunction(() => document.body.dataset.state === 'ready');
  const note = join(site, 'notes.txt');
  writeFileSync(note, 'not data');
  await page.setInputFiles('#files', [...DATA_FILES.map((f) => join(dataDir!, f)), note]);
  await page.waitForFunction(() => document.querySelector('#progress-text')?.textContent === 'Fashion-MNIST loaded from the files picked.', null, { timeout: 60_000 });
  expect(await page.textContent('#ignored')).toBe('Not used: notes.txt: not one of the four Fashion-MNIST files.');
  await page.click('#run');
  await settled(page);
  const status = await statusOf<{ runs: { name: string }[] }>(page);
  expect(status.error).toBeNull();
  expect(errors).toEqual([]);
  expect(status.result.runs.map((x) => x.name)).toEqual(['l2 (RegularizedDense)', 'Dropout', 'AlphaDropout', 'Max-norm']);
  expect((await page.textContent('#table')) ?? '').toContain('MC mean of 100');
  expect(await drawn(page, '#charts canvas')).toEqual([true, true, true]);
  // The gallery: the test set's first 24 images, their true classes from the labels file.
  expect((await galleryCells(page)).map((c) => c.truth)).toEqual(Array.from(testLabels.subarray(0, 24), (l) => CLASS_NAMES[l]));
  await shot(page, '4-regularization-picked');
  await page.close();
});

test('the Functional API example: two Functional models, live curves of the main output, table and charts', { timeout: 240_000 }, async () => {
  const errors: string[] = [];
  const page = await open('example=functional&train=256&valid=64&test=64&epochs=1&data=fashion/&autorun=1', errors);
  // The first view's line for it (hidden once the run starts, still in the page).
  expect(await page.textContent('#menu')).toContain('The Functional API — chapter 10, § Building Complex Models Using the Functional API');
  await settled(page);
  const status = await statusOf<{ runs: { name: string; history: Record<string, number[]> }[] }>(page);
  expect(status.error).toBeNull();
  expect(errors).toEqual([]);
  expect(status.state).toBe('done');
  expect(status.result.runs.map((x) => x.name)).toEqual(['Wide & Deep', 'Wide & Deep, two inputs, auxiliary output']);
  expect(Object.keys(status.result.runs[1].history)).toContain('val_main_output_accuracy');
  // Both models' live charts drew, the two-output one with its main output's accuracy (its logs have no plain `accuracy`).
  expect(status.livePoints.accuracy).toBe(status.livePoints.loss);
  expect(await drawn(page, '#live canvas')).toEqual([true, true, true, true]);
  const table = (await page.textContent('#table')) ?? '';
  for (const row of ['Two inputs, two outputs: test loss', 'Saved as .keras and loaded back']) expect(table).toContain(row);
  expect(await drawn(page, '#charts canvas')).toEqual([true, true]);
  // Functional models get no gallery or confusion matrix (the page shows those for Sequential classifiers).
  expect(await confusions(page)).toEqual([]);
  await shot(page, '5-functional-done');
  await page.close();
});

test('every Sequential Keras file of the fixtures, through ?model= and by picking: its reference accuracy, gallery and confusion matrix', { timeout: 600_000 }, async () => {
  // NOTE: the Functional files of ../shared/fixtures/keras-functional are not here: they need the Functional API.
  const errors: string[] = [];
  let picker: Page | null = null;
  for (const m of MODEL_FILES) {
    const page = await open(`model=models/${m.file}&data=fashion/&autorun=1`, errors);
    await settled(page);
    const { result, error } = await statusOf<Evaluation>(page);
    expect(error, m.file).toBeNull();
    expect(result.accuracy.toFixed(4), m.file).toBe(m.accuracy.toFixed(4));
    expect(total(result.confusion)).toBe(m.n);
    expect(trace(result.confusion)).toBe(Math.round(result.accuracy * m.n));
    expect(await galleryCells(page)).toHaveLength(24);
    if (m === MODEL_FILES[0]) await shot(page, '5-evaluate-url');
    await page.close();
    // The same file picked, on one page that keeps its data between files.
    if (!picker) {
      picker = await open('example=evaluate&data=fashion/', errors);
      await picker.waitForFunction(() => document.body.dataset.state === 'ready');
    }
    await picker.setInputFiles('#model-file', join(FIXTURES, m.dir, m.file));
    await picker.click('#run');
    await settled(picker);
    const picked = await statusOf<Evaluation>(picker);
    expect(picked.error, m.file).toBeNull();
    expect(picked.result.accuracy.toFixed(4), m.file).toBe(m.accuracy.toFixed(4));
  }
  await shot(picker!, '6-evaluate-picked');
  await picker?.close();
  expect(errors).toEqual([]);
});

test('a damaged model file, a wrong data file and a missing URL each get the page’s words', { timeout: 240_000 }, async () => {
  const errors: string[] = [];
  // A damaged model file, picked: the first half of a real .h5.
  const damaged = join(site, 'damaged.h5');
  const bytes = readFileSync(join(FIXTURES, 'keras/model_A_keras2.4.h5'));
  writeFileSync(damaged, bytes.subarray(0, bytes.length >> 1));
  const page = await open('example=evaluate&data=fashion/', errors);
  await page.waitForFunction(() => document.body.dataset.state === 'ready');
  // The first view: each example with its expected duration here, from a measured speed.
  await page.waitForFunction(() => /images a second/.test(document.querySelector('#speed')?.textContent ?? ''), null, { timeout: 60_000 });
  expect(await page.$$eval('#menu li', (li) => li.map((l) => l.textContent ?? ''))).toEqual(
    expect.arrayContaining([expect.stringMatching(/^Transfer learning, the quick way — § Reusing Pretrained Layers: .*; about \d+ (s|min|h \d+ min) here\.$/)]),
  );
  await shot(page, '0-first-view');
  await page.setInputFiles('#model-file', damaged);
  await page.click('#run');
  await settled(page);
  let status = await statusOf(page);
  expect(status.state).toBe('error');
  expect(status.error).toMatch(/^damaged\.h5 is damaged or cut short\. Pick another file/);
  expect(await page.getAttribute('#status', 'class')).toContain('failed');
  expect(await page.textContent('#progress-text')).toBe('');
  await shot(page, '7-error-damaged-model');
  // The same file dropped on the page: the advice says to drop another.
  await page.evaluate(async (half) => {
    const transfer = new DataTransfer();
    transfer.items.add(new File([new Uint8Array(half)], 'dropped.h5'));
    document.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
  }, [...bytes.subarray(0, bytes.length >> 1)]);
  await page.waitForFunction(() => /dropped\.h5/.test(document.querySelector('#error')?.textContent ?? ''), null, { timeout: 60_000 });
  expect((await statusOf(page)).error).toMatch(/^dropped\.h5 is damaged or cut short\. Drop another file/);
  await page.close();

  // A missing URL.
  const missing = await open('model=models/nowhere.h5&data=fashion/&autorun=1', errors);
  await settled(missing);
  status = await statusOf(missing);
  expect(status.error).toMatch(/models\/nowhere\.h5 could not be fetched \(HTTP 404\)\. Check the address/);
  await shot(missing, '8-error-missing-url');
  await missing.close();

  // A wrong data file: the labels file picked under the images file's name.
  const wrong = join(mkdtempSync(join(tmpdir(), 'webgrad-wrong-')), 'train-images-idx3-ubyte.gz');
  copyFileSync(join(dataDir!, 'train-labels-idx1-ubyte.gz'), wrong);
  const data = await open('example=pipeline', errors);
  await data.waitForFunction(() => document.body.dataset.state === 'ready');
  await data.setInputFiles('#files', [wrong, ...DATA_FILES.slice(1).map((f) => join(dataDir!, f))]);
  await data.waitForFunction(() => !document.querySelector('#error')?.hasAttribute('hidden'), null, { timeout: 60_000 });
  status = await statusOf(data);
  expect(status.error).toMatch(/^train-images-idx3-ubyte\.gz .*\. Pick the four original Fashion-MNIST \.gz files/);
  expect(status.error).not.toMatch(/options|files\.|readIdx|delete the file/);
  expect(await data.getAttribute('#status', 'class')).toContain('failed');
  await shot(data, '9-error-wrong-data');
  await data.close();
  expect(errors).toEqual([]);
});
