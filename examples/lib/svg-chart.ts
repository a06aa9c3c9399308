// A small SVG line chart for the Node HTML reports (no browser, no canvas): series of
// numbers over epochs, axes with min/max labels, a legend.

export interface Series {
  name: string;
  values: number[];
}

const COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b'];
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

export function svgLineChart(title: string, series: Series[], { width = 460, height = 260, xLabel = 'epoch' } = {}): string {
  const all = series.flatMap((s) => s.values).filter(Number.isFinite);
  const lo = Math.min(...all, Infinity);
  const hi = Math.max(...all, -Infinity);
  const span = hi - lo || 1;
  const n = Math.max(1, ...series.map((s) => s.values.length));
  const [l, r, t, b] = [48, 12, 28, 34];
  const x = (i: number) => l + ((width - l - r) * (n === 1 ? 0.5 : i / (n - 1)));
  const y = (v: number) => t + (height - t - b) * (1 - (v - lo) / span);
  const paths = series.map((s, k) => {
    const d = s.values.map((v, i) => `${i ? 'L' : 'M'}${x(i).toFixed(1)},${y(v).toFixed(1)}`).join('');
    return `<path d="${d}" fill="none" stroke="${COLORS[k % COLORS.length]}" stroke-width="2"/>`;
  });
  const legend = series.map(
    (s, k) => `<text x="${l + 8 + k * 120}" y="${t - 10}" font-size="11" fill="${COLORS[k % COLORS.length]}">${esc(s.name)}</text>`,
  );
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif">`,
    `<text x="${width / 2}" y="14" text-anchor="middle" font-size="13" font-weight="bold">${esc(title)}</text>`,
    `<rect x="${l}" y="${t}" width="${width - l - r}" height="${height - t - b}" fill="none" stroke="#999"/>`,
    `<text x="${l - 4}" y="${t + 4}" text-anchor="end" font-size="10">${hi.toPrecision(3)}</text>`,
    `<text x="${l - 4}" y="${height - b}" text-anchor="end" font-size="10">${lo.toPrecision(3)}</text>`,
    `<text x="${l}" y="${height - b + 14}" font-size="10">1</text>`,
    `<text x="${width - r}" y="${height - b + 14}" text-anchor="end" font-size="10">${n}</text>`,
    `<text x="${(width + l) / 2}" y="${height - 6}" text-anchor="middle" font-size="11">${esc(xLabel)}</text>`,
    ...paths,
    ...legend,
    '</svg>',
  ].join('\n');
}
