// The GPU waits (src/kernels/wait.ts's Waiter, src/fast/pacing.ts's FencePacer), driven by a fake clock: "GPU work" is a promise that
// resolves when the fake time reaches its end, and sleeping advances the time. No real
// sleeps, so the figures are exact. FencePacer is run against a simulated training loop.
import { describe, expect, test } from 'vitest';
import { FencePacer } from '../../src/fast/pacing.ts';
import { type WaitClock, Waiter } from '../../src/kernels/wait.ts';

/** A fake clock and GPU: `run(ms)` is work that finishes `ms` after it starts. */
function fakeGpu() {
  let now = 0;
  const sleeps: number[] = [];
  const clock: WaitClock = {
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
  };
  /** Work submitted now that takes `ms`: awaiting it moves the clock to its end if not there yet. */
  const run = (ms: number) => {
    const end = now + ms;
    return async () => {
      now = Math.max(now, end);
      return ms;
    };
  };
  return { clock, sleeps, run, time: () => now };
}

const clean = (dispatches: number) => ({ dispatches, compiled: false });

describe('Waiter', () => {
  test('learns ms per dispatch from a clean wait and then sleeps 85% of the expected time', async () => {
    const g = fakeGpu();
    const w = new Waiter(g.clock);
    expect(await w.wait('steps', clean(100), g.run(10))).toBe(10);
    expect(g.sleeps).toEqual([]); // nothing known yet: awaited directly
    expect(w.costPerDispatch('steps')).toBeCloseTo(0.1, 12);
    await w.wait('steps', clean(200), g.run(20));
    expect(g.sleeps[0]).toBeCloseTo(17, 9); // 200 dispatches x 0.1 ms x 0.85
    expect(w.costPerDispatch('steps')).toBeCloseTo(0.1, 12);
  });

  test('a wait that ran new pipelines (compiles) teaches nothing', async () => {
    const g = fakeGpu();
    const w = new Waiter(g.clock);
    await w.wait('steps', { dispatches: 100, compiled: true }, g.run(30_000)); // a cold first step
    expect(w.costPerDispatch('steps')).toBeUndefined();
    await w.wait('steps', clean(100), g.run(10));
    await w.wait('steps', { dispatches: 100, compiled: true }, g.run(5_000)); // evaluate's first pass
    expect(w.costPerDispatch('steps')).toBeCloseTo(0.1, 12);
    await w.wait('steps', clean(100), g.run(10));
    expect(g.sleeps).toEqual([8.5, 8.5]); // never slept for a compile
  });

  test('a one-off stall does not move the sleep: the median of recent waits ignores it', async () => {
    const g = fakeGpu();
    const w = new Waiter(g.clock);
    for (let i = 0; i < 3; i++) await w.wait('steps', clean(100), g.run(10));
    await w.wait('steps', clean(100), g.run(2_000)); // another process held the CPU
    expect(w.costPerDispatch('steps')).toBeCloseTo(0.1, 12);
    const before = g.sleeps.length;
    await w.wait('steps', clean(100), g.run(10));
    expect(g.sleeps[before]).toBeCloseTo(8.5, 9);
  });

  test('an overestimate is undone within a few waits: each oversleep at least halves the next sleep', async () => {
    const g = fakeGpu();
    const w = new Waiter(g.clock);
    // Five slow waits make a real (not one-off) estimate of 1 ms per dispatch...
    for (let i = 0; i < 5; i++) await w.wait('steps', clean(100), g.run(100));
    // ...then the work gets 10x faster.
    const sleepsBefore = g.sleeps.length;
    let overslept = 0;
    for (let i = 0; i < 8; i++) {
      const t0 = g.time();
      await w.wait('steps', clean(100), g.run(10));
      overslept += g.time() - t0 - 10;
    }
    const sleeps = g.sleeps.slice(sleepsBefore);
    expect(sleeps[0]).toBeCloseTo(85, 9); // the one oversleep the old estimate allows
    expect(sleeps[1]).toBeLessThanOrEqual(sleeps[0] / 2);
    // Within 4 waits it sleeps no longer than the work takes, and stays there.
    for (const s of sleeps.slice(4)) expect(s).toBeLessThanOrEqual(10);
    expect(w.costPerDispatch('steps')).toBeCloseTo(0.1, 12);
    expect(overslept).toBeLessThan(75 + 32.5 + 6.25 + 1); // 85-10, then halving
  });

  test('kinds learn separately, and a wait of no dispatches teaches nothing', async () => {
    const g = fakeGpu();
    const w = new Waiter(g.clock);
    await w.wait('steps', clean(100), g.run(10));
    await w.wait('read', clean(0), g.run(5));
    expect(w.costPerDispatch('read')).toBeUndefined();
    await w.wait('read', clean(2), g.run(4));
    expect(w.costPerDispatch('read')).toBeCloseTo(2, 12);
    expect(w.costPerDispatch('steps')).toBeCloseTo(0.1, 12);
  });

  test('a long expected wait sleeps at most 10 s before awaiting', async () => {
    const g = fakeGpu();
    const w = new Waiter(g.clock);
    await w.wait('big', clean(1), g.run(60_000));
    await w.wait('big', clean(1), g.run(60_000));
    expect(g.sleeps).toEqual([10_000]);
  });
});

