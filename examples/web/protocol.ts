// The messages between the page (main.ts, which only renders) and its training worker
// (worker.ts, which holds the data, the GPU device and the models). Everything here is
// structured-cloneable; image bytes and model files travel as transferred buffers.
// Read next: worker.ts, then main.ts.

import type { AdapterDescription, Logs } from 'webgrad.js';
import type { ChartSpec, Sizes } from '../lib/experiment.ts';

/** What to run: 'pipeline' or an example name, and its settings (from the form or the URL). */
export interface RunParams {
  example: string;
  seed: number;
  /** Pipeline: multiplies the chapter's epoch counts; cut every set to `subset` images. */
  scale: number;
  subset: number | null;
  /** Examples: images per set and epochs per run. */
  sizes: Sizes;
  /** WEBGRAD_PLAIN for the run ('' for every speed-up; '1' the plain path; or names: env.ts SPEEDUPS), from ?plain=. */
  plain: string;
}

/** Where the four Fashion-MNIST files come from: a base URL, or files picked or dropped. */
export type DataSource = { kind: 'url'; base: string } | { kind: 'picked' | 'dropped'; files: File[] };
/** Where a model file comes from (the advice in an error depends on it). */
export type ModelSource = { kind: 'url'; url: string } | { kind: 'picked' | 'dropped'; file: File };

export type ToWorker =
  | { type: 'data'; source: DataSource }
  | { type: 'run'; params: RunParams }
  | { type: 'stop' }
  | { type: 'load-model'; source: ModelSource }
  | { type: 'save-model'; format: 'h5' | 'keras' | 'indexeddb' }
  | { type: 'calibrate' };

/** Where a run is, per batch (also window.webgradPage.progress). */
export interface Progress {
  phase: string;
  /** The fit's index among the run's fits, and their count. */
  index: number;
  count: number;
  /** 0-based epoch of `epochs`, 1-based batch of `batches` in it. */
  epoch: number;
  epochs: number;
  batch: number;
  batches: number;
  samplesPerSec: number;
  /** Seconds left in the whole run at this rate (validation included as measured). */
  secondsLeft: number;
  /** The run's images trained so far over all it will train (0..1). */
  fraction: number;
}

/** A point of a live curve: the epoch's running loss/accuracy at a fractional epoch. */
export interface LivePoint {
  phase: string;
  x: number;
  logs: Logs;
}

/** Test images with what the model makes of them (pixels: n × 28 × 28 bytes). */
export interface Gallery {
  phase: string;
  pixels: Uint8Array;
  labels: string[];
  truth: number[];
  predicted: number[];
  confidence: number[];
}

/** A confusion matrix: rows true class, columns predicted; on `split` (its n images). */
export interface Confusion {
  phase: string;
  split: string;
  labels: string[];
  matrix: number[][];
  accuracy: number;
}

/** evaluate's answer for a loaded model file. */
export interface EvaluateResult {
  file: string;
  summary: string;
  outputs: number;
  split: string;
  accuracy: number;
  loss: number;
  confusion: number[][];
}

export type FromWorker =
  | { type: 'adapter'; adapter: AdapterDescription }
  | { type: 'data-progress'; loaded: number; total: number }
  | { type: 'data-ready'; ignored: string[] }
  | { type: 'phase'; phase: string; index: number; count: number; epochs: number; batches: number }
  | { type: 'progress'; progress: Progress }
  | { type: 'point'; point: LivePoint }
  | { type: 'epoch'; phase: string; epoch: number; x: number; logs: Logs }
  | { type: 'gallery'; gallery: Gallery }
  | { type: 'confusion'; confusion: Confusion }
  | { type: 'done'; table: string; charts: ChartSpec[]; seconds: number; raw: unknown; stopped: boolean; stepsReplayed: number }
  | { type: 'model-ready'; name: string }
  | { type: 'evaluated'; result: EvaluateResult }
  | { type: 'model-file'; bytes: Uint8Array; filename: string }
  | { type: 'saved'; where: string }
  | { type: 'calibrated'; samplesPerSec: number }
  /** `source`: what the failing request read, so the page can word its advice. */
  | { type: 'error'; request: ToWorker['type']; name: string; message: string; code?: string; source?: DataSource['kind'] };
