// One chart path: a ChartSpec (experiment.ts) becomes a Chart.js configuration here, as
// plain JSON (no functions), so the page (../web/charts.ts) and the Node HTML reports
// (html-report.ts, which inlines Chart.js and these configs) draw the same charts.
// Colours have one meaning everywhere: blue = training, orange = validation (also dashed),
// the other colours = one run among several. Read next: html-report.ts, ../web/charts.ts.

import type { ChartConfiguration } from 'chart.js';
import type { ChartSpec, Series } from './experiment.ts';

export const TRAINING_COLOR = '#1f77b4';
export const VALIDATION_COLOR = '#ff7f0e';
/** Runs compared on one chart: never blue or orange, which mean training and validation. */
const RUN_COLORS = ['#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];

/** The colour of a series: by its role, else by its place among the runs. */
export function seriesColor(s: Series, k: number): string {
  if (s.role === 'training') return TRAINING_COLOR;
  if (s.role === 'validation') return VALIDATION_COLOR;
  return RUN_COLORS[k % RUN_COLORS.length];
}

/**
 * Legend entries drawn as a short line, dashed where the curve is: a box 0 px high is stroked
 * with the dataset's dash (a point-style legend would take the point's style, which has none).
 */
const legend = { labels: { boxWidth: 28, boxHeight: 0, font: { size: 11 } } } as const;

const range = (r?: [number, number]) => (r ? { min: r[0], max: r[1] } : {});
/** Epochs 1..n; one epoch centred (a lone point, not one on the edge). */
function epochRange(spec: ChartSpec): [number, number] {
  const n = Math.max(1, ...spec.series.map((s) => s.values.length));
  return n === 1 ? [0.5, 1.5] : [1, n];
}

function lineConfig(spec: ChartSpec): ChartConfiguration<'line', { x: number; y: number | null }[]> {
  // Points are {x, y} on a linear axis: live curves put values at fractional epochs.
  const datasets = spec.series.map((s, k) => {
    const color = seriesColor(s, k);
    return {
      label: s.name,
      data: s.values.map((y, i) => ({ x: s.x?.[i] ?? i + 1, y: Number.isFinite(y) ? y : null })),
      borderColor: color,
      backgroundColor: color,
      borderWidth: 2,
      borderDash: s.dashed ? [6, 4] : [],
      // Dots where the values are few (epoch ends), none on a dense live curve.
      pointRadius: s.values.length > 40 ? 0 : 3,
    };
  });
  return {
    type: 'line',
    data: { datasets },
    options: {
      animation: false,
      maintainAspectRatio: false,
      interaction: { mode: 'nearest', intersect: false },
      plugins: { title: { display: true, text: spec.title }, legend, tooltip: { enabled: true } },
      scales: {
        x: { type: 'linear', title: { display: true, text: spec.xLabel ?? 'epoch' }, ticks: { precision: 0 }, ...range(spec.xRange ?? epochRange(spec)) },
        y: { type: spec.logY ? 'logarithmic' : 'linear', ...range(spec.yRange) },
      },
    },
  };
}

function barConfig(spec: ChartSpec): ChartConfiguration<'bar'> {
  return {
    type: 'bar',
    data: {
      labels: spec.labels ?? [],
      datasets: spec.series.map((s, k) => ({ label: s.name, data: s.values, backgroundColor: seriesColor(s, k) })),
    },
    // Bars keep Chart.js's filled square in the legend (a line would not say "bar").
    options: { animation: false, maintainAspectRatio: false, plugins: { title: { display: true, text: spec.title }, legend: { labels: { font: { size: 11 } } }, tooltip: { enabled: true } } },
  };
}

/** The Chart.js configuration of a ChartSpec (JSON-serializable: the reports embed it as is). */
export function chartConfig(spec: ChartSpec): ChartConfiguration<'line', { x: number; y: number | null }[]> | ChartConfiguration<'bar'> {
  return spec.kind === 'bar' ? barConfig(spec) : lineConfig(spec);
}
