// Small SVG charts for the Node HTML reports (no browser, no canvas): a line chart of
// series over epochs (linear or logarithmic y) and a grouped bar chart over labels, each
// with min/max labels and a legend. The Chrome page draws the same ChartSpecs with Chart.js.

import type { ChartSpec, Series } from './experiment.ts';

const COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f'];
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
const color = (k: number) => COLORS[k % COLORS.length];

interface Frame {
  width: number;
  height: number;
  l: number;
  r: number;
  t: number;
  b: number;
}

/** The title, the legend, the plot box and the y range labels. */
function frame(f: Frame, title: string, series: Series[], lo: string, hi: string, extra: string[]): string {
  const { width, height, l, r, t, b } = f;
  const { perRow, colWidth } = legendLayout(f, series);
  const legend = series.map(
    (s, k) => `<text x="${l + (k % perRow) * colWidth}" y="${30 + 12 * Math.floor(k / perRow)}" font-size="10" fill="${color(k)}">${esc(s.name)}</text>`,
  );
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif">`,
    `<text x="${width / 2}" y="14" text-anchor="middle" font-size="13" font-weight="bold">${esc(title)}</text>`,
    `<rect x="${l}" y="${t}" width="${width - l - r}" height="${height - t - b}" fill="none" stroke="#999"/>`,
    `<text x="${l - 4}" y="${t + 4}" text-anchor="end" font-size="10">${hi}</text>`,
    `<text x="${l - 4}" y="${height - b}" text-anchor="end" font-size="10">${lo}</text>`,
    ...extra,
    ...legend,
    '</svg>',
  ].join('\n');
}

/** Legend columns as wide as the longest name (~6 px a character at 10 px). */
function legendLayout(f: Pick<Frame, 'width' | 'l' | 'r'>, series: Series[]): { perRow: number; colWidth: number } {
  const colWidth = Math.max(60, 6 * Math.max(0, ...series.map((s) => s.name.length)) + 14);
  return { perRow: Math.max(1, Math.floor((f.width - f.l - f.r) / colWidth)), colWidth };
}
const top = (width: number, series: Series[]) => 24 + 12 * Math.ceil(series.length / legendLayout({ width, l: 56, r: 12 }, series).perRow);
/** A y-axis label: 3 significant digits, exponent form for tiny values (learning rates). */
const num = (v: number) => (v !== 0 && Math.abs(v) < 1e-3 ? v.toExponential(1) : v.toPrecision(3));

export function svgLineChart(
  title: string,
  series: Series[],
  { width = 460, height = 260, xLabel = 'epoch', logY = false }: { width?: number; height?: number; xLabel?: string; logY?: boolean } = {},
): string {
  const f = (v: number) => (logY ? Math.log10(v) : v);
  const all = series.flatMap((s) => s.values).filter((v) => Number.isFinite(f(v)));
  const lo = Math.min(...all.map(f), Infinity);
  const hi = Math.max(...all.map(f), -Infinity);
  const span = hi - lo || 1;
  const n = Math.max(1, ...series.map((s) => s.values.length));
  const fr: Frame = { width, height, l: 56, r: 12, t: top(width, series), b: 34 };
  const x = (i: number) => fr.l + (width - fr.l - fr.r) * (n === 1 ? 0.5 : i / (n - 1));
  const y = (v: number) => fr.t + (height - fr.t - fr.b) * (1 - (f(v) - lo) / span);
  const paths = series.map((s, k) => {
    const d = s.values.map((v, i) => `${i ? 'L' : 'M'}${x(i).toFixed(1)},${y(v).toFixed(1)}`).join('');
    const dot = s.values.length === 1 ? `<circle cx="${x(0)}" cy="${y(s.values[0]).toFixed(1)}" r="3" fill="${color(k)}"/>` : '';
    return `<path d="${d}" fill="none" stroke="${color(k)}" stroke-width="2"/>${dot}`;
  });
  const label = (v: number) => num(logY ? 10 ** v : v);
  const axis = [
    n > 1 ? `<text x="${fr.l}" y="${height - fr.b + 14}" font-size="10">1</text>` : '',
    `<text x="${n > 1 ? width - fr.r : x(0)}" y="${height - fr.b + 14}" text-anchor="${n > 1 ? 'end' : 'middle'}" font-size="10">${n}</text>`,
    `<text x="${(width + fr.l) / 2}" y="${height - 6}" text-anchor="middle" font-size="11">${esc(xLabel)}${logY ? ' (log y)' : ''}</text>`,
  ];
  return frame(fr, title, series, label(lo), label(hi), [...axis, ...paths]);
}

/** Bars grouped by label (e.g. per class), one color per series; y from 0. */
export function svgBarChart(title: string, labels: string[], series: Series[], { width = 460, height = 260 } = {}): string {
  const hi = Math.max(...series.flatMap((s) => s.values), 1e-9);
  const fr: Frame = { width, height, l: 56, r: 12, t: top(width, series), b: 40 };
  const slot = (width - fr.l - fr.r) / labels.length;
  const bar = (slot * 0.8) / series.length;
  const h = (v: number) => ((height - fr.t - fr.b) * v) / hi;
  const bars = series.flatMap((s, k) =>
    s.values.map((v, i) => {
      const x = fr.l + slot * i + slot * 0.1 + bar * k;
      return `<rect x="${x.toFixed(1)}" y="${(height - fr.b - h(v)).toFixed(1)}" width="${bar.toFixed(1)}" height="${h(v).toFixed(1)}" fill="${color(k)}"/>`;
    }),
  );
  const ticks = labels.map(
    (lab, i) => `<text x="${(fr.l + slot * (i + 0.5)).toFixed(1)}" y="${height - fr.b + 12}" text-anchor="middle" font-size="9">${esc(lab.slice(0, 8))}</text>`,
  );
  return frame(fr, title, series, '0', num(hi), [...bars, ...ticks]);
}

/** A ChartSpec as SVG. */
export function svgChart(c: ChartSpec): string {
  return c.kind === 'bar' ? svgBarChart(c.title, c.labels ?? [], c.series) : svgLineChart(c.title, c.series, { logY: c.logY });
}
