// More than 65,535 workgroups in one dimension (WebGPU's maxComputeWorkgroupsPerDimension):
// the kernels whose grids are not 1-D elementwise ones split theirs over x and y too —
// softmax and reductions (one workgroup per long row or output, one invocation per short
// one), the cross-entropy kernels (64 rows per workgroup, so past 4,194,240 rows). Checked at both ends and across the split.
// Node only: these tensors are tens of MB, slow under SwiftShader. The elementwise grid()
// (17M elements) is in tests/core/runtime.test.ts.
import { beforeAll, describe, expect, test } from 'vitest';
import { backward, ops, ready, tensor, type Tensor } from '../../src/index.ts';
import { SERIAL_MAX_LEN } from '../../src/autograd/reduce.ts';
import { expectClose, values } from '../util/check.ts';
import * as R from '../util/reference.ts';

beforeAll(async () => {
  await ready();
});

/** Row indices to compare: both ends and around the workgroup-count split. */
function sampleRows(rows: number, perGroup: number): number[] {
  const split = 65535 * perGroup;
  const around = (c: number) => Array.from({ length: 2 * perGroup + 2 }, (_, i) => c - perGroup - 1 + i).filter((r) => r >= 0 && r < rows);
  return [...new Set([...around(perGroup), ...around(split), ...around(rows - perGroup)])];
}

async function readAndFree(t: Tensor): Promise<Float32Array> {
  const d = await t.data();
  t.dispose();
  return d;
}

describe('grids past 65,535 workgroups', () => {
  test('softmax past the 2-D grid split: 4,200,000 short rows (walks), 66,000 long rows (trees)', async () => {
    // Short rows: one invocation each, 64 per workgroup (split at 65,535 x 64 rows), here
    // along axis 0 (strided). Long rows: one workgroup each (split at 65,535).
    const cols = 4_200_000;
    const data = values(2 * cols, 11, -4, 4);
    const at = sampleRows(cols, 64);
    const xt = tensor(Float32Array.from(data), [2, cols]);
    const yt = await readAndFree(ops.logSoftmax(xt, 0));
    const column = (c: number) => R.arr([data[c], data[cols + c]], [2]);
    const got = at.flatMap((c) => [yt[c], yt[cols + c]]);
    expectClose(got, at.flatMap((c) => Array.from(R.softmax(column(c), 0, true).data)), { atol: 1e-5, rtol: 1e-5 }, 'logSoftmax columns');
    xt.dispose();
    const rows = 66_000;
    const len = SERIAL_MAX_LEN + 1;
    const long = new Float32Array(rows * len);
    for (let r = 0; r < rows; r++) long[r * len + (r % len)] = 5; // one hot spot per row
    const x = tensor(long, [rows, len]);
    const y = await readAndFree(ops.softmax(x));
    const hot = Math.exp(5) / (Math.exp(5) + len - 1);
    const atRows = sampleRows(rows, 1);
    expectClose(atRows.map((r) => y[r * len + (r % len)]), atRows.map(() => hot), { atol: 1e-6, rtol: 1e-5 }, 'softmax of long rows');
    x.dispose();
  });

  test('reductions past the 2-D grid split: walks (4,200,000 outputs), trees (66,000 outputs)', async () => {
    // A short axis: one invocation per output, 64 per workgroup, so the split is at
    // 65,535 x 64 outputs. A long one: one workgroup per output, split at 65,535.
    const cols = 4_200_000;
    const data = values(2 * cols, 3, -2, 2);
    const pairs = tensor(Float32Array.from(data), [2, cols]);
    const maxes = await readAndFree(ops.max(pairs, 0));
    const at = sampleRows(cols, 64);
    expect(at.map((c) => maxes[c])).toEqual(at.map((c) => Math.fround(Math.max(data[c], data[cols + c]))));
    pairs.dispose();
    const rows = 66_000;
    const len = SERIAL_MAX_LEN + 1;
    const long = new Float32Array(rows * len);
    for (let r = 0; r < rows; r++) long.fill((r % 97) / len, r * len, (r + 1) * len);
    const x = tensor(long, [rows, len]);
    const sums = await readAndFree(ops.sum(x, 1));
    const atRows = sampleRows(rows, 1);
    expectClose(atRows.map((r) => sums[r]), atRows.map((r) => r % 97), { atol: 1e-4, rtol: 1e-5 }, 'sum of long rows');
    x.dispose();
  });

  test('sparse categorical cross-entropy, forward and gradient, over 4,200,000 rows (65,625 workgroups of 64)', async () => {
    const rows = 4_200_000;
    const C = 2;
    const logits = values(rows * C, 5, -3, 3);
    const labels = Float32Array.from({ length: rows }, (_, i) => (i * 7) % C);
    const pred = tensor(Float32Array.from(logits), [rows, C]);
    pred.requiresGrad = true;
    const y = tensor(labels, [rows]);
    const loss = ops.sparseCategoricalCrossentropy(y, pred, true);
    backward(ops.sum(loss));
    const got = await readAndFree(loss);
    const grad = await pred.grad!.data();
    const at = sampleRows(rows, 64);
    const rowRef = (r: number) => R.sparseCE([labels[r]], R.arr(logits.subarray(r * C, r * C + C), [1, C]), true)[0];
    expectClose(at.map((r) => got[r]), at.map(rowRef), { atol: 1e-5, rtol: 1e-5 }, 'loss rows');
    // d/dz of lse(z) - z[label] = softmax(z) - onehot(label).
    const gradRef = at.flatMap((r) => {
      const p = R.softmax(R.arr(logits.subarray(r * C, r * C + C), [C]), 0).data;
      return Array.from(p, (v, j) => v - (j === labels[r] ? 1 : 0));
    });
    expectClose(at.flatMap((r) => Array.from(grad.subarray(r * C, r * C + C))), gradRef, { atol: 1e-6, rtol: 1e-5 }, 'gradient rows');
    for (const t of [pred.grad!, pred, y]) t.dispose();
  });

  test('binary cross-entropy over 4,200,000 elements', async () => {
    const n = 4_200_000;
    const p = values(n, 9, 0.01, 0.99);
    const t = Float32Array.from({ length: n }, (_, i) => i % 2);
    const [pt, tt] = [tensor(Float32Array.from(p), [n]), tensor(t, [n])];
    const got = await readAndFree(ops.binaryCrossentropy(tt, pt));
    const at = sampleRows(n, 64);
    expectClose(at.map((i) => got[i]), at.map((i) => R.binaryCE(t[i], p[i], false)), { atol: 1e-6, rtol: 1e-5 });
    expect(got.length).toBe(n);
    pt.dispose();
    tt.dispose();
  });
});
