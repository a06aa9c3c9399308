// The page's charts, with Chart.js: live loss/accuracy curves that grow one point per epoch
// while a model trains, and the final ChartSpecs every example returns (the same specs the
// Node reports draw as SVG, examples/lib/svg-chart.ts). Read next: main.ts.

import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  type ChartDataset,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  LogarithmicScale,
  PointElement,
  Title,
  Tooltip,
} from 'chart.js';
import type { Logs } from 'webgrad.js';
import type { ChartSpec } from '../lib/experiment.ts';

Chart.register(LineController, LineElement, PointElement, BarController, BarElement, CategoryScale, LinearScale, LogarithmicScale, Legend, Title, Tooltip);

const COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f'];
const epochLabels = (n: number) => Array.from({ length: n }, (_, i) => String(i + 1));

function canvasIn(parent: HTMLElement, className = 'chart'): HTMLCanvasElement {
  const box = document.createElement('div');
  box.className = className;
  const canvas = document.createElement('canvas');
  box.append(canvas);
  parent.append(box);
  return canvas;
}

function lineChart(canvas: HTMLCanvasElement, title: string, logY = false): Chart<'line'> {
  return new Chart(canvas, {
    type: 'line',
    data: { labels: [], datasets: [] },
    options: {
      animation: false,
      maintainAspectRatio: false,
      plugins: { title: { display: true, text: title }, legend: { labels: { usePointStyle: true, pointStyle: 'line', font: { size: 11 } } } },
      scales: { x: { title: { display: true, text: 'epoch' } }, y: { type: logY ? 'logarithmic' : 'linear' } },
    },
  });
}

/**
 * Two charts, loss and accuracy, with a solid training curve and a dashed validation curve
 * per run (or pipeline phase), extended at every epoch end.
 */
export class LiveCharts {
  private readonly charts: Record<'loss' | 'accuracy', Chart<'line'>>;
  private readonly runs: string[] = [];

  constructor(parent: HTMLElement) {
    parent.replaceChildren();
    const chart = (title: string) => lineChart(canvasIn(parent, 'chart live'), title);
    this.charts = { loss: chart('Loss (dashed: validation)'), accuracy: chart('Accuracy (dashed: validation)') };
  }

  add(run: string, epoch: number, logs: Logs): void {
    if (!this.runs.includes(run)) this.runs.push(run);
    const color = COLORS[this.runs.indexOf(run) % COLORS.length];
    for (const [key, chart] of Object.entries(this.charts)) {
      for (const [name, value, dash] of [[run, logs[key], []], [`${run} (val)`, logs[`val_${key}`], [5, 3]]] as const) {
        if (value === undefined) continue;
        let ds = chart.data.datasets.find((d) => d.label === name);
        if (!ds) {
          ds = { label: name, data: [], borderColor: color, backgroundColor: color, borderDash: [...dash], pointRadius: 2 };
          chart.data.datasets.push(ds);
        }
        ds.data[epoch] = value;
      }
      const n = Math.max(...chart.data.datasets.map((d) => d.data.length));
      if (chart.data.labels?.length !== n) chart.data.labels = epochLabels(n);
      chart.update('none');
    }
  }

  /** Points plotted so far, per chart (for the end-to-end test and the curious). */
  points(): Record<string, number> {
    return Object.fromEntries(Object.entries(this.charts).map(([k, c]) => [k, c.data.datasets.reduce((n, d) => n + d.data.length, 0)]));
  }
}

/** Draws one of an example's final charts into `parent`. */
export function drawChart(parent: HTMLElement, spec: ChartSpec): Chart {
  const canvas = canvasIn(parent);
  const color = (k: number) => COLORS[k % COLORS.length];
  if (spec.kind === 'bar') {
    const datasets: ChartDataset<'bar'>[] = spec.series.map((s, k) => ({ label: s.name, data: s.values, backgroundColor: color(k) }));
    return new Chart(canvas, {
      type: 'bar',
      data: { labels: spec.labels ?? [], datasets },
      options: { animation: false, maintainAspectRatio: false, plugins: { title: { display: true, text: spec.title } } },
    });
  }
  const chart = lineChart(canvas, spec.title, spec.logY);
  chart.data.labels = epochLabels(Math.max(0, ...spec.series.map((s) => s.values.length)));
  chart.data.datasets = spec.series.map((s, k) => ({ label: s.name, data: s.values, borderColor: color(k), backgroundColor: color(k), pointRadius: 2 }));
  chart.update('none');
  return chart;
}
