// The examples page: the form (also set from URL parameters), the first view's menu, and
// everything drawn while the training worker (worker.ts) runs: per-batch progress, live
// curves per phase, the gallery and confusion matrices, then the final table and charts.
// The main thread never touches the GPU. The page's state is in <body data-state> and
// window.webgradPage (read by tests/e2e). Read next: worker.ts, charts.ts, words.ts.

import { EXAMPLES } from '../lib/examples.ts';
import { adapterLine, type Sizes } from '../lib/experiment.ts';
import { PHASE_TITLES } from '../lib/pipeline-charts.ts';
import { drawChart, LiveCharts } from './charts.ts';
import type { DataSource, EvaluateResult, FromWorker, ModelSource, Progress, RunParams, ToWorker } from './protocol.ts';
import { FrameMonitor, LongTasks } from './responsive.ts';
import { fitsOf, plannedSamples } from './runner.ts';
import { drawConfusion, drawGallery } from './views.ts';
import { duration, MENU, pageError } from './words.ts';

type State = 'loading' | 'ready' | 'running' | 'done' | 'stopped' | 'error';

/** What the page exposes for tests and the console. */
interface PageStatus {
  state: State;
  /** The run's result (its figures), or for example=evaluate the model's evaluation. */
  result: unknown;
  error: string | null;
  /** Files picked or dropped that were not used, each with why. */
  ignored: string[];
  /** The longest interval between two painted frames during the last run (ms). */
  maxFrameGapMs: number;
  frames: number;
  /** The longest main-thread task during the last run (ms; PerformanceObserver 'longtask'). */
  longestTaskMs: number;
  livePoints: Record<string, number>;
  /** Run pressed to the first live point drawn (ms). */
  firstFeedbackMs: number | null;
  /** Training steps of the last run replayed from a capture (0 on the plain path, ?plain=1). */
  stepsReplayed: number;
  progress: Pick<Progress, 'phase' | 'epoch' | 'batch' | 'batches' | 'samplesPerSec'> | null;
  /** The Stop button's action. */
  stop(): void;
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
// Absolute: the worker resolves URLs against its own script's address, not the page's.
const dataUrl = new URL(url.searchParams.get('data') ?? 'data/fashion-mnist/', location.href).href;
const bar = $<HTMLProgressElement>('#progress');
const text = $('#progress-text');
const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
const post = (m: ToWorker) => worker.postMessage(m);

const status: PageStatus = {
  state: 'loading',
  result: null,
  error: null,
  ignored: [],
  maxFrameGapMs: 0,
  frames: 0,
  longestTaskMs: 0,
  livePoints: {},
  firstFeedbackMs: null,
  stepsReplayed: 0,
  progress: null,
  stop: () => post({ type: 'stop' }),
};
window.webgradPage = status;

function setState(state: State): void {
  status.state = state;
  document.body.dataset.state = state;
  const busy = state === 'running' || state === 'loading';
  // Fields are editable whenever nothing runs; Stop only while something does.
  for (const el of form.querySelectorAll<HTMLInputElement | HTMLButtonElement | HTMLSelectElement>('input, select, button')) el.disabled = busy;
  $<HTMLButtonElement>('#stop').disabled = state !== 'running';
  for (const b of document.querySelectorAll<HTMLButtonElement>('[data-save]')) b.disabled = busy;
}

function showError(message: string): void {
  status.error = message;
  const box = $('#error');
  box.textContent = message;
  box.hidden = false;
  $('#status').classList.add('failed');
  // The bar and its line reset: nothing is loading or running any more.
  bar.value = 0;
  text.textContent = '';
}

function clearError(): void {
  status.error = null;
  $('#error').hidden = true;
  $('#status').classList.remove('failed');
}

// ---- the form and the URL ----

function applyPreset(): void {
  const spec = EXAMPLES[field('example').value];
  if (!spec) return;
  const sizes: Sizes = field('preset').value === 'quick' ? spec.quick : spec.defaults;
  for (const k of ['train', 'valid', 'test', 'epochs'] as const) field(k).value = String(sizes[k]);
}

function showFieldsets(): void {
  const example = field('example').value;
  const group = example === 'pipeline' || example === 'evaluate' ? example : 'examples';
  for (const fs of form.querySelectorAll<HTMLElement>('[data-for]')) fs.hidden = fs.dataset.for !== group && !(fs.dataset.for === 'train' && group !== 'evaluate');
  showEstimate();
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
    plain: url.searchParams.get('plain') ?? '',
  };
}

