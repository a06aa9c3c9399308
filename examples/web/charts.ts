// The page's charts, with Chart.js, from the same configs as the Node reports
// (lib/chart-config.ts): one pair of live charts (loss, accuracy) per phase or run, whose
// training curve grows at every running value fit reads (the epoch's mean so far, a point
// every half second or so) and whose validation points come at each epoch's end; and the
// final ChartSpecs every example returns. Read next: views.ts, main.ts.

import { BarController, BarElement, CategoryScale, Chart, type ChartConfiguration, Legend, LinearScale, LineController, LineElement, LogarithmicScale, PointElement, Title, Tooltip } from 'chart.js';
import type { Logs } from 'webgrad.js';
import { chartConfig } from '../lib/chart-config.ts';
import type { ChartSpec } from '../lib/experiment.ts';

Chart.register(LineController, LineElement, PointElement, BarController, BarElement, CategoryScale, LinearScale, LogarithmicScale, Legend, Title, Tooltip);

type Point = { x: number; y: number | null };

function canvasIn(parent: HTMLElement, className = 'chart'): HTMLCanvasElement {
  const box = document.createElement('div');
  box.className = className;
  const canvas = document.createElement('canvas');
  box.append(canvas);
  parent.append(box);
  return canvas;
}

/** Draws one ChartSpec into `parent`. */
export function drawChart(parent: HTMLElement, spec: ChartSpec, className = 'chart'): Chart {
  return new Chart(canvasIn(parent, className), chartConfig(spec) as ChartConfiguration);
}

const KEYS = ['loss', 'accuracy'] as const;

/**
 * The logs' key for chart `k`: itself, or for a model with several outputs (no plain
 * `accuracy`) the first output's: its loss is the first `<output>_loss` after the total,
 * so `main_output_accuracy` for chapter 10's Wide & Deep with an auxiliary output.
 */
function keyIn(logs: Logs, k: (typeof KEYS)[number]): string {
  if (k in logs) return k;
  const firstLoss = Object.keys(logs).find((key) => key !== 'loss' && !key.startsWith('val_') && key.endsWith('_loss'));
  return firstLoss ? `${firstLoss.slice(0, -'_loss'.length)}_${k}` : k;
}

/** One phase's live loss and accuracy charts: training (running mean) and validation per epoch. */
class PhaseCharts {
  readonly charts: Chart<'line', Point[]>[];
  readonly section = document.createElement('div');
  constructor(parent: HTMLElement, title: string, epochs: number) {
    const section = this.section;
    section.className = 'phase';
    parent.append(section);
    this.charts = KEYS.map((k) => {
      const chart = drawChart(
        section,
        {
          title: `${title}: ${k}`,
          kind: 'line',
          xLabel: 'epoch (training: mean of the epoch so far)',
          // The x axis spans the phase from the start, so the curve grows across it.
          xRange: [0, epochs],
          yRange: k === 'accuracy' ? [0, 1] : undefined,
          series: [
            { name: `training ${k}`, values: [], role: 'training' },
            { name: `validation ${k}`, values: [], role: 'validation', dashed: true },
          ],
        },
        'chart live',
      ) as unknown as Chart<'line', Point[]>;
      chart.data.datasets[0].pointRadius = 0;
      return chart;
    });
  }
}

/** All live charts of a run; points are batched and drawn at most every `REDRAW_MS`. */
export class LiveCharts {
  private readonly phases = new Map<string, PhaseCharts>();
  private dirty = new Set<Chart>();
  private timer = 0;
  /** Called once, when the first training point is on screen. */
  onFirstPoint: (() => void) | null = null;

  constructor(private readonly parent: HTMLElement) {
    parent.replaceChildren();
  }

  phase(name: string, title: string, epochs: number): void {
    if (!this.phases.has(name)) this.phases.set(name, new PhaseCharts(this.parent, title, epochs));
  }

  private add(name: string, dataset: 0 | 1, x: number, logs: Logs): void {
    const p = this.phases.get(name);
    if (!p) return;
    KEYS.forEach((k, i) => {
      const key = keyIn(logs, k);
      const v = logs[dataset === 0 ? key : `val_${key}`];
      if (v === undefined) return;
      const series = p.charts[i].data.datasets[dataset];
      // The legend names the output followed (the plain key's label is set up front).
      if (key !== k) series.label = `${dataset === 0 ? 'training' : 'validation'} ${key}`;
      series.data.push({ x, y: Number.isFinite(v) ? v : null });
      this.dirty.add(p.charts[i]);
    });
    this.schedule();
  }

  /** A running value of the epoch under way. */
  point(name: string, x: number, logs: Logs): void {
    this.add(name, 0, x, logs);
  }

  /** An epoch's end: its validation values (the training curve already has its mean). */
  epoch(name: string, x: number, logs: Logs): void {
    this.add(name, 0, x, logs);
    this.add(name, 1, x, logs);
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = requestAnimationFrame(() => {
      this.timer = 0;
      for (const c of this.dirty) c.update('none');
      this.dirty.clear();
      const first = this.onFirstPoint;
      this.onFirstPoint = null;
      first?.();
    });
  }

  /** Removes the charts of phases that never started (a stopped run). */
  prune(): void {
    for (const [name, p] of this.phases) {
      if (p.charts.some((c) => c.data.datasets.some((d) => d.data.length))) continue;
      for (const c of p.charts) c.destroy();
      p.section.remove();
      this.phases.delete(name);
    }
  }

  /** Points plotted so far, per key (for the end-to-end test and the curious). */
  points(): Record<string, number> {
    const out: Record<string, number> = { loss: 0, accuracy: 0 };
    for (const p of this.phases.values()) KEYS.forEach((k, i) => (out[k] += p.charts[i].data.datasets.reduce((n, d) => n + d.data.length, 0)));
    return out;
  }
}
