// The GPU runtime (src/kernels/runtime.ts): pipelines compiled once, dispatches batched into
// one submit until a result is read, WebGPU errors thrown with the kernel's label (not a
// hang), and 2-D grids past 65,535 workgroups.
import { beforeAll, describe, expect, test } from 'vitest';
import { GpuError, ready } from '../../src/kernels/device.ts';
import { throttle } from '../../src/fast/pacing.ts';
import { flush, grid, params, pipelineReport, profile, rt, runtimeStats } from '../../src/kernels/runtime.ts';
import * as ops from '../../src/ops.ts';
import { fill, tensor } from '../../src/tensor/create.ts';
import { emptyTensor } from '../../src/tensor/tensor.ts';

beforeAll(async () => {
  await ready();
});

describe('pipelines and submits', () => {
  test('a pipeline is compiled once: the second identical op adds none', async () => {
    const x = tensor([1, 2, 3]);
    await ops.softplus(ops.mul(x, x)).data();
    const before = runtimeStats().pipelines;
    await ops.softplus(ops.mul(x, x)).data();
    await ops.softplus(ops.mul(tensor([4, 5, 6, 7]), 2)).data(); // other sizes, same kernels
    expect(runtimeStats().pipelines).toBe(before);
  });

  test('throttle: each round is one submit, fence included; the host runs ahead, and results are right', async () => {
    let x = tensor([0]);
    flush();
    const start = runtimeStats();
    for (let round = 0; round < 5; round++) {
      const next = ops.add(x, 1);
      x.dispose();
      x = next;
      await throttle('test-rounds'); // waits for the round before this one, never this one
    }
    expect(runtimeStats().submits - start.submits).toBe(5);
    expect(Array.from(await x.data())).toEqual([5]); // a drain: the last round's fence is dropped
    const next = ops.add(x, 1);
    await throttle('test-rounds'); // no fence pending after the drain: returns at once
    expect(Array.from(await next.data())).toEqual([6]);
    x.dispose();
    next.dispose();
  });

  test("a polled read (fit's progress read) gives the same bytes as a blocking one, and drops the pending fence as any drain", async () => {
    const x = tensor([1, 2, 3]);
    let y = ops.add(x, 1);
    await throttle('test-polled');
    for (let i = 0; i < 3; i++) {
      // Polled reads learn the cost of their kind: the later ones sleep before polling.
      const polled = new Float32Array(await rt().read(y.buffer, 12, 'test-polled-read', true));
      expect(Array.from(polled)).toEqual(Array.from(await y.data()));
      const next = ops.mul(y, 2);
      y.dispose();
      y = next;
    }
    expect(Array.from(await y.data())).toEqual([16, 24, 32]);
    const submits = runtimeStats().submits;
    await throttle('test-polled'); // the fence before the reads was dropped: nothing to wait for
    expect(runtimeStats().submits - submits).toBe(1);
    x.dispose();
    y.dispose();
  });

  test('10 chained ops submit nothing until data() is read, then exactly once', async () => {
    const x = tensor([0.5, -1, 2]);
    flush();
    const start = runtimeStats();
    let y = x;
    for (let i = 0; i < 10; i++) y = i % 2 ? ops.tanh(y) : ops.add(y, 0.25);
    expect(runtimeStats().submits).toBe(start.submits);
    expect(runtimeStats().dispatches - start.dispatches).toBe(10);
    const values = await y.data();
    expect(runtimeStats().submits).toBe(start.submits + 1);
    let want = [0.5, -1, 2];
    for (let i = 0; i < 10; i++) want = want.map((v) => (i % 2 ? Math.tanh(v) : v + 0.25));
    want.forEach((w, i) => expect(values[i]).toBeCloseTo(w, 5));
  });
});

describe('pipeline costs (bench:compile)', () => {
  // A kernel no other test compiles: each call adds `k` to 4 floats.
  const code = `override K: f32 = 0.0;
@group(0) @binding(0) var<storage, read_write> v: array<f32>;
@compute @workgroup_size(4) fn main(@builtin(global_invocation_id) i: vec3u) { v[i.x] += K; }`;
  const run = async (k: number) => {
    const out = fill([4], 1);
    rt().dispatch({ label: 'add-constant', code, constants: { K: k } }, [out.buffer], [1]);
    expect(Array.from(await out.data())).toEqual([1 + k, 1 + k, 1 + k, 1 + k]);
    out.dispose();
  };

  test('pipelineReport lists each new pipeline once, with its variant and host create time', async () => {
    await run(2);
    await run(2); // the same variant: no new pipeline
    const mine = (await pipelineReport()).filter((p) => p.label === 'add-constant');
    expect(mine.map((p) => p.variant)).toEqual(['main;K=2']);
    expect(mine[0].createMs).toBeGreaterThanOrEqual(0);
    expect(mine[0].firstRunMs).toBeNull(); // not profiled
  });

  test('with profiling on, a pipeline reports the GPU time of its first run', async () => {
    if (!rt().gpu.device.features.has('timestamp-query')) return; // profiling needs it (lavapipe has it)
    profile(true);
    try {
      await run(3);
      const p = (await pipelineReport()).find((q) => q.variant === 'main;K=3');
      expect(p?.firstRunMs).toBeGreaterThan(0);
    } finally {
      profile(false);
    }
  });
});

describe('large grids', () => {
  test('a 2-D grid with more than 65,535 workgroups (17M-element fill and add) is right at both ends', async () => {
    const n = 17_000_000; // 66,407 workgroups of 256
    expect(grid(n, 256)[1]).toBeGreaterThan(1);
    const a = fill([n], 1.5);
    const b = ops.add(a, a);
    a.dispose();
    const v = await b.data();
    b.dispose();
    expect(v.length).toBe(n);
    for (const i of [0, 1, 255, 256, 65_535 * 256 - 1, 65_535 * 256, n / 2, n - 257, n - 2, n - 1]) {
      expect(v[i], `element ${i}`).toBe(3);
    }
  });
});

describe('errors', () => {
  test('a broken WGSL kernel throws a GpuError naming its label and the compiler message at the next read, then the engine works on', async () => {
    const out = emptyTensor([4]);
    const r = rt();
    r.dispatch(
      { label: 'deliberately-broken-kernel', code: '@compute @workgroup_size(1) fn main() { let x: f32 = undefined_thing; }' },
      [r.uniform(params([4])), out.buffer],
      [1],
    );
    const err = await out.data().then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(GpuError);
    expect((err as Error).message).toContain('deliberately-broken-kernel');
    expect((err as Error).message).toContain('undefined_thing');
    // The broken work was dropped: the next op runs and reads back normally.
    expect(Array.from(await fill([3], 7).data())).toEqual([7, 7, 7]);
  });
});