/** Samples per second measured on this adapter (a short fit in the worker, or the last run), kept across visits. */
let samplesPerSec = Number(localStorage.getItem('webgrad-samples-per-sec')) || 0;

function showEstimate(): void {
  const params = readParams();
  $('#estimate').textContent = samplesPerSec && params.example !== 'evaluate' ? `about ${duration(plannedSamples(params) / samplesPerSec)} here` : '';
}

/** The first view: one line per example, its chapter section and how long it takes here. */
function showMenu(): void {
  $('#speed').textContent = samplesPerSec
    ? `This adapter trains model A at about ${Math.round(samplesPerSec).toLocaleString('en')} images a second; the times below follow from that.`
    : 'Measuring how fast this adapter trains…';
  $('#menu').replaceChildren(
    ...MENU.map((item) => {
      const li = document.createElement('li');
      const a = document.createElement('a');
      a.href = `?${item.query}`;
      a.textContent = item.title;
      const seconds = item.params && samplesPerSec ? plannedSamples({ ...readParams(), ...item.params }) / samplesPerSec : null;
      li.append(a, ` — ${item.section}${seconds === null ? '' : `; about ${duration(seconds)} here`}.`);
      return li;
    }),
  );
  showEstimate();
}

function measured(sps: number): void {
  samplesPerSec = sps;
  localStorage.setItem('webgrad-samples-per-sec', String(sps));
  showMenu();
}

// ---- talking to the worker ----

type Waiter = { resolve: (m: FromWorker) => void; reject: (e: Error) => void; until: FromWorker['type']; request: ToWorker['type'] };
const waiters = new Set<Waiter>();

/** Posts `m` and resolves with the worker's `until` message (rejects with the page's words on its error). */
function ask<T extends FromWorker['type']>(m: ToWorker, until: T): Promise<Extract<FromWorker, { type: T }>> {
  return new Promise((resolve, reject) => {
    waiters.add({ resolve: resolve as (m: FromWorker) => void, reject, until, request: m.type });
    post(m);
  });
}

let live: LiveCharts | null = null;
let runStart = 0;
const titleOf = (phase: string) => PHASE_TITLES[phase] ?? phase;

/** The last samples/s the run reported (a function: the run's callbacks change status.progress). */
const lastSpeed = () => status.progress?.samplesPerSec ?? 0;

function showProgress(p: Progress): void {
  status.progress = { phase: p.phase, epoch: p.epoch, batch: p.batch, batches: p.batches, samplesPerSec: p.samplesPerSec };
  bar.value = p.fraction;
  const speed = p.samplesPerSec
    ? `${Math.round(p.samplesPerSec).toLocaleString('en')} images/s${Number.isFinite(p.secondsLeft) ? `, about ${duration(p.secondsLeft)} left` : ''}`
    : 'measuring the speed…';
  text.textContent = `${titleOf(p.phase)} (${p.index + 1} of ${p.count}): epoch ${p.epoch + 1} of ${p.epochs}, batch ${p.batch} of ${p.batches} — ${speed}`;
}

