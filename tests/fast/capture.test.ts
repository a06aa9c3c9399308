// Step capture at the runtime level (src/fast/capture.ts): a recorded step replays with
// its per-step data re-read (a gather's cursor, a host effect) against a plain-TS running
// sum; a step that submits, uploads host data or leaves a new tensor alive is not captured;
// a capture dies when a buffer it reads from outside is freed, and its arena goes back.
import { beforeAll, expect, test } from 'vitest';
import { add } from '../../src/autograd/elementwise.ts';
import { ready } from '../../src/kernels/device.ts';
import { captures } from '../../src/fast/capture.ts';
import { flush, memory, rt } from '../../src/kernels/runtime.ts';
import { assign } from '../../src/tensor/assign.ts';
import { tensor, zeros } from '../../src/tensor/create.ts';
import { gatherBatch, type RowCursor } from '../../src/tensor/gather.ts';
import { keep, tidy } from '../../src/tensor/memory.ts';
import type { Tensor } from '../../src/tensor/tensor.ts';

beforeAll(async () => {
  await ready();
});

const ROWS = 8;
const values = Float32Array.from({ length: ROWS * 3 }, (_, i) => i * 0.5 - 3);
const ORDER = [5, 2, 7, 0, 3, 6, 1, 4];

/** acc += the 2 rows at the cursor (the step every test records). */
const step = (data: Tensor, acc: Tensor, cursor: RowCursor) => () => tidy(() => assign(acc, add(acc, gatherBatch(data, cursor, 2))));

test('a replay re-reads the cursor (per-step data)', async () => {
  const data = keep(tensor(values, [ROWS, 3]));
  const cursor: RowCursor = { order: keep(tensor(ORDER)), start: 0 };
  const acc = keep(zeros([2, 3]));
  const r = rt();
  const replays = r.stats.replays;
  captures().begin('test');
  step(data, acc, cursor)();
  const cap = captures().end();
  flush();
  expect(cap).not.toBeNull();
  for (const start of [2, 4, 6]) {
    cursor.start = start;
    captures().replay(cap!);
    flush();
  }
  expect(r.stats.replays - replays).toBe(3);
  const want = new Array(6).fill(0);
  for (let row = 0; row < ROWS; row++) for (let c = 0; c < 3; c++) want[(row % 2) * 3 + c] += values[ORDER[row] * 3 + c];
  const got = Array.from(await acc.data());
  got.forEach((v, i) => expect(v).toBeCloseTo(want[i], 5));
  captures().drop(cap!);
  for (const t of [data, cursor.order, acc]) t.dispose();
});

test('a step that submits, uploads host data, or leaves a new tensor alive is not captured', () => {
  const x = keep(tensor([1, 2, 3]));
  let kept: Tensor | null = null;
  const attempts: [string, () => void][] = [
    ['submits', () => tidy(() => void (add(x, x), flush()))],
    ['uploaded', () => tidy(() => void add(x, tensor([4, 5, 6])))],
    ['stay alive', () => (kept = keep(add(x, x)))],
  ];
  const inUse = memory().buffersInUse;
  for (const [why, fn] of attempts) {
    captures().begin(why);
    fn();
    expect(captures().end()).toBeNull();
    expect(captures().lastFailure).toContain(why);
  }
  kept!.dispose();
  flush();
  expect(memory().buffersInUse).toBe(inUse); // failed recordings hand their arenas back
  x.dispose();
});

test('a capture dies when a buffer it uses from outside is freed', () => {
  const data = keep(tensor(values, [ROWS, 3]));
  const cursor: RowCursor = { order: keep(tensor(ORDER)), start: 0 };
  const acc = keep(zeros([2, 3]));
  captures().begin('test');
  step(data, acc, cursor)();
  const cap = captures().end();
  flush();
  expect(cap?.valid).toBe(true);
  data.dispose();
  expect(cap!.valid).toBe(false);
  expect(() => captures().replay(cap!)).toThrow('replay of a dropped capture');
  for (const t of [cursor.order, acc]) t.dispose();
});
