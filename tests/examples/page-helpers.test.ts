// The examples page's pure helpers: predicted classes and confusion matrices
// (examples/lib/predictions.ts) and the one chart config the page and the Node reports
// share (examples/lib/chart-config.ts). Plain TypeScript: both projects.

import { expect, test } from 'vitest';
import { chartConfig, TRAINING_COLOR, VALIDATION_COLOR } from '../../examples/lib/chart-config.ts';
import { classify, confusionMatrix, SPLITS } from '../../examples/lib/predictions.ts';

test('classify: the argmax of softmax rows, and a threshold of 0.5 on one sigmoid output', () => {
  expect(classify(Float32Array.from([0.1, 0.7, 0.2, 0.5, 0.2, 0.3]), 3)).toEqual({ predicted: [1, 0], confidence: [expect.closeTo(0.7, 6), 0.5] });
  expect(classify(Float32Array.from([0.9, 0.2, 0.5]), 1)).toEqual({ predicted: [1, 0, 1], confidence: [expect.closeTo(0.9, 6), expect.closeTo(0.8, 6), 0.5] });
});

test('confusionMatrix: rows are the true class, columns the predicted one; the accuracy is its trace over n', () => {
  const { matrix, accuracy } = confusionMatrix([0, 0, 1, 2, 2, 2], [0, 1, 1, 2, 0, 2], 3);
  expect(matrix).toEqual([
    [1, 1, 0],
    [0, 1, 0],
    [1, 0, 2],
  ]);
  expect(accuracy).toBeCloseTo(4 / 6, 12);
  expect(confusionMatrix([], [], 2)).toEqual({ matrix: [[0, 0], [0, 0]], accuracy: 0 });
});

test("the splits' class names: 10, 8 (either edition's task A) and 2", () => {
  expect(SPLITS.test.labels).toHaveLength(10);
  expect(SPLITS.testA.labels).not.toContain('Sandal');
  expect(SPLITS.testA.labels).not.toContain('Shirt');
  expect(SPLITS.testA3.labels).toEqual(['Trouser', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot']);
  expect(SPLITS.testB.labels).toEqual(['Sandal', 'Shirt']);
});

test('chartConfig: plain JSON, blue training and dashed orange validation, runs in other colours, legends that keep the dash', () => {
  const line = chartConfig({
    title: 'loss',
    kind: 'line',
    series: [
      { name: 'training loss', values: [1, 0.5], role: 'training' },
      { name: 'validation loss', values: [1.2, Number.NaN], role: 'validation', dashed: true },
    ],
  });
  // What the reports embed is what the page draws: nothing is lost through JSON.
  expect(JSON.parse(JSON.stringify(line))).toEqual(line);
  const [train, val] = line.data.datasets;
  expect(train).toMatchObject({ borderColor: TRAINING_COLOR, borderDash: [], data: [{ x: 1, y: 1 }, { x: 2, y: 0.5 }] });
  // A value that is not finite is a gap, not a point at NaN.
  expect(val).toMatchObject({ borderColor: VALIDATION_COLOR, borderDash: [6, 4], data: [{ x: 1, y: 1.2 }, { x: 2, y: null }] });
  // A box legend 0 px high: stroked with the dataset's dash.
  expect(line.options?.plugins?.legend?.labels).toMatchObject({ boxHeight: 0 });
  const runs = chartConfig({ title: 'val_loss', kind: 'line', series: [{ name: 'SGD', values: [1] }, { name: 'Adam', values: [1] }] });
  const colors = runs.data.datasets.map((d) => d.borderColor);
  expect(new Set(colors).size).toBe(2);
  for (const c of colors) expect([TRAINING_COLOR, VALIDATION_COLOR]).not.toContain(c);
  const bar = chartConfig({ title: 'MC', kind: 'bar', labels: ['a', 'b'], series: [{ name: 'mean', values: [0.2, 0.8] }] });
  expect(bar).toMatchObject({ type: 'bar', data: { labels: ['a', 'b'], datasets: [{ label: 'mean', data: [0.2, 0.8] }] } });
});
