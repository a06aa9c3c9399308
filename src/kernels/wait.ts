// Waiting for the GPU without spinning a CPU core.
// NOTE: while any dawn.node promise (mapAsync, onSubmittedWorkDone) is pending, Node's
// main thread polls Dawn in a tight loop. On a CPU adapter (lavapipe) that core is one the
// driver needed: a 1024^2 matmul ran ~1.4x faster when the host slept instead. So in Node we
// first sleep for most of the time the work should take — the dispatches submitted since
// the last wait times a learned cost of one — and only then await the promise. Browsers do
// not spin: there the promise is awaited directly. WEBGRAD_SPIN=1 awaits directly in Node
// too (read at each wait), so bench/matmul.ts can show what sleeping saves.
// Waiter drains the GPU (a readback; one nobody blocks on, fit's progress read, sleeps the
// whole time and polls). The fast layer's pacing of training steps (src/fast/pacing.ts)
// builds on the same pieces. The clock and the sleep are parameters, so
// tests/core/wait.test.ts drives them.

import { envFlag } from './env.ts';

const isNode = typeof process !== 'undefined' && !!process.versions?.node && !('navigator' in globalThis && (globalThis as { navigator?: { gpu?: unknown } }).navigator?.gpu);

const spinRequested = () => envFlag('WEBGRAD_SPIN') === '1';

/** Whether waits sleep before awaiting the GPU (Node, unless WEBGRAD_SPIN=1): a browser does not spin. */
export const sleepsFirst = () => isNode && !spinRequested();

/** Time and sleep, injectable: a test passes a fake clock and records the sleeps. */
export interface WaitClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

/** What a wait covers: its dispatches, and whether any used a pipeline never run before. */
export interface WaitWork {
  dispatches: number;
  /**
   * A new pipeline ran in this work. NOTE: lavapipe compiles a pipeline when it first
   * executes (seconds, cold), inside the wait: such a wait says nothing about GPU speed.
   */
  compiled: boolean;
}

/** Clean measurements (ms per dispatch) kept per kind: their median ignores one-off stalls. */
const WINDOW = 5;
/** Fraction of the expected time slept: the rest is awaited, so jitter costs little spin. */
const SLEEP_FRACTION = 0.85;
/** Waits that resolve within this (ms) after the sleep overslept: the cost is unknown, only
 * bounded. Dawn in Node takes ~0.5 ms to report work that was already done. */
const AT_ONCE_MS = 1;
export const MAX_SLEEP_MS = 10_000;

interface Estimate {
  /** Recent measured costs per dispatch (ms), oldest first. */
  samples: number[];
  /** The last one: a sleep never exceeds what it allows, so an overestimate lasts one wait. */
  last: number;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/**
 * Learns, per kind of wait (training steps, readbacks), the GPU time of one dispatch, and
 * sleeps that long times the work before awaiting. It learns only from waits whose work ran
 * no new pipeline (compile time is not GPU speed); the sleep uses the smaller of the median
 * of recent measurements (a one-off stall moves it not) and the last one (after an oversleep
 * the last is a probe at half the slept rate, so an overestimate halves at every wait).
 */
export class Waiter {
  private readonly estimates = new Map<string, Estimate>();

  constructor(private readonly clock: WaitClock) {}

  /** The ms per dispatch the next sleep of `kind` would use, or undefined before any measurement. */
  costPerDispatch(kind: string): number | undefined {
    const e = this.estimates.get(kind);
    return e && Math.min(median(e.samples), e.last);
  }

  /** Sleeps for most of the expected time of `work`, then awaits `done()`. */
  async wait<T>(kind: string, work: WaitWork, done: () => Promise<T>): Promise<T> {
    const start = this.clock.now();
    const unit = this.costPerDispatch(kind) ?? 0;
    const sleepMs = Math.min(unit * work.dispatches * SLEEP_FRACTION, MAX_SLEEP_MS);
    if (sleepMs >= 1) await this.clock.sleep(sleepMs);
    const slept = this.clock.now() - start;
    const result = await done();
    const total = this.clock.now() - start;
    if (work.dispatches > 0) this.learn(kind, work, slept, total);
    return result;
  }

  /**
   * For a read nobody is blocked on (fit's progress read): sleeps the whole expected time
   * of `work`, then polls until it is done, spaced as the pacer's polls (src/fast/pacing.ts), so nothing awaits a
   * pending map (which spins in Node). A late read teaches its cost; one found done on waking
   * lowers the estimate a little (it may be an overestimate), as the pacer does.
   */
  async poll(kind: string, work: WaitWork, poll: FencePoll): Promise<void> {
    const start = this.clock.now();
    const sleepMs = Math.min((this.costPerDispatch(kind) ?? 0) * work.dispatches, MAX_SLEEP_MS);
    if (sleepMs >= 1) await this.clock.sleep(sleepMs);
    const late = await pollUntilDone(this.clock, poll);
    const e = this.estimates.get(kind);
    if (late || !e) {
      if (work.dispatches > 0) this.learn(kind, work, 0, this.clock.now() - start);
    } else e.last *= PROBE;
  }

  private learn(kind: string, work: WaitWork, slept: number, total: number): void {
    const overslept = slept > 0 && total - slept < AT_ONCE_MS;
    // A compile inside the wait inflates it: learn from it only that we overslept.
    if (work.compiled && !overslept) return;
    // Overslept: the true cost is at most slept / dispatches; probe at half that.
    const sample = (overslept ? slept / 2 : total) / work.dispatches;
    const e = this.estimates.get(kind) ?? { samples: [], last: sample };
    e.samples.push(sample);
    if (e.samples.length > WINDOW) e.samples.shift();
    e.last = sample;
    this.estimates.set(kind, e);
  }
}

/** How a fence is checked: true once its work is done; false if it was not done within a
 * short poll (which then stops polling: the pending check is aborted, so nothing spins). */
export type FencePoll = () => Promise<boolean>;

/** ms between fence polls once a round runs late (at least). */
const POLL_GAP_MS = 1;

/** Polls until `poll` finds the work done; true if the first poll did not (it ran late). */
export async function pollUntilDone(clock: WaitClock, poll: FencePoll): Promise<boolean> {
  const woke = clock.now();
  let late = false;
  while (!(await poll())) {
    late = true;
    // Polls spin ~1 ms each: space them out the later the work runs (an unknown cost, a stall).
    await clock.sleep(Math.max(POLL_GAP_MS, (clock.now() - woke) / 8));
  }
  return late;
}
/** After n fence waits in a row that found their round done, the cost is lowered by PROBE^n (tuned in tests/core/wait.test.ts's simulation). */
export const PROBE = 0.98;

export const realClock: WaitClock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise<void>((r) => setTimeout(r, ms)),
};
const waiter = new Waiter(realClock);

/**
 * Resolves once `poll` finds submitted work done, for a read nobody blocks on: in Node
 * Waiter.poll (sleep, then polls that never spin); in a browser `done()` is awaited.
 */
export function waitPolled(kind: string, work: WaitWork, poll: FencePoll, done: () => Promise<void>): Promise<void> {
  if (!sleepsFirst()) return done();
  return waiter.poll(kind, work, poll);
}

/** Awaits `done()` (submitted work finishing); in Node, sleeps first (see Waiter). */
export function waitIdle<T>(kind: string, work: WaitWork, done: () => Promise<T>): Promise<T> {
  if (!sleepsFirst()) return done();
  return waiter.wait(kind, work, done);
}
