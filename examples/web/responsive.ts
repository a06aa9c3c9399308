// How alive the page stays while the worker trains: a requestAnimationFrame loop measures
// the longest gap between two painted frames, and a PerformanceObserver the longest
// main-thread task; both are shown on the page and read by the end-to-end test.

/** The longest main-thread task (ms) since start(), from PerformanceObserver 'longtask' (over 50 ms). */
export class LongTasks {
  longestMs = 0;
  count = 0;
  private observer: PerformanceObserver | null = null;

  start(): void {
    this.longestMs = 0;
    this.count = 0;
    if (!PerformanceObserver.supportedEntryTypes?.includes('longtask')) return;
    // The task that calls start() is reported when it ends: it began before, it is not counted.
    const since = performance.now();
    this.observer = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        if (e.startTime < since) continue;
        this.longestMs = Math.max(this.longestMs, e.duration);
        this.count++;
      }
    });
    this.observer.observe({ type: 'longtask' });
  }

  stop(): void {
    this.observer?.disconnect();
    this.observer = null;
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
