// A Functional model's summary() as Keras 3 prints it (keras/src/utils/summary_utils.py):
// a table drawn by the `rich` library with heavy header rules, one row per layer, and a
// "Connected to" column (`layer[node][tensor]` per input) unless the graph is a chain. The
// column widths, the shrinking to the line length and the word wrapping in cells follow
// rich's Table (rich/table.py, rich/_wrap.py), so the text is Keras's character for character.
// Read next: model.ts; summary.ts (Sequential's tf.keras 2 table).

import type { GraphNode, Layer } from '../layers/layer.ts';
import type { Network } from './network.ts';

/** Each node of a Functional model's graph with its depth (Model.depths; outputs at 0). */
type Depths = ReadonlyMap<GraphNode, number>;

export interface SummaryOptions {
  /**
   * Total width of the table. Keras 3 uses min(108, or 88 for a chain, terminal columns - 4):
   * 76 in a notebook or an 80-column terminal, the default here.
   */
  lineLength?: number;
}

/** Python's round(): halves go to the even neighbour (rich's ratio_reduce uses it). */
const pyRound = (v: number) => {
  const f = Math.floor(v);
  return v - f === 0.5 ? (f % 2 === 0 ? f : f + 1) : Math.round(v);
};

/** Python's '{:.2f}' (ties to even on the exact value, where JS's toFixed rounds them up). */
function fixed2(v: number): string {
  const scaled = v * 100;
  return Math.abs(scaled - Math.trunc(scaled)) === 0.5 ? (pyRound(scaled) / 100).toFixed(2) : v.toFixed(2);
}

/** Keras's readable_memory_size. */
function memory(bytes: number): string {
  let v = bytes;
  for (const unit of ['B', 'KB', 'MB', 'GB', 'TB']) {
    if (v / 1024 < 1) return `${fixed2(v)} ${unit}`;
    v /= 1024;
  }
  return `${fixed2(v)} PB`;
}

/**
 * rich's divide_line + Text.wrap for one cell with a table column's default overflow
 * ('ellipsis'): words move to the next line whole; a word longer than the line gets a line
 * of its own, cut to the width with '…'. Lines are justified left, or right for numbers.
 */
function cellLines(text: string, width: number, right: boolean): string[] {
  const breaks: number[] = [];
  let offset = 0;
  for (const m of text.matchAll(/\s*\S+\s*/g)) {
    const word = m[0];
    if (width - offset >= word.trimEnd().length) offset += word.length;
    else {
      if (m.index) breaks.push(m.index);
      offset = word.length;
    }
  }
  const cuts = [0, ...breaks, text.length];
  return cuts.slice(0, -1).map((c, i) => {
    let line = text.slice(c, cuts[i + 1]);
    // rstrip_end: trailing spaces past the width go; then truncate with an ellipsis.
    line = line.slice(0, Math.max(width, line.trimEnd().length));
    if (right) line = line.trimEnd();
    if (line.length > width) line = `${line.slice(0, width - 1)}…`;
    return right ? line.padStart(width) : line.padEnd(width);
  });
}

/** rich's column widths for a Table(width=lineLength) of fixed-width columns: each plus its padding, reduced evenly to fit. */
function richWidths(widths: number[], lineLength: number): number[] {
  const padded = widths.map((w) => w + 2);
  const max = lineLength - (widths.length + 1);
  let excess = padded.reduce((a, b) => a + b, 0) - max;
  if (excess <= 0) return padded;
  let ratio = padded.length;
  return padded.map((w) => {
    const cut = Math.min(w, pyRound(excess / ratio));
    excess -= cut;
    ratio -= 1;
    return w - cut;
  });
}

/** The table's text: heavy header (┏━┳┓ ┃ ┡━╇┩), light rows separated by ├─┼┤ lines, └─┴┘ at the bottom. */
function table(header: string[], rows: string[][], widths: number[], right: boolean[]): string[] {
  const rule = (l: string, fill: string, mid: string, r: string) => l + widths.map((w) => fill.repeat(w)).join(mid) + r;
  const row = (cells: string[], bar: string) => {
    const lines = cells.map((c, i) => cellLines(c, widths[i] - 2, right[i]));
    const height = Math.max(...lines.map((l) => l.length));
    return Array.from({ length: height }, (_, k) => bar + lines.map((l, i) => ` ${l[k] ?? ' '.repeat(widths[i] - 2)} `).join(bar) + bar);
  };
  const out = [rule('┏', '━', '┳', '┓'), ...row(header, '┃'), rule('┡', '━', '╇', '┩')];
  rows.forEach((r, i) => {
    if (i > 0) out.push(rule('├', '─', '┼', '┤'));
    out.push(...row(r, '│'));
  });
  out.push(rule('└', '─', '┴', '┘'));
  return out;
}

