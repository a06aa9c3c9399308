// More than 65,535 workgroups in one dimension (WebGPU's maxComputeWorkgroupsPerDimension):
// the kernels whose grids are not 1-D elementwise ones split theirs over x and y too —
// softmax and reductions (one workgroup per row or output), the cross-entropy kernels (64
// rows per workgroup, so past 4,194,240 rows). Checked at both ends and across the split.
// Node only: these tensors are tens of MB, slow under SwiftShader. The elementwise grid()
// (17M elements) is in tests/core/runtime.test.ts.
import { beforeAll, describe, expect, test } from 'vitest';
import { backward, ops, ready, tensor, type Tensor } from '../../src/index.ts';
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
  test('softmax over 70,000 rows (last axis) and logSoftmax over 70,000 columns (axis 0)', async () => {
    const rows = 70_000;
    const data = values(rows * 3, 11, -4, 4);
    const at = sampleRows(rows, 1);
    const x = tensor(Float32Array.from(data), [rows, 3]);
    const y = await readAndFree(ops.softmax(x));
    const row = (r: number) => R.arr(data.subarray(r * 3, r * 3 + 3), [3]);
    expectClose(at.flatMap((r) => Array.from(y.subarray(r * 3, r * 3 + 3))), at.flatMap((r) => Array.from(R.softmax(row(r), 0).data)), { atol: 1e-6, rtol: 1e-5 }, 'softmax rows');
    const xt = tensor(Float32Array.from(data), [3, rows]);
    const yt = await readAndFree(ops.logSoftmax(xt, 0));
    const column = (c: number) => R.arr([data[c], data[rows + c], data[2 * rows + c]], [3]);
    const got = at.flatMap((c) => [yt[c], yt[rows + c], yt[2 * rows + c]]);
    expectClose(got, at.flatMap((c) => Array.from(R.softmax(column(c), 0, true).data)), { atol: 1e-5, rtol: 1e-5 }, 'logSoftmax columns');
    x.dispose();
    xt.dispose();
  });

  test('reductions with 70,000 outputs: sum over the last axis, max over the first', async () => {
    const cols = 70_000;
    const data = values(2 * cols, 3, -2, 2);
    const at = sampleRows(cols, 1);
    const rows = tensor(Float32Array.from(data), [cols, 2]);
    const sums = await readAndFree(ops.sum(rows, 1));
    expectClose(at.map((r) => sums[r]), at.map((r) => data[2 * r] + data[2 * r + 1]), { atol: 1e-6, rtol: 1e-6 }, 'sum rows');
    const pairs = tensor(Float32Array.from(data), [2, cols]);
    const maxes = await readAndFree(ops.max(pairs, 0));
    expect(at.map((c) => maxes[c])).toEqual(at.map((c) => Math.fround(Math.max(data[c], data[cols + c]))));
    rows.dispose();
    pairs.dispose();
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
