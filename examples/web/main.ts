// The examples page: the form (also set from URL parameters), the adapter line, the data
// (data.ts: fetched once from ?data= or data/fashion-mnist/, or files picked or dropped),
// live charts and progress while a run trains, then the final table and charts. The page
// state is in <body data-state> and window.webgradPage (read by tests/e2e). Read next: runner.ts.

import { adapterInfo, type FashionMnist } from 'webgrad.js';
import { fetchFashionMnist, type Progress, readPickedFiles } from './data.ts';
import { EXAMPLES } from '../lib/examples.ts';
import type { Sizes } from '../lib/experiment.ts';
import { adapterLine } from '../lib/html-report.ts';
import { drawChart, LiveCharts } from './charts.ts';
import { FrameMonitor } from './responsive.ts';
import { type PageResult, type RunParams, runOnPage } from './runner.ts';

type State = 'loading' | 'ready' | 'running' | 'done' | 'error';

/** What the page exposes for tests and the console. */
interface PageStatus {
  state: State;
  result: PageResult['raw'] | null;
  error: string | null;
  /** The longest interval between two painted frames during the last run (ms). */
  maxFrameGapMs: number;
  frames: number;
  livePoints: Record<string, number>;
}

declare global {
  interface Window {
    webgradPage: PageStatus;
  }
}

const $ = <T extends HTMLElement>(selector: string) => document.querySelector<T>(selector)!;
const form = $<HTMLFormElement>('#controls');
const field = (name: string) => form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement;
const url = new URL(location.href);
const dataUrl = url.searchParams.get('data') ?? 'data/fashion-mnist/';
const status: PageStatus = { state: 'loading', result: null, error: null, maxFrameGapMs: 0, frames: 0, livePoints: {} };
window.webgradPage = status;

function setState(state: State): void {
  status.state = state;
  document.body.dataset.state = state;
  for (const el of form.querySelectorAll<HTMLInputElement | HTMLButtonElement | HTMLSelectElement>('input, select, button')) el.disabled = state === 'running' || state === 'loading';
}

function fail(e: unknown): void {
  status.error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  const box = $('#error');
  box.textContent = status.error;
  box.hidden = false;
  setState('error');
  console.error(e);
}

/** Fills the example size fields from a preset (the Node CLI's defaults or --quick). */
function applyPreset(): void {
  const spec = EXAMPLES[field('example').value];
  if (!spec) return;
  const sizes: Sizes = field('preset').value === 'quick' ? spec.quick : spec.defaults;
  for (const k of ['train', 'valid', 'test', 'epochs'] as const) field(k).value = String(sizes[k]);
}

function showFieldsets(): void {
  const pipeline = field('example').value === 'pipeline';
  $('fieldset[data-for="pipeline"]').hidden = !pipeline;
  $('fieldset[data-for="examples"]').hidden = pipeline;
}

function readParams(): RunParams {
  const num = (name: string) => Number(field(name).value);
  const subset = field('subset').value.trim();
  return {
    example: field('example').value,
    seed: num('seed'),
    scale: num('scale'),
    subset: subset ? Number(subset) : null,
    sizes: { train: num('train'), valid: num('valid'), test: num('test'), epochs: num('epochs') },
  };
}

let data: Promise<FashionMnist> | null = null;

/** Loads the data once (from `load`), with progress; a failure lets the next try start over. */
function loadData(from: string, load: (p: Progress) => Promise<FashionMnist>): Promise<FashionMnist> {
  const progress = $<HTMLProgressElement>('#progress');
  const text = $('#progress-text');
  const mb = (n: number) => (n / 1e6).toFixed(1);
  text.textContent = `Loading Fashion-MNIST from ${from} …`;
  const loading = load((loaded, total) => {
    progress.value = total ? loaded / total : 0;
    text.textContent = `Loading Fashion-MNIST from ${from}: ${mb(loaded)}${total ? ` of ${mb(total)}` : ''} MB`;
  });
  data = loading.then(
    (d) => {
      text.textContent = `Fashion-MNIST loaded from ${from}.`;
      return d;
    },
    (e: unknown) => {
      data = null;
      throw e;
    },
  );
  return data;
}