/** Keras's sequential_like: one node per depth, none with several inputs, no layer used twice. */
function isChain(model: Network, depths: Depths): boolean {
  const perDepth = new Map<number, number>();
  for (const [node, d] of depths) {
    perDepth.set(d, (perDepth.get(d) ?? 0) + 1);
    if (node.inputs.length > 1) return false;
  }
  if ([...perDepth.values()].some((n) => n > 1)) return false;
  return model.layers.every((l) => l.inboundNodes.filter((n) => depths.has(n)).length <= 1);
}

/** The inputs of the layer's nodes in this model, as Keras's get_connections writes them. */
function connections(depths: Depths, layer: Layer): string {
  const nodes = layer.inboundNodes.filter((n) => depths.has(n));
  const parts = nodes.flatMap((n) => n.inputs.map((t) => `${t.layer.name}[${t.node.index}][${t.tensorIndex}]`));
  return parts.length ? parts.join(', ') : '-';
}

/** Bytes of weights as Keras counts them: 4 per float32 value, 8 per int64 (Normalization's count). */
const bytesOf = (ws: { tensor: { size: number }; dtype?: string }[]) => ws.reduce((n, w) => n + w.tensor.size * (w.dtype === 'int64' ? 8 : 4), 0);
const countOf = (ws: { tensor: { size: number } }[]) => ws.reduce((n, w) => n + w.tensor.size, 0);
const fmt = (n: number) => n.toLocaleString('en-US');

export function functionalSummary(model: Network, depths: Depths, { lineLength }: SummaryOptions = {}): string {
  const chain = isChain(model, depths);
  const positions = chain ? [0.45, 0.8, 1.0] : [0.3, 0.56, 0.74, 1.0];
  const length = lineLength ?? Math.min(chain ? 88 : 108, 76);
  const header = ['Layer (type)', 'Output Shape', 'Param #', ...(chain ? [] : ['Connected to'])];
  const widths: number[] = [];
  let current = 0;
  for (const p of positions) {
    const w = Math.floor(p * length) - current;
    if (w < 4) throw new RangeError(`summary: lineLength ${length} is too narrow to print the table`);
    widths.push(w);
    current += w;
  }
  const rows = model.layers.map((l) => {
    const last = l.inboundNodes.at(-1);
    const shape = last ? `(${['None', ...last.outputs[0].features].join(', ')})` : '?';
    const params = l.built ? fmt(l.countParams()) : '0 (unbuilt)';
    return [`${l.name} (${l.className})`, shape, params, ...(chain ? [] : [connections(depths, l)])];
  });
  const right = header.map((h) => h === 'Param #');
  const trainable = model.trainableWeights;
  const frozen = model.nonTrainableWeights;
  // Keras builds the optimizer when fit starts; here it has state once fit ran a step. Its
  // `iteration` counter is int64 (8 bytes), the rest float32.
  const opt = model.compiled?.optimizer;
  const specs = opt && opt.iterations > 0 ? opt.weightSpecs() : [];
  const optCount = specs.reduce((n, s) => n + s.shape.reduce((a, b) => a * b, 1), 0);
  const optBytes = specs.reduce((n, s) => n + s.shape.reduce((a, b) => a * b, 1) * (s.name === 'iteration' ? 8 : 4), 0);
  const all = [...trainable, ...frozen];
  return [
    `Model: "${model.name}"`,
    ...table(header, rows, richWidths(widths, length), right),
    ` Total params: ${fmt(countOf(all) + optCount)} (${memory(bytesOf(all) + optBytes)})`,
    ` Trainable params: ${fmt(countOf(trainable))} (${memory(bytesOf(trainable))})`,
    ` Non-trainable params: ${fmt(countOf(frozen))} (${memory(bytesOf(frozen))})`,
    ...(specs.length ? [` Optimizer params: ${fmt(optCount)} (${memory(optBytes)})`] : []),
  ].join('\n');
}