describe('Waiter.poll (a read nobody blocks on: fit\'s progress read)', () => {
  /** A poll of work ending at `end`: finds it done (0.5 ms, Dawn's report) or spins its 1 ms and fails. */
  const pollOf = (g: ReturnType<typeof fakeGpu>, end: number, polls: boolean[]) => async () => {
    const found = end + 0.5 <= g.time() + 1;
    await g.clock.sleep(found ? Math.max(0, end - g.time()) + 0.5 : 1);
    polls.push(found);
    return found;
  };

  test('never awaits the work: sleeps the whole expected time, then polls until it is done', async () => {
    const g = fakeGpu();
    const w = new Waiter(g.clock);
    const polls: boolean[] = [];
    // Nothing known: polls from the start, spaced out the longer it takes, and learns the cost.
    await w.poll('progress', clean(100), pollOf(g, g.time() + 20, polls));
    expect(polls.at(-1)).toBe(true);
    expect(polls.length).toBeLessThan(12);
    const learned = w.costPerDispatch('progress')!;
    expect(learned).toBeGreaterThanOrEqual(0.2);
    expect(learned).toBeLessThan(0.3);
    // Known: one sleep of the expected time and one poll that finds it done.
    polls.length = 0;
    const sleepsBefore = g.sleeps.length;
    await w.poll('progress', clean(100), pollOf(g, g.time() + 20, polls));
    expect(polls).toEqual([true]);
    expect(g.sleeps[sleepsBefore]).toBeCloseTo(learned * 100, 9);
  });

  test('found done on waking, it lowers the estimate a little each time; late, it learns the true cost', async () => {
    const g = fakeGpu();
    const w = new Waiter(g.clock);
    await w.wait('progress', clean(100), g.run(50)); // 0.5 ms per dispatch, from a blocking read
    const polls: boolean[] = [];
    for (let i = 0; i < 3; i++) await w.poll('progress', clean(100), pollOf(g, g.time() + 10, polls));
    expect(polls).toEqual([true, true, true]);
    expect(w.costPerDispatch('progress')).toBeCloseTo(0.5 * 0.98 ** 3, 12);
    // The work gets slower than the estimate: the late read teaches it.
    await w.poll('progress', clean(100), pollOf(g, g.time() + 100, polls));
    expect(polls.filter((p) => !p).length).toBeGreaterThan(0);
    // The median of 0.5 and the new ~1 ms per dispatch: up, not yet all the way (a one-off stall moves it half).
    expect(w.costPerDispatch('progress')).toBeGreaterThan(0.7);
    expect(w.costPerDispatch('progress')).toBeLessThan(0.8);
  });
});

/**
 * A training loop on a simulated GPU, paced by FencePacer as src/fast/pacing.ts throttle does: each
 * round the host records for `hostMs`, submits round k (the GPU runs rounds back to back, round
 * k taking gpuMs(k)), then waits for round k-1's fence. A poll of a done fence costs 0.5 ms of
 * spin (Dawn's report); one of a fence not done spins its 1 ms and fails. Returns the GPU's
 * idle share of the run and the host's spin per round.
 */
async function paced(gpuMs: (k: number) => number, rounds = 200, hostMs = 4) {
  let now = 0;
  let spin = 0;
  const clock: WaitClock = { now: () => now, sleep: async (ms) => void (now += ms) };
  const pacer = new FencePacer(clock);
  const done: number[] = [];
  let busy = 0;
  for (let k = 0; k < rounds; k++) {
    now += hostMs;
    done[k] = Math.max(done[k - 1] ?? 0, now) + gpuMs(k);
    busy += gpuMs(k);
    if (k === 0) continue;
    const fence = done[k - 1];
    await pacer.wait('steps', k - 1, clean(500), async () => {
      const end = Math.min(now + 1, Math.max(now, fence) + 0.5);
      spin += end - now;
      const found = fence + 0.5 <= now + 1;
      now = end;
      return found;
    });
  }
  return { gpuIdle: 1 - busy / done[rounds - 1], spinPerRound: spin / rounds, pacer };
}

describe('FencePacer', () => {
  test('keeps the GPU busy at a steady pace and spins ~1 ms per 50 ms round', async () => {
    const { gpuIdle, spinPerRound, pacer } = await paced(() => 50);
    expect(gpuIdle).toBeLessThan(0.01);
    expect(spinPerRound).toBeLessThan(1.5);
    expect(spinPerRound).toBeGreaterThanOrEqual(0.5); // every wait ends with one poll
    expect(pacer.costPerDispatch('steps')! * 500).toBeGreaterThan(45);
  });

  test('with jitter (±10% per round)', async () => {
    const { gpuIdle, spinPerRound } = await paced((k) => 50 * (0.9 + (0.2 * ((k * 7919) % 100)) / 100));
    expect(gpuIdle).toBeLessThan(0.01);
    expect(spinPerRound).toBeLessThan(2);
  });

  test('follows a GPU that gets twice as fast, and one that gets twice as slow', async () => {
    const faster = await paced((k) => (k < 50 ? 100 : 50));
    expect(faster.gpuIdle).toBeLessThan(0.03);
    expect(faster.pacer.costPerDispatch('steps')! * 500).toBeLessThan(55);
    const slower = await paced((k) => (k < 50 ? 50 : 100));
    expect(slower.gpuIdle).toBeLessThan(0.01);
    expect(slower.spinPerRound).toBeLessThan(2);
  });

  test('one stalled round does not move the pace', async () => {
    const { gpuIdle, pacer } = await paced((k) => (k === 60 ? 500 : 50));
    expect(gpuIdle).toBeLessThan(0.01);
    expect(pacer.costPerDispatch('steps')! * 500).toBeLessThan(55);
  });
});