async function run(): Promise<void> {
  const params = readParams();
  setState('running');
  $('#error').hidden = true;
  $('#result').hidden = true;
  const progress = $<HTMLProgressElement>('#progress');
  const text = $('#progress-text');
  const live = new LiveCharts($('#live'));
  const frames = new FrameMonitor();
  let line = '';
  // Where the run is: run `index` of `count`, epoch `epoch` (0-based) of `epochs`.
  let position = { index: 0, count: 1, epochs: 1, epoch: 0 };
  try {
    const fashion = await (data ?? loadData(dataUrl, (p) => fetchFashionMnist(dataUrl, p)));
    const result = await runOnPage(params, fashion, {
      onRun: (name, index, count, epochs) => {
        // Frame gaps count from the first run on (not the one-off data split before it).
        if (index === 0) frames.start();
        position = { index, count, epochs, epoch: 0 };
        line = `${name} (${index + 1} of ${count})`;
        text.textContent = `${line}: epoch 1/${epochs}`;
        progress.value = index / count;
      },
      onEpoch: (name, epoch, logs) => {
        live.add(name, epoch, logs);
        status.livePoints = live.points();
        position.epoch = epoch + 1;
        const { index, count, epochs } = position;
        progress.value = (index + (epoch + 1) / epochs) / count;
        text.textContent = `${line}: epoch ${epoch + 1}/${epochs} done, loss ${logs.loss?.toFixed(4)}`;
      },
      onBatch: (batch) => {
        text.textContent = `${line}: epoch ${position.epoch + 1}/${position.epochs}, batch ${batch}`;
        $('#frames').textContent = `longest frame gap ${frames.maxGapMs.toFixed(0)} ms`;
      },
    });
    frames.stop();
    status.maxFrameGapMs = frames.maxGapMs;
    status.frames = frames.frames;
    status.result = result.raw;
    progress.value = 1;
    text.textContent = `Done in ${result.seconds.toFixed(1)} s.`;
    $('#frames').textContent = `longest frame gap ${frames.maxGapMs.toFixed(0)} ms over ${frames.frames} frames`;
    $('#table').textContent = result.table;
    const charts = $('#charts');
    charts.replaceChildren();
    $('#result').hidden = false;
    for (const spec of result.charts) drawChart(charts, spec);
    setState('done');
  } catch (e) {
    frames.stop();
    fail(e);
  }
}

// The form starts from the URL (?example=&scale=&subset=&preset=&train=&valid=&test=&epochs=&seed=):
// every field it names, then the preset's sizes, then the sizes it names over those.
function fromUrl(names: string[]): void {
  for (const k of names) {
    const v = url.searchParams.get(k);
    if (v !== null) field(k).value = v;
  }
}
fromUrl(['example', 'scale', 'subset', 'preset', 'seed']);
applyPreset();
fromUrl(['train', 'valid', 'test', 'epochs']);
showFieldsets();
$('#data-url').textContent = new URL(dataUrl, location.href).href;
field('example').addEventListener('change', () => {
  showFieldsets();
  applyPreset();
});
field('preset').addEventListener('change', applyPreset);
/** Files picked or dropped replace the fetched data (other files are ignored). */
function useFiles(files: FileList | null): void {
  if (!files?.length || status.state === 'running') return;
  $('#error').hidden = true;
  $('#data-url').textContent = 'the files picked';
  loadData('the files picked', (p) => readPickedFiles(files, p)).catch(fail);
}
const picker = $<HTMLInputElement>('#files');
picker.addEventListener('change', () => useFiles(picker.files));
document.addEventListener('dragover', (e) => e.preventDefault());
document.addEventListener('drop', (e) => {
  e.preventDefault();
  useFiles(e.dataTransfer?.files ?? null);
});
form.addEventListener('submit', (e) => {
  e.preventDefault();
  void run();
});

try {
  const a = await adapterInfo();
  $('#adapter').textContent = `Adapter: ${adapterLine(a)}`;
  setState('ready');
  if (url.searchParams.get('autorun') === '1') void run();
} catch (e) {
  $('#adapter').textContent = 'No WebGPU adapter: use a recent Chrome on http://localhost or https (navigator.gpu needs a secure context).';
  fail(e);
}
