// Runs a bench page plan on this browser's adapter with the benchmarks' own code
// (bench/lib: the model A trainers of bench:train and bench:chromium, the matmul timing of
// bench:matmul) and gathers the results in bench/results' schema: the top level is
// train-chromium.json's (model A figures, notes, tables), plus `mlp` and `matmul`.
// Each figure goes to `onFigure` as it arrives. Read next: view.ts.

import { adapterInfo, loadFashionMnist, ready, transferLearningSplits } from 'webgrad.js';
import { type MatmulPeer, peerGflops } from '../../../bench/lib/matmul.ts';
import { measureTrain, orNull, type Peers, UNITS } from '../../../bench/lib/model-a.ts';
import type { BenchResult, BenchTable } from '../../../bench/lib/results.ts';
import type { JaxDevice } from '../../../bench/lib/jaxjs.ts';
import type { TfBackend } from '../../../bench/lib/tfjs.ts';
import type { Part, Plan } from './plan.ts';

/** One measured figure: a part, a row in it (its size), a peer, and its value. */
export interface Figure {
  part: Part;
  /** Batch size (model A), width (MLP) or n (matmul). */
  size: number;
  peer: 'webgrad' | MatmulPeer;
  /** GFLOP/s (null: the peer failed, the reason is in the notes). */
  gflops: number | null;
  /** Training parts: samples/s. */
  samplesPerSec?: number | null;
}

export interface PageResults extends BenchResult {
  notes: string[];
  batches: number;
  figures: Record<string, unknown>[];
  mlp: { batchSize: number; batches: number; figures: Record<string, unknown>[] };
  matmul: { seconds: number; figures: { n: number; gflops: Record<string, number | null> }[] };
}

/** Multiply-adds of one sample through an MLP of widths `units`; a training step is 3 of them (forward, two backward) of 2 flops each. */
export const trainFlopsPerSample = (units: number[]) => 6 * units.slice(1).reduce((s, n, i) => s + units[i] * n, 0);

const split = (peers: Plan['peers']): Peers => ({
  tfjs: peers.filter((p) => p.startsWith('tfjs-')).map((p) => p.slice(5) as TfBackend),
  jaxjs: peers.filter((p) => p.startsWith('jaxjs-')).map((p) => p.slice(6) as JaxDevice),
});

/** Runs `plan`; `results` fills in as it goes (the page shows it, tests read it). */
export async function runPlan(plan: Plan, results: PageResults, onFigure: (f: Figure) => void): Promise<void> {
  await ready();
  results.adapter = { ...(await adapterInfo()), browser: navigator.userAgent };
  const peers = split(plan.peers);
  const needsData = plan.parts.includes('modela') || plan.parts.includes('mlp');
  const [x, y] = needsData ? transferLearningSplits(await loadFashionMnist({ url: new URL(plan.data, location.href).href })).trainA : [];
  const training = (part: Part, units: number[], width?: number) => (peer: string, bs: number, sps: number | null) =>
    onFigure({ part, size: width ?? bs, peer: peer as Figure['peer'], samplesPerSec: sps, gflops: sps === null ? null : (sps * trainFlopsPerSample(units)) / 1e9 });

  if (plan.parts.includes('modela') && x && y) {
    const r = await measureTrain(x, y, plan.batches, plan.sizes, peers, { warmUp: plan.warmup, onResult: training('modela', UNITS) });
    results.figures.push(...r.figures);
    results.notes.push(...r.notes);
    results.tables.push(r.table);
  }
  if (plan.parts.includes('mlp') && x && y) {
    for (const w of plan.widths) {
      const units = [784, w, w, 8];
      const r = await measureTrain(x, y, plan.mlpBatches, [plan.mlpBatch], peers, { units, warmUp: plan.mlpWarmup, eager: false, onResult: training('mlp', units, w) });
      results.mlp.figures.push(...r.figures.map((f) => ({ width: w, ...f })));
      results.notes.push(...r.notes);
      results.tables.push(r.table);
    }
  }
  if (plan.parts.includes('matmul')) {
    for (const n of plan.matmul) {
      const gflops: Record<string, number | null> = {};
      for (const peer of ['webgrad', ...plan.peers] as const) {
        gflops[peer] = await orNull(`${peer}, matmul ${n}`, results.notes, () => peerGflops(peer, n, plan.seconds));
        onFigure({ part: 'matmul', size: n, peer, gflops: gflops[peer] });
      }
      results.matmul.figures.push({ n, gflops });
    }
    results.tables.push(matmulTable(plan, results.matmul.figures));
  }
}

/** The matmul sweep as a table: GFLOP/s per peer, and webgrad over the best peer. */
function matmulTable(plan: Plan, figures: PageResults['matmul']['figures']): BenchTable {
  const peers = ['webgrad', ...plan.peers];
  return {
    title: 'Square matmul, GFLOP/s of wall time per call, dispatch to result ready (ratio = webgrad / best peer)',
    columns: ['n', ...peers, 'ratio vs best peer'],
    rows: figures.map(({ n, gflops }) => [n, ...peers.map((p) => gflops[p] ?? 'failed'), ratioToBest(gflops) ?? '']),
  };
}

/** webgrad's figure over the best other peer's, or null when either is missing. */
export function ratioToBest(values: Record<string, number | null | undefined>): number | null {
  const others = Object.entries(values).filter(([p, v]) => p !== 'webgrad' && typeof v === 'number').map(([, v]) => v as number);
  return values.webgrad && others.length ? values.webgrad / Math.max(...others) : null;
}

/** Empty results for `plan`, to fill in. */
export function emptyResults(plan: Plan): PageResults {
  return {
    name: 'bench-page',
    adapter: null,
    date: new Date().toISOString(),
    settings: plan,
    batches: plan.batches,
    figures: [],
    notes: [],
    tables: [],
    mlp: { batchSize: plan.mlpBatch, batches: plan.mlpBatches, figures: [] },
    matmul: { seconds: plan.seconds, figures: [] },
  };
}
