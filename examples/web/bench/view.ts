// The bench page's display: one table per part (a row per size, a cell per peer: samples/s
// and GFLOP/s for training, GFLOP/s for matmul, and webgrad over the best other peer) and
// one bar chart of GFLOP/s per peer, both redrawn as each figure arrives. Read next: main.ts.

import { BarController, BarElement, CategoryScale, Chart, Legend, LogarithmicScale, Title, Tooltip } from 'chart.js';
import type { Part, Plan } from './plan.ts';
import { type Figure, ratioToBest } from './run.ts';

Chart.register(BarController, BarElement, CategoryScale, LogarithmicScale, Legend, Title, Tooltip);

const COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b'];
const TITLES: Record<Part, (p: Plan) => string> = {
  modela: (p) => `Model A training (784-300-100-50-50-50-8 SELU, SGD), ${p.batches} batches after ${p.warmup}: samples/s and GFLOP/s`,
  mlp: (p) => `MLP 784-w-w-8 training at batch ${p.mlpBatch}, ${p.mlpBatches} batches after ${p.mlpWarmup}: samples/s and GFLOP/s`,
  matmul: () => 'Square matmul n x n, GFLOP/s per call (dispatch to result ready)',
};
const SIZE_NAME: Record<Part, string> = { modela: 'batch', mlp: 'width w', matmul: 'n' };

const fmt = (v: number) => v.toLocaleString('en-US', { maximumSignificantDigits: 3 });

export class BenchView {
  private readonly figures: Figure[] = [];
  private readonly chart: Chart<'bar'>;
  private readonly peers: string[];

  constructor(
    private readonly plan: Plan,
    private readonly tables: HTMLElement,
    canvas: HTMLCanvasElement,
  ) {
    this.peers = ['webgrad', ...plan.peers];
    this.chart = new Chart(canvas, {
      type: 'bar',
      data: { labels: [], datasets: this.peers.map((p, i) => ({ label: p, data: [], backgroundColor: COLORS[i % COLORS.length] })) },
      options: {
        animation: false,
        maintainAspectRatio: false,
        plugins: { title: { display: true, text: 'GFLOP/s (log scale; higher is better)' } },
        scales: { y: { type: 'logarithmic' } },
      },
    });
  }

  add(f: Figure): void {
    this.figures.push(f);
    this.drawTables();
    this.drawChart();
  }

  private rows(part: Part): number[] {
    return [...new Set(this.figures.filter((f) => f.part === part).map((f) => f.size))];
  }

  private find(part: Part, size: number, peer: string): Figure | undefined {
    return this.figures.find((f) => f.part === part && f.size === size && f.peer === peer);
  }

  private drawTables(): void {
    this.tables.replaceChildren();
    for (const part of this.plan.parts) {
      const sizes = this.rows(part);
      if (!sizes.length) continue;
      const table = document.createElement('table');
      table.dataset.part = part;
      table.createCaption().textContent = TITLES[part](this.plan);
      const head = table.createTHead().insertRow();
      for (const c of [SIZE_NAME[part], ...this.peers, 'webgrad / best peer']) head.append(Object.assign(document.createElement('th'), { textContent: c }));
      const body = table.createTBody();
      for (const size of sizes) {
        const tr = body.insertRow();
        tr.insertCell().textContent = String(size);
        const gflops: Record<string, number | null | undefined> = {};
        for (const peer of this.peers) {
          const f = this.find(part, size, peer);
          gflops[peer] = f?.gflops;
          const cell = tr.insertCell();
          if (!f) cell.textContent = '…';
          else if (f.gflops === null) cell.textContent = 'failed (see notes)';
          else cell.textContent = f.samplesPerSec ? `${fmt(f.samplesPerSec)}/s · ${fmt(f.gflops)} GF/s` : `${fmt(f.gflops)} GF/s`;
        }
        const ratio = ratioToBest(gflops);
        tr.insertCell().textContent = ratio === null ? '' : `${ratio.toFixed(2)}x`;
      }
      this.tables.append(table);
    }
  }

  private drawChart(): void {
    const labels: string[] = [];
    const keys: [Part, number][] = [];
    for (const part of this.plan.parts) {
      for (const size of this.rows(part)) {
        labels.push(part === 'modela' ? `model A, batch ${size}` : part === 'mlp' ? `MLP w=${size}` : `matmul ${size}`);
        keys.push([part, size]);
      }
    }
    this.chart.data.labels = labels;
    this.peers.forEach((peer, i) => {
      this.chart.data.datasets[i].data = keys.map(([part, size]) => this.find(part, size, peer)?.gflops ?? null);
    });
    this.chart.update();
  }
}
