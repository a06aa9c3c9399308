// The Chromium side of `npm run bench:chromium`: runs the step, train and matmul
// measurements of lib/ (the same code as the Node CLIs) on navigator.gpu, with the settings
// from the URL (?steps=&batch=&batches=&sizes=&peers=&jaxjs=&matmul=&seconds=), and leaves the
// figures in window.benchPage for bench/chromium.ts to read when <body data-state> is done
// or error.

import { adapterInfo, loadFashionMnist, ready, transferLearningSplits } from 'webgrad.js';
import { compareMatmul } from '../lib/matmul.ts';
import { measureStep, measureTrain } from '../lib/model-a.ts';
import type { JaxDevice } from '../lib/jaxjs.ts';
import type { TfBackend } from '../lib/tfjs.ts';

export interface BenchPage {
  error: string | null;
  adapter?: Awaited<ReturnType<typeof adapterInfo>>;
  step?: Awaited<ReturnType<typeof measureStep>>;
  train?: Awaited<ReturnType<typeof measureTrain>>;
  matmul?: Awaited<ReturnType<typeof compareMatmul>>;
}

declare global {
  interface Window {
    benchPage: BenchPage;
  }
}

const q = new URL(location.href).searchParams;
const list = (name: string) => (q.get(name) ?? '').split(',').filter(Boolean);
const page: BenchPage = { error: null };
window.benchPage = page;

try {
  await ready();
  page.adapter = await adapterInfo();
  const [x, y] = transferLearningSplits(await loadFashionMnist()).trainA;
  console.log(`step: ${q.get('steps')} steps of batch ${q.get('batch')}`);
  page.step = await measureStep(x, y, Number(q.get('steps')), Number(q.get('batch')));
  const peers = { tfjs: list('peers') as TfBackend[], jaxjs: list('jaxjs') as JaxDevice[] };
  console.log(`train: ${q.get('batches')} batches of ${list('sizes').join(', ')}, peers tfjs ${peers.tfjs.join(', ')}, jaxjs ${peers.jaxjs.join(', ')}`);
  page.train = await measureTrain(x, y, Number(q.get('batches')), list('sizes').map(Number), peers);
  console.log(`matmul: ${list('matmul').join(', ')}`);
  page.matmul = await compareMatmul(list('matmul').map(Number), Number(q.get('seconds')));
} catch (e) {
  page.error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}
document.body.dataset.state = page.error ? 'error' : 'done';
