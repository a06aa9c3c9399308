// Keeping the page alive while fit() runs. fit awaits every callback hook, so a callback
// that yields to the event loop every few batches gives the browser a chance to paint and
// handle input between batch groups; a requestAnimationFrame loop measures the longest gap
// between two painted frames, shown on the page and checked by the end-to-end test.

import { Callback } from 'webgrad.js';

interface Scheduler {
  yield(): Promise<void>;
}

/**
 * Yields one task to the browser: scheduler.yield() where it exists (Chrome 129+), else a
 * MessageChannel message (not a 0 ms timeout: browsers throttle timers in background tabs
 * to one a second, which would stall training there).
 */
export function yieldToBrowser(): Promise<void> {
  const scheduler = (globalThis as { scheduler?: Scheduler }).scheduler;
  if (scheduler?.yield) return scheduler.yield();
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => resolve();
    channel.port2.postMessage(null);
  });
}

/** Yields every `every` batches and reports the batch (for the progress line). */
export class YieldToBrowser extends Callback {
  constructor(
    private readonly every: number,
    private readonly onBatch?: (batch: number) => void,
  ) {
    super();
  }
  override async onBatchEnd(batch: number): Promise<void> {
    if (batch % this.every !== this.every - 1) return;
    this.onBatch?.(batch + 1);
    await yieldToBrowser();
  }
}

/** The longest interval between two animation frames since start(), while the tab is visible. */
export class FrameMonitor {
  maxGapMs = 0;
  frames = 0;
  private last = 0;
  private handle = 0;
  // rAF does not run in hidden tabs: a gap that spans one is not a freeze.
  private readonly forget = () => (this.last = 0);

  start(): void {
    this.stop();
    this.maxGapMs = 0;
    this.frames = 0;
    this.last = 0;
    const tick = (t: number) => {
      if (this.last) this.maxGapMs = Math.max(this.maxGapMs, t - this.last);
      this.last = t;
      this.frames++;
      this.handle = requestAnimationFrame(tick);
    };
    this.handle = requestAnimationFrame(tick);
    document.addEventListener('visibilitychange', this.forget);
  }

  stop(): void {
    cancelAnimationFrame(this.handle);
    document.removeEventListener('visibilitychange', this.forget);
  }
}
