// What the chapter's topic examples (optimizers, schedules, regularization) share: their
// options, the shape of their results (runs, charts, a text table), and one `trainRun` that
// fits a model and streams every epoch to the caller — the Node CLI (cli.ts) and the Chrome
// page (../web/main.ts) consume the same events. Read next: optimizers.ts, the simplest example.

import { type AdapterDescription, adapterInfo, Callback, type Logs } from 'webgrad.js';
import type { FitOptions, History, Inputs } from 'webgrad.js';
import type { FashionMnist } from 'webgrad.js';
import { type ExampleData, exampleData } from './example-data.ts';

/** How much data and how many epochs an example uses (the book uses all 55,000 images). */
export interface Sizes {
  train: number;
  valid: number;
  test: number;
  epochs: number;
}

export interface ExampleOptions extends Sizes {
  seed: number;
  verbose?: 0 | 1 | 2;
  /** Extra callbacks for every fit (the page adds one that yields to the browser). */
  callbacks?: () => Callback[];
  /** A run (one model, one fit) starts: its name and epoch count. */
  onRun?: (run: string, epochs: number) => void;
  /** Every epoch's logs of every run (live charts, progress). */
  onEpoch?: (run: string, epoch: number, logs: Logs) => void;
}

/** One learning curve or bar series, values over epochs (or over `labels` for a bar chart). */
export interface Series {
  name: string;
  values: number[];
}

/** A chart, drawn as SVG in Node reports (svg-chart.ts) and with Chart.js on the page. */
export interface ChartSpec {
  title: string;
  kind: 'line' | 'bar';
  series: Series[];
  /** x labels of a bar chart (classes); line charts are over epochs 1..n. */
  labels?: string[];
  /** A logarithmic y axis (learning rates spanning decades). */
  logY?: boolean;
}

export interface RunResult {
  name: string;
  epochs: number;
  seconds: number;
  history: Record<string, number[]>;
}

export interface ExampleResult {
  example: string;
  title: string;
  adapter: AdapterDescription;
  seed: number;
  sizes: Sizes;
  seconds: number;
  runs: RunResult[];
  charts: ChartSpec[];
  /** The closing table, as monospaced text. */
  table: string;
}

/** An example as the CLI and the page list it. */
export interface ExampleSpec {
  name: string;
  title: string;
  /** The runs, in order (the page shows progress as "run i of n"). */
  runs: string[];
  /** Default sizes (a few minutes on a 2-core CPU adapter) and a `--quick` smoke run. */
  defaults: Sizes;
  quick: Sizes;
  run(data: ExampleData, options: ExampleOptions): Promise<ExampleOutput>;
}

/** What an example's own code produces; runExample adds the rest. */
export type ExampleOutput = Pick<ExampleResult, 'runs' | 'charts' | 'table'>;

/** Forwards each epoch's logs to a sink (Keras's LambdaCallback(on_epoch_end=...)). */
export class EpochStream<K extends string> extends Callback {
  constructor(
    private readonly key: K,
    private readonly sink?: (key: K, epoch: number, logs: Logs) => void,
  ) {
    super();
  }
  override onEpochEnd(epoch: number, logs: Logs = {}): void {
    this.sink?.(this.key, epoch, logs);
  }
}

/** What trainRun fits: a Sequential, or a Functional Model with lists of inputs and targets. */
export interface Fittable {
  fit(x: Inputs, y: Inputs, options?: FitOptions): Promise<History>;
}

/** A training and a validation set: an array each, or (a Functional model) lists of them. */
export interface FitData {
  train: [Inputs, Inputs];
  valid: [Inputs, Inputs];
}

/** model.fit(x_train, y_train, epochs, validation_data=...) for one named run. */
export async function trainRun(
  name: string,
  model: Fittable,
  data: FitData,
  options: ExampleOptions,
  fit: Pick<FitOptions, 'batchSize' | 'callbacks'> = {},
): Promise<RunResult> {
  const { epochs, verbose = 1 } = options;
  options.onRun?.(name, epochs);
  const start = performance.now();
  const callbacks = [...(fit.callbacks ?? []), ...(options.callbacks?.() ?? []), new EpochStream(name, options.onEpoch)];
  const h = await model.fit(data.train[0], data.train[1], { epochs, batchSize: fit.batchSize, validationData: data.valid, verbose, callbacks });
  return { name, epochs, seconds: (performance.now() - start) / 1000, history: h.history };
}

/** Runs an example on the Fashion-MNIST subsets its options ask for, timed, with the adapter. */
export async function runExample(spec: ExampleSpec, fashion: FashionMnist, options: ExampleOptions): Promise<ExampleResult> {
  const start = performance.now();
  const data = exampleData(fashion, options);
  const out = await spec.run(data, options);
  return {
    example: spec.name,
    title: spec.title,
    adapter: await adapterInfo(),
    seed: options.seed,
    sizes: { train: data.train[0].length, valid: data.valid[0].length, test: data.test[0].length, epochs: options.epochs },
    seconds: (performance.now() - start) / 1000,
    ...out,
  };
}

/** A line chart of one History key for every run ("val_loss of each optimizer"). */
export function metricChart(title: string, runs: RunResult[], key: string, logY = false): ChartSpec {
  return { title, kind: 'line', logY, series: runs.map((r) => ({ name: r.name, values: r.history[key] ?? [] })) };
}

/** The final epoch's metrics of each run, as a text table. */
export function finalTable(runs: RunResult[], keys = ['loss', 'accuracy', 'val_loss', 'val_accuracy']): string {
  const w = Math.max(10, ...runs.map((r) => r.name.length + 2));
  const cw = (k: string) => Math.max(14, k.length + 2);
  const head = 'run'.padEnd(w) + keys.map((k) => k.padStart(cw(k))).join('') + 'seconds'.padStart(10);
  const fmt = (v: number | undefined) => (v === undefined ? '-' : Math.abs(v) < 1e-3 && v !== 0 ? v.toExponential(3) : v.toFixed(4));
  const rows = runs.map((r) => r.name.padEnd(w) + keys.map((k) => fmt(r.history[k]?.at(-1)).padStart(cw(k))).join('') + r.seconds.toFixed(1).padStart(10));
  return [head, ...rows].join('\n');
}
