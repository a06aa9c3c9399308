// Faults that are not the user's input: a diverging run without TerminateOnNaN (History
// records NaN, fit completes), a tensor larger than the adapter allows (GpuMemoryError before
// anything is created or dispatched, engine still usable), a kernel grid over the
// per-dimension workgroup limit (GpuError before recording). Device loss: device-lost*.test.ts.
import { beforeAll, describe, expect, test } from 'vitest';
import { kernelCode } from '../../src/kernels/kernel-code.ts';
import fillSource from '../../src/kernels/wgsl/fill.wgsl?raw';
import { Dense, GpuError, GpuMemoryError, memory, ndarray, ops, ready, Sequential, SGD, setSeed, tensor, zeros } from '../../src/index.ts';
import { currentGpu } from '../../src/kernels/device.ts';
import { params, rt } from '../../src/kernels/runtime.ts';
import { expectError, lit } from '../util/expect-error.ts';

const fillWgsl = kernelCode(fillSource); // fill.wgsl with the shared index snippet, as tensor/create.ts builds it

beforeAll(async () => {
  await ready();
});

const n = 16;
const x = ndarray(Array.from({ length: n * 4 }, (_, i) => Math.sin(i * 0.7)), [n, 4]);

describe('training diverges without TerminateOnNaN', () => {
  test('History records the NaN epochs, fit runs all of them, evaluate and predict give NaN, nothing throws', async () => {
    setSeed(2);
    const m = new Sequential([new Dense(16, { activation: 'relu', inputShape: [4] }), new Dense(1)]);
    m.compile({ optimizer: new SGD({ learningRate: 1e8 }), loss: 'mse' });
    const target = ndarray(Array.from({ length: n }, (_, i) => 100 * x.at(i * 4)), [n, 1]);
    const h = await m.fit(x, target, { epochs: 6, batchSize: 4, verbose: 0 });
    expect(h.epoch).toEqual([0, 1, 2, 3, 4, 5]);
    expect(Number.isNaN(h.history.loss.at(-1))).toBe(true);
    const [loss] = await m.evaluate(x, target);
    expect(loss).toBeNaN();
    const p = await m.predict(x);
    expect(Array.from(await p.data()).some(Number.isNaN)).toBe(true);
    p.dispose();
    m.dispose();
  });
});

describe('out of GPU memory', () => {
  test("a tensor over the adapter's buffer limit is a GpuMemoryError before anything is allocated; the engine goes on", async () => {
    const { maxBufferSize, maxStorageBufferBindingSize } = currentGpu().limits;
    const limit = Math.min(maxBufferSize, maxStorageBufferBindingSize);
    const elements = Math.floor(limit / 4) + 4;
    const before = memory();
    const dispatches = rt().stats.dispatches;
    const error = await expectError(
      () => zeros([elements]),
      GpuMemoryError,
      lit(`webgrad: a tensor [${elements}] needs ${(elements * 4).toLocaleString('en-US')} bytes, more than this adapter allows in one buffer (${limit.toLocaleString('en-US')} bytes`),
      /nothing was allocated/,
    );
    expect(error).toBeInstanceOf(GpuError);
    expect(error.name).toBe('GpuMemoryError');
    // An op whose output would be too big: [k, 1] + [1, k] broadcasts to k² elements.
    const k = Math.ceil(Math.sqrt(limit / 4)) + 1;
    const [a, b] = [zeros([k, 1]), zeros([1, k])];
    const inUse = memory();
    await expectError(() => ops.add(a, b), GpuMemoryError, lit(`a tensor [${k},${k}] needs`));
    expect(memory()).toEqual(inUse);
    a.dispose();
    b.dispose();
    expect(memory().bytesInUse).toBe(before.bytesInUse);
    expect(rt().stats.dispatches).toBe(dispatches + 2); // the two zeros fills, nothing else
    const y = ops.add(tensor([1, 2]), tensor([10, 20]));
    expect(Array.from(await y.data())).toEqual([11, 22]);
    y.dispose();
  });
});

describe('kernel grids', () => {
  test('a dispatch over maxComputeWorkgroupsPerDimension is a GpuError naming the kernel, recorded nothing, and the engine goes on', async () => {
    const max = currentGpu().limits.maxComputeWorkgroupsPerDimension;
    const out = zeros([4]);
    const r = rt();
    const dispatches = r.stats.dispatches;
    await expectError(
      () => r.dispatch({ label: 'fill-too-wide', code: fillWgsl }, [r.uniform(params([4], [1])), out.buffer], [max + 1]),
      GpuError,
      lit(`webgrad: kernel 'fill-too-wide' needs [${max + 1},1,1] workgroups, more than this adapter's ${max} per dimension`),
    );
    expect(r.stats.dispatches).toBe(dispatches);
    r.dispatch({ label: 'fill', code: fillWgsl }, [r.uniform(params([4], [7])), out.buffer], [1]);
    expect(Array.from(await out.data())).toEqual([7, 7, 7, 7]);
    out.dispose();
  });
});
