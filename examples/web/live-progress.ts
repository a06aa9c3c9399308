// The worker's eyes on fit(): a callback that streams per-batch progress (batch x of y,
// samples/s, time left) and the running loss/accuracy that fit reads in the background
// (batch logs carry them when a read has landed: training.ts), and stops the fit when the
// page's Stop was pressed. It never waits for the GPU: posting a message is all it does per
// batch, plus a zero-delay yield now and then so the worker hears Stop.
// Read next: worker.ts (who posts what), main.ts (who draws it).

import { Callback, type FitContext, type Logs, type Network } from 'webgrad.js';
import type { FitPlan } from '../lib/experiment.ts';
import type { FromWorker, Progress } from './protocol.ts';

/** Progress messages at most this often (ms); a new running value is posted at once. */
const POST_MS = 100;
/** Yield to the worker's event loop this often (ms), so a Stop message is read. */
const YIELD_MS = 100;

/** The whole run's clock: samples planned and done, across its fits. */
export interface RunClock {
  plannedSamples: number;
  doneSamples: number;
  /** The last fit's rate, shown until this fit has run long enough to measure its own. */
  samplesPerSec: number;
}

/** Batches after the first before a fit's own rate counts: two throttle rounds, so the GPU's pace shows, not the host's. */
const SETTLE_BATCHES = 32;

export interface LiveHooks {
  post: (m: FromWorker) => void;
  signal: AbortSignal;
  /** Called every `galleryMs` and at each epoch end with the model (the gallery's predictions). */
  gallery?: (model: Network) => Promise<void>;
  galleryMs?: number;
  /** Called when the fit ends, stopped or not (confusion matrix, the model kept for saving). */
  trainEnd?: (model: Network) => Promise<void>;
}

export class LiveProgress extends Callback {
  private epoch = 0;
  private readonly batches: number;
  private firstBatchAt = 0;
  private firstBatchSamples = 0;
  private samples = 0;
  private lastPost = 0;
  private lastYield = 0;
  private lastGallery = 0;
  private lastLoss: number | undefined;
  private batchesDone = 0;

  constructor(
    private readonly plan: FitPlan & { index: number; count: number },
    private readonly clock: RunClock,
    private readonly hooks: LiveHooks,
  ) {
    super();
    this.batches = Math.ceil(plan.samples / plan.batchSize);
  }

  /** The model being fit: a Sequential or a Functional Model (the hooks choose what they can show of it). */
  private get model(): Network {
    return (this.context as FitContext).model;
  }

  override onTrainBegin(): void {
    // A Stop that came between two fits stops this one before its first batch.
    if (this.hooks.signal.aborted) this.model.stopTraining = true;
    this.lastGallery = performance.now();
  }

  override onEpochBegin(epoch: number): void {
    this.epoch = epoch;
    this.batchesDone = 0;
    this.lastLoss = undefined;
  }

  private batchesSeen = 0;

  /** Samples per second since the first batch (its compile and capture excluded); the run's last rate until it settles. */
  private samplesPerSec(now: number): number {
    const seconds = (now - this.firstBatchAt) / 1000;
    if (this.batchesSeen <= SETTLE_BATCHES || seconds <= 0) return this.clock.samplesPerSec;
    return (this.clock.samplesPerSec = (this.samples - this.firstBatchSamples) / seconds);
  }

  progress(batch: number, now = performance.now()): Progress {
    const { name, index, count, epochs } = this.plan;
    const samplesPerSec = this.samplesPerSec(now);
    const left = this.clock.plannedSamples - this.clock.doneSamples;
    return { phase: name, index, count, epoch: this.epoch, epochs, batch, batches: this.batches, samplesPerSec, secondsLeft: samplesPerSec ? left / samplesPerSec : NaN, fraction: this.clock.doneSamples / Math.max(1, this.clock.plannedSamples) };
  }

  override async onBatchEnd(batch: number, logs: Logs = {}): Promise<void> {
    const now = performance.now();
    const size = logs.size ?? this.plan.batchSize;
    this.samples += size;
    this.batchesDone = batch + 1;
    this.batchesSeen++;
    this.clock.doneSamples += size;
    if (!this.firstBatchAt) {
      this.firstBatchAt = now;
      this.firstBatchSamples = this.samples;
    }
    if (this.hooks.signal.aborted) this.model.stopTraining = true;
    // A new running value (fit's background read landed): a point on the live curves.
    if (logs.loss !== undefined && logs.loss !== this.lastLoss) {
      this.lastLoss = logs.loss;
      const { batch: _b, size: _s, ...values } = logs;
      this.hooks.post({ type: 'point', point: { phase: this.plan.name, x: this.epoch + (batch + 1) / this.batches, logs: values } });
    }
    if (now - this.lastPost >= POST_MS || batch === this.batches - 1) {
      this.lastPost = now;
      this.hooks.post({ type: 'progress', progress: this.progress(batch + 1, now) });
    }
    if (this.hooks.gallery && now - this.lastGallery >= (this.hooks.galleryMs ?? Infinity)) {
      await this.hooks.gallery(this.model);
      this.lastGallery = performance.now();
    }
    if (now - this.lastYield >= YIELD_MS) {
      this.lastYield = now;
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
  }

  override async onEpochEnd(epoch: number, logs: Logs = {}): Promise<void> {
    // At the fraction of the epoch run (less than 1 when Stop ended it early).
    this.hooks.post({ type: 'epoch', phase: this.plan.name, epoch, x: epoch + this.batchesDone / this.batches, logs: { ...logs } });
    await this.hooks.gallery?.(this.model);
    this.lastGallery = performance.now();
  }

  override async onTrainEnd(): Promise<void> {
    await this.hooks.trainEnd?.(this.model);
  }
}
