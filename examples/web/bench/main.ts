// The site's benchmark page (bench.html): webgrad, TensorFlow.js and jax-js on this
// browser's own adapter, on the workloads of `npm run bench:train` and `bench:matmul`. The
// URL says what runs (plan.ts; the form writes it); ?autorun=1 starts at once. The page
// keeps window.webgradBench = { state, results, error } for automation (state ends in
// 'done' or 'error'; results in bench/results' schema, also offered for download).
// Read next: plan.ts, run.ts, view.ts.

import tfWasm from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import tfWasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import tfWasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { DatasetError } from 'webgrad.js';
import { useTfWasmFiles } from '../../../bench/lib/tfjs.ts';
import { PARTS, PEERS, type Plan, readPlan } from './plan.ts';
import { emptyResults, type PageResults, runPlan } from './run.ts';
import { BenchView } from './view.ts';

export interface BenchStatus {
  state: 'idle' | 'running' | 'done' | 'error';
  results: PageResults | null;
  error: string | null;
}

declare global {
  interface Window {
    webgradBench: BenchStatus;
  }
}

const status: BenchStatus = { state: 'idle', results: null, error: null };
window.webgradBench = status;
const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

function setState(state: BenchStatus['state'], line: string): void {
  status.state = state;
  document.body.dataset.state = state;
  $('status').textContent = line;
}

/** The form shows the plan and writes it back to the URL (a GET form: submitting reloads with autorun=1). */
function fillForm(plan: Plan): void {
  const form = $<HTMLFormElement>('controls');
  const set = (name: string, v: string) => ((form.elements.namedItem(name) as HTMLInputElement).value = v);
  set('preset', plan.preset);
  for (const k of ['sizes', 'widths', 'matmul'] as const) set(k, plan[k].join(','));
  for (const k of ['batches', 'warmup', 'mlpBatch', 'mlpBatches', 'mlpWarmup', 'seconds', 'data'] as const) set(k, String(plan[k]));
  const boxes = $('choices');
  for (const [name, all, on] of [['parts', PARTS, plan.parts], ['peers', PEERS, plan.peers]] as const) {
    const hidden = form.elements.namedItem(name) as HTMLInputElement;
    hidden.value = on.join(',');
    for (const v of all) {
      const box = Object.assign(document.createElement('input'), { type: 'checkbox', checked: (on as readonly string[]).includes(v) });
      box.addEventListener('change', () => {
        const now = new Set(hidden.value.split(',').filter(Boolean));
        if (box.checked) now.add(v);
        else now.delete(v);
        hidden.value = all.filter((x) => now.has(x)).join(',');
      });
      const label = document.createElement('label');
      label.append(box, ` ${v}`);
      boxes.append(label);
    }
  }
}

function showAdapter(a: Record<string, string>): void {
  $('adapter').textContent = `Adapter: ${[a.vendor, a.architecture, a.description, a.device].filter(Boolean).join(' / ') || 'unnamed'} (${a.browser})`;
}

function offerDownload(results: PageResults): void {
  const a = $<HTMLAnchorElement>('download');
  a.href = URL.createObjectURL(new Blob([`${JSON.stringify(results, null, 2)}\n`], { type: 'application/json' }));
  a.download = `webgrad-bench-${results.date.slice(0, 19).replace(/:/g, '-')}.json`;
  a.hidden = false;
}

async function run(plan: Plan): Promise<void> {
  const results = emptyResults(plan);
  status.results = results;
  const view = new BenchView(plan, $('tables'), $<HTMLCanvasElement>('chart'));
  let done = 0;
  setState('running', 'Starting the adapter…');
  await runPlan(plan, results, (f) => {
    if (done === 0) showAdapter(results.adapter as Record<string, string>);
    view.add(f);
    setState('running', `${++done} figures so far; last: ${f.peer}, ${f.part} ${f.size}`);
  });
  $('notes').textContent = results.notes.length ? `Notes: ${results.notes.join('; ')}` : '';
  offerDownload(results);
  setState('done', `Done: ${done} figures.`);
}

/** An error as the page says it: missing data names the page's Data field (?data=), not the API. */
function inPageWords(e: unknown): string {
  if (e instanceof DatasetError && e.code === 'not-found') {
    const folder = /https?:\/\/\S+\//.exec(e.message)?.[0] ?? 'the Data folder';
    return `Fashion-MNIST is not at ${folder}: put its four .gz files there (train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz), or give the folder that holds them in the Data field (?data=).`;
  }
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

try {
  useTfWasmFiles({ 'tfjs-backend-wasm.wasm': tfWasm, 'tfjs-backend-wasm-simd.wasm': tfWasmSimd, 'tfjs-backend-wasm-threaded-simd.wasm': tfWasmThreaded });
  const plan = readPlan(new URL(location.href).searchParams);
  fillForm(plan);
  if (plan.autorun) await run(plan);
  else setState('idle', 'Choose what to run, then Run.');
} catch (e) {
  status.error = inPageWords(e);
  $('error').textContent = status.error;
  setState('error', 'Failed.');
}
