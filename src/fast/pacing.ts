// Pacing training steps (a speed-up over the plain loop, which submits each step with
// flush() and waits only when it reads). fit submits its steps in rounds: each round ends
// with a fence (a 4-byte copy into a mappable buffer), and the host then waits for the
// fence of the round BEFORE, so it runs at most two rounds ahead of the GPU and never drains
// it. In Node the wait sleeps the round's expected time (FencePacer) rather than awaiting a
// map, which spins a core the CPU adapter needs (kernels/wait.ts says why). Measured gain:
// docs/how-it-works.md part 2. Read next: src/fast/loop.ts (who calls throttle).

import { rt, type Runtime } from '../kernels/runtime.ts';
import { type FencePoll, MAX_SLEEP_MS, pollUntilDone, PROBE, realClock, sleepsFirst, type WaitClock, type WaitWork } from '../kernels/wait.ts';

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
 * Paces a host that keeps one round of work queued behind the one it waits for (throttle,
 * below). Oversleeping is then free (the GPU has the next round) and spinning is not, so
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


/** A device's rounds: the last fence not yet waited for, and a spare fence buffer to reuse. */
interface Rounds {
  last: { fence: GPUBuffer; dispatches: number; submit: number; round: number; work: WaitWork } | null;
  count: number;
  /** stats.dispatches at the last fence. */
  markedAt: number;
  source: GPUBuffer;
  spare: GPUBuffer | null;
}

const pacer = new FencePacer(realClock);
const roundsOf = new WeakMap<Runtime, Rounds>();

/**
 * Ends a round: submits what is recorded with a fence after it, then waits for the fence of
 * the previous round. The GPU still has this round queued while the host sleeps, so the
 * wait may sleep its whole expected time instead of spinning the end of it.
 */
export async function throttle(kind: string): Promise<void> {
  const r = rt();
  const device = r.gpu.device;
  let s = roundsOf.get(r);
  if (!s) {
    s = { last: null, count: 0, markedAt: 0, source: device.createBuffer({ size: 4, usage: GPUBufferUsage.COPY_SRC }), spare: null };
    roundsOf.set(r, s);
  }
  const fence = s.spare ?? device.createBuffer({ size: 4, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  s.spare = null;
  r.copy(s.source, fence, 4);
  r.flush();
  // A drain since the last round (a read, which fit may run in the background) waited for
  // its fence already: nothing to wait for, and the next round starts a new chain.
  let prev = s.last;
  if (prev && prev.submit <= r.drainedSubmit) {
    spare(s, prev.fence);
    prev = null;
  }
  const dispatches = r.stats.dispatches;
  // A round's work is its own dispatches, whatever reads happened meanwhile (the pacer learns from it).
  const work = { dispatches: dispatches - s.markedAt, compiled: r.compiledAt > s.markedAt };
  s.last = { fence, dispatches, submit: r.stats.submits, round: ++s.count, work };
  s.markedAt = dispatches;
  if (!prev) return;
  try {
    if (sleepsFirst()) await pacer.wait(kind, prev.round, prev.work, () => r.pollMap(prev.fence));
    else await prev.fence.mapAsync(GPUMapMode.READ);
  } catch (e) {
    prev.fence.destroy();
    return r.waitFailed(e, 'waiting for the GPU');
  }
  spare(s, prev.fence);
  r.doneUpTo = Math.max(r.doneUpTo, prev.dispatches);
  await r.settled();
}

/** Keeps a fence whose submit is done for the next round (one spare; others are destroyed). */
function spare(s: Rounds, fence: GPUBuffer): void {
  fence.unmap(); // a no-op when it is not mapped
  if (s.spare) fence.destroy();
  else s.spare = fence;
}
