// model.summary(): Keras's table of layers, output shapes and parameter counts, with the
// trainable / non-trainable totals (shared weights counted once, as Keras does).

import type { FeatureShape } from '../layers/layer.ts';
import type { Network } from './network.ts';

const COLS = [29, 26, 10];
// tf.keras 2 cuts a cell that does not fit its column, keeping one space before the next:
// 'batch_normalization (BatchNo (None, 784)'.
const pad = (cells: string[]) => cells.map((c, i) => c.slice(0, COLS[i] - 1).padEnd(COLS[i])).join('').trimEnd();
const fmt = (n: number) => n.toLocaleString('en-US');

/** The table for a model's layers in order, `shapes` being each layer's output shape (Sequential.layerShapes). */
export function summaryText(model: Network, shapes: FeatureShape[]): string {
  const width = COLS.reduce((a, b) => a + b, 0) + 1;
  const lines = [`Model: "${model.name}"`, '_'.repeat(width), pad(['Layer (type)', 'Output Shape', 'Param #']), '='.repeat(width)];
  model.layers.forEach((l, i) => {
    const shape = shapes[i] ? `(None, ${shapes[i].join(', ')})` : '(unbuilt)';
    lines.push(pad([`${l.name} (${l.className})`, shape, fmt(l.countParams())]));
    lines.push(i === model.layers.length - 1 ? '='.repeat(width) : '_'.repeat(width));
  });
  if (!model.layers.length) lines.push('='.repeat(width));
  const count = (ws: { tensor: { size: number } }[]) => ws.reduce((n, w) => n + w.tensor.size, 0);
  lines.push(`Total params: ${fmt(count(model.weights))}`);
  lines.push(`Trainable params: ${fmt(count(model.trainableWeights))}`);
  lines.push(`Non-trainable params: ${fmt(count(model.nonTrainableWeights))}`);
  lines.push('_'.repeat(width));
  return lines.join('\n');
}