worker.onmessage = (e: MessageEvent<FromWorker>) => {
  const m = e.data;
  switch (m.type) {
    case 'adapter':
      $('#adapter').textContent = `Adapter: ${adapterLine(m.adapter)}`;
      adapterReady();
      break;
    case 'data-progress': {
      const mb = (n: number) => (n / 1e6).toFixed(1);
      bar.value = m.total ? m.loaded / m.total : 0;
      text.textContent = `Loading Fashion-MNIST from ${dataFrom}: ${mb(m.loaded)}${m.total ? ` of ${mb(m.total)}` : ''} MB`;
      break;
    }
    case 'data-ready':
      status.ignored = m.ignored;
      text.textContent = `Fashion-MNIST loaded from ${dataFrom}.`;
      $('#ignored').hidden = !m.ignored.length;
      $('#ignored').textContent = `Not used: ${m.ignored.join('; ')}.`;
      break;
    case 'phase':
      live?.phase(m.phase, titleOf(m.phase), m.epochs);
      break;
    case 'progress':
      showProgress(m.progress);
      break;
    case 'point':
      live?.point(m.point.phase, m.point.x, m.point.logs);
      break;
    case 'epoch':
      live?.epoch(m.phase, m.x, m.logs);
      break;
    case 'gallery':
      drawGallery($('#gallery'), m.gallery, titleOf(m.gallery.phase));
      break;
    case 'confusion':
      drawConfusion($('#confusions'), m.confusion, titleOf(m.confusion.phase));
      showModel(titleOf(m.confusion.phase));
      break;
    case 'model-file': {
      const href = URL.createObjectURL(new Blob([m.bytes as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' }));
      const a = Object.assign(document.createElement('a'), { href, download: m.filename });
      a.click();
      setTimeout(() => URL.revokeObjectURL(href), 10_000);
      $('#saved').textContent = `${m.filename} offered as a download.`;
      break;
    }
    case 'saved':
      $('#saved').textContent = `Kept in this browser's IndexedDB: loadModel('${m.where}') reads it back.`;
      break;
    case 'calibrated':
      measured(m.samplesPerSec);
      break;
    default:
      break;
  }
  for (const w of waiters) {
    if (m.type === w.until) {
      waiters.delete(w);
      w.resolve(m);
    } else if (m.type === 'error' && m.request === w.request) {
      waiters.delete(w);
      w.reject(new Error(pageError(m)));
    }
  }
  if (m.type === 'error' && !['data', 'run', 'load-model'].includes(m.request)) showError(pageError(m));
};

worker.onerror = (e) => {
  // The worker could not start (no WebGPU adapter in it, or its script failed to load).
  e.preventDefault();
  $('#adapter').textContent = 'No WebGPU adapter: use a recent Chrome on http://localhost or https (WebGPU needs a secure context).';
  showError(`The training worker stopped: ${e.message || 'no WebGPU adapter'}.`);
  setState('error');
};

function showModel(name: string): void {
  $('#model').hidden = false;
  $('#model-name').textContent = `${name}: `;
}

// ---- the data ----

let dataFrom = dataUrl;
let data: Promise<unknown> | null = null;

/** Loads the data once (a failure lets the next try start over). */
function loadData(source: DataSource): Promise<unknown> {
  dataFrom = source.kind === 'url' ? source.base : 'the files picked';
  $('#data-url').textContent = dataFrom;
  text.textContent = `Loading Fashion-MNIST from ${dataFrom} …`;
  data = ask({ type: 'data', source }, 'data-ready').catch((e: unknown) => {
    data = null;
    throw e;
  });
  return data;
}

// ---- runs ----

async function run(): Promise<void> {
  const params = readParams();
  setState('running');
  clearError();
  $('#result').hidden = true;
  $('#intro').hidden = true;
  $('#gallery').replaceChildren();
  $('#confusions').replaceChildren();
  status.firstFeedbackMs = null;
  status.progress = null;
  status.result = null;
  const frames = new FrameMonitor();
  const tasks = new LongTasks();
  try {
    await (data ?? loadData({ kind: 'url', base: dataUrl }));
    if (params.example === 'evaluate') return await evaluate();
    runStart = performance.now();
    live = new LiveCharts($('#live'));
    live.onFirstPoint = () => (status.firstFeedbackMs = performance.now() - runStart);
    frames.start();
    bar.value = 0;
    text.textContent = 'Starting…';
    const running = ask({ type: 'run', params }, 'done');
    // Every phase's charts now, while the worker prepares: no chart is built while a model trains.
    for (const [phase, epochs] of fitsOf(params)) live.phase(phase, titleOf(phase), epochs);
    tasks.start(); // from here on the main thread only draws what the worker posts
    const done = await running;
    status.livePoints = live.points();
    status.stepsReplayed = done.stepsReplayed;
    if (done.stopped) {
      live.prune();
      text.textContent = 'Stopped. The curves, predictions and confusion matrix show what it learnt so far; the model can be saved below.';
      bar.value = 0;
      setState('stopped');
      return;
    }
    tasks.stop(); // what follows draws the results: not part of training
    status.result = done.raw;
    bar.value = 1;
    text.textContent = `Done in ${done.seconds.toFixed(1)} s.`;
    $('#table').textContent = done.table;
    const charts = $('#charts');
    charts.replaceChildren();
    $('#result').hidden = false;
    for (const spec of done.charts) drawChart(charts, spec);
    const speed = lastSpeed();
    if (speed) measured(speed);
    setState('done');
  } catch (e) {
    showError(e instanceof Error ? e.message : String(e));
    setState('error');
  } finally {
    frames.stop();
    tasks.stop();
    status.maxFrameGapMs = frames.maxGapMs;
    status.frames = frames.frames;
    status.longestTaskMs = tasks.longestMs;
    status.livePoints = live?.points() ?? {};
    $('#frames').textContent = frames.frames ? `longest frame gap ${frames.maxGapMs.toFixed(0)} ms, longest main-thread task ${tasks.longestMs.toFixed(0)} ms` : '';
  }
}

/** Where the model to evaluate comes from: a picked file, else the URL field. */
let modelSource: ModelSource | null = null;

async function evaluate(): Promise<void> {
  const typed = field('model').value.trim();
  const source: ModelSource | null = modelSource ?? (typed ? { kind: 'url', url: new URL(typed, location.href).href } : null);
  if (!source) throw new Error('Choose a Keras model file (.h5 or .keras), drop one on the page, or give its URL.');
  modelSource = null;
  text.textContent = `Loading and evaluating ${source.kind === 'url' ? source.url : source.file.name} …`;
  const { result } = await ask({ type: 'load-model', source }, 'evaluated');
  status.result = { accuracy: result.accuracy, loss: result.loss, split: result.split, confusion: result.confusion };
  showEvaluation(result);
  setState('done');
}

function showEvaluation(r: EvaluateResult): void {
  text.textContent = `${r.file}: ${(r.accuracy * 100).toFixed(2)}% accuracy, loss ${r.loss.toFixed(4)} on ${r.split}.`;
  bar.value = 1;
  $('#table').textContent = r.summary;
  $('#charts').replaceChildren();
  $('#result').hidden = false;
}

// ---- wiring ----

function fromUrl(names: string[]): void {
  for (const k of names) {
    const v = url.searchParams.get(k);
    if (v !== null) field(k).value = v;
  }
}
// ?model= alone means example=evaluate.
if (url.searchParams.has('model') && !url.searchParams.has('example')) url.searchParams.set('example', 'evaluate');
fromUrl(['example', 'scale', 'subset', 'preset', 'seed', 'model']);
applyPreset();
fromUrl(['train', 'valid', 'test', 'epochs']);
showFieldsets();
showMenu();
$('#data-url').textContent = dataFrom;
field('example').addEventListener('change', () => {
  applyPreset();
  showFieldsets();
});
field('preset').addEventListener('change', () => {
  applyPreset();
  showEstimate();
});
form.addEventListener('input', showEstimate);

/** Files picked or dropped: model files are evaluated, data files replace the fetched data. */
function useFiles(files: File[], kind: 'picked' | 'dropped'): void {
  if (!files.length || status.state === 'running') return;
  clearError();
  const model = files.find((f) => /\.(h5|hdf5|keras)$/i.test(f.name));
  if (model) {
    modelSource = { kind, file: model };
    field('example').value = 'evaluate';
    showFieldsets();
    void run();
    return;
  }
  loadData({ kind, files }).catch((e: unknown) => showError(e instanceof Error ? e.message : String(e)));
}
const picker = $<HTMLInputElement>('#files');
picker.addEventListener('change', () => useFiles([...(picker.files ?? [])], 'picked'));
const modelPicker = $<HTMLInputElement>('#model-file');
modelPicker.addEventListener('change', () => {
  const f = modelPicker.files?.[0];
  if (f) modelSource = { kind: 'picked', file: f };
});
document.addEventListener('dragover', (e) => e.preventDefault());
document.addEventListener('drop', (e) => {
  e.preventDefault();
  useFiles([...(e.dataTransfer?.files ?? [])], 'dropped');
});
form.addEventListener('submit', (e) => {
  e.preventDefault();
  void run();
});
$('#stop').addEventListener('click', () => status.stop());
for (const b of document.querySelectorAll<HTMLButtonElement>('[data-save]')) {
  b.addEventListener('click', () => post({ type: 'save-model', format: b.dataset.save as 'h5' | 'keras' | 'indexeddb' }));
}

function adapterReady(): void {
  setState('ready');
  const autorun = url.searchParams.get('autorun') === '1';
  // The expected durations need a measured speed: a short fit, unless a run will measure it.
  if (!samplesPerSec && !autorun) post({ type: 'calibrate' });
  if (autorun) void run();
}
