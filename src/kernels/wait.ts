// Waiting for the GPU without spinning a CPU core.
// NOTE: while any dawn.node promise (mapAsync, onSubmittedWorkDone) is pending, Node's
// main thread polls Dawn in a tight loop. On a CPU adapter (lavapipe) that core is one the
// driver needed: a 1024^2 matmul ran ~1.4x faster when the host slept instead. So in Node we
// first sleep for most of the time the work should take — the dispatches submitted since
// the last wait times a learned cost of one — and only then await the promise. Browsers do
// not spin: there the promise is awaited directly. WEBGRAD_SPIN=1 awaits directly in Node
// too (read at each wait), so bench/matmul.ts can show what sleeping saves.
// Two waits: Waiter drains the GPU (a readback; one nobody blocks on, fit's progress read,
// sleeps the whole time and polls); FencePacer paces training steps, which keep a round of
// work queued behind the one awaited, so it can sleep the whole time and poll.
// The clock and the sleep are parameters, so tests/core/wait.test.ts drives both.

import { envFlag } from './env.ts';

const isNode = typeof process !== 'undefined' && !!process.versions?.node && !('navigator' in globalThis && (globalThis as { navigator?: { gpu?: unknown } }).navigator?.gpu);

const spinRequested = () => envFlag('WEBGRAD_SPIN') === '1';

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
const MAX_SLEEP_MS = 10_000;

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
   * of `work`, then polls until it is done, spaced as FencePacer's polls, so nothing awaits a
   * pending map (which spins in Node). A late read teaches its cost; one found done on waking
   * lowers the estimate a little (it may be an overestimate), as FencePacer does.
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
async function pollUntilDone(clock: WaitClock, poll: FencePoll): Promise<boolean> {
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
const PROBE = 0.98;

/** Where the GPU was at the last fence wait of a kind. */
interface Pace {
  /** The round waited for, and when it was done (measured, or at the latest as predicted). */
  round: number;
  doneAt: number;
  /** ms per dispatch: the least of the last 3 late rounds (the late ones are the slow ones, and
   * a sleep too short costs a poll, one too long the GPU's time). */
  cost: number;
  samples: number[];
  /** Rounds in a row found done on waking. */
  early: number;
}

/**
 * Paces a host that keeps one round of work queued behind the one it waits for (runtime.ts
 * throttle). Oversleeping is then free (the GPU has the next round) and spinning is not, so
 * it sleeps until the round should be done — the previous round's end (the GPU went straight
 * on) plus its dispatches x a learned cost — then polls the fence briefly until it is (a poll
 * that finds it not done is aborted: nothing spins). A late round gives the GPU's exact pace
 * and phase; each round found already done lowers the cost a little, faster the more come in
 * a row, so the host never drifts far behind the GPU and the next late round is only just late.
 */
export class FencePacer {
  private readonly paces = new Map<string, Pace>();

  constructor(private readonly clock: WaitClock) {}

  /** The ms per dispatch of `kind`'s next fence wait, or undefined before any measurement. */
  costPerDispatch(kind: string): number | undefined {
    return this.paces.get(kind)?.cost;
  }

  /** Waits for the fence of throttle round `round`, whose work is `work`. */
  async wait(kind: string, round: number, work: WaitWork, poll: FencePoll): Promise<void> {
    const start = this.clock.now();
    const p = this.paces.get(kind) ?? { round: -1, doneAt: start, cost: 0, samples: [], early: 0 };
    // The round before was waited for: its end is when the GPU began this one.
    const chained = p.round === round - 1;
    const from = chained ? p.doneAt : start;
    const due = from + p.cost * work.dispatches;
    if (due - start >= 1) await this.clock.sleep(Math.min(due - start, MAX_SLEEP_MS));
    const woke = this.clock.now();
    const late = await pollUntilDone(this.clock, poll);
    const end = this.clock.now();
    if (!late) {
      p.early++;
      p.cost *= PROBE ** p.early;
    } else if (!work.compiled && work.dispatches > 0 && (chained || !p.cost)) {
      // Unchained, more than this round may have been queued ahead of it: only a first guess.
      p.samples.push((end - from) / work.dispatches);
      if (p.samples.length > 3) p.samples.shift();
      p.cost = Math.min(...p.samples);
      p.early = 0;
    }
    p.round = round;
    p.doneAt = late ? end : Math.min(due, woke);
    this.paces.set(kind, p);
  }
}

const realClock: WaitClock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise<void>((r) => setTimeout(r, ms)),
};
const waiter = new Waiter(realClock);

const pacer = new FencePacer(realClock);

/**
 * Waits for throttle round `round`'s fence: in Node paced by FencePacer through `poll`; in
 * a browser (which does not spin) `done()` is awaited directly.
 */
export function waitFence(kind: string, round: number, work: WaitWork, poll: FencePoll, done: () => Promise<void>): Promise<void> {
  if (!isNode || spinRequested()) return done();
  return pacer.wait(kind, round, work, poll);
}

/**
 * Resolves once `poll` finds submitted work done, for a read nobody blocks on: in Node
 * Waiter.poll (sleep, then polls that never spin); in a browser `done()` is awaited.
 */
export function waitPolled(kind: string, work: WaitWork, poll: FencePoll, done: () => Promise<void>): Promise<void> {
  if (!isNode || spinRequested()) return done();
  return waiter.poll(kind, work, poll);
}

/** Awaits `done()` (submitted work finishing); in Node, sleeps first (see Waiter). */
export function waitIdle<T>(kind: string, work: WaitWork, done: () => Promise<T>): Promise<T> {
  if (!isNode || spinRequested()) return done();
  return waiter.wait(kind, work, done);
}
