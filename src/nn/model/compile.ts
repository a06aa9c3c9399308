// compile()'s arguments resolved per output, as Keras 3's CompileLoss and CompileMetrics
// (keras/src/trainers/compile_utils.py) do: a loss given once applies to every output; a
// list gives one per output, an object one per output name (null or a missing name: no loss
// for that output); lossWeights likewise; metrics a list for a one-output model, else one
// entry per output (a list, or an object by output name). The logs' keys follow Keras: 'loss',
// then the metrics (prefixed '<output>_' when there are several outputs), then, when two or
// more outputs have losses, each one's unweighted '<output>_loss'. Read next: network.ts.

import { getOptimizer, type OptimizerName } from '../../optim/optimizer-registry.ts';
import type { Optimizer } from '../../optim/optimizer.ts';
import type { Weight } from '../layers/layer.ts';
import { getLoss, type Loss } from './losses.ts';
import { getMetric, type Metric } from './metrics.ts';

type LossSpec = string | Loss;
type MetricSpec = string | Metric;
/** Per output: in the order of the model's outputs, or keyed by output name. */
export type PerOutput<T> = T[] | Record<string, T>;

export interface CompileArgs {
  optimizer: Optimizer | OptimizerName | string;
  /** One loss for every output, or one per output (null: that output is not trained on). */
  loss: LossSpec | PerOutput<LossSpec | null>;
  /** Multiplies each output's loss in the total (Keras's loss_weights). */
  lossWeights?: number | PerOutput<number>;
  /** A list for a one-output model; else one entry per output (a metric or a list), by position or output name. */
  metrics?: MetricSpec[] | PerOutput<MetricSpec | MetricSpec[] | null>;
}

/** One output as compiled: its loss (or none), the loss's weight (null: not given), its metrics. */
export interface CompiledOutput {
  name: string;
  loss: Loss | null;
  weight: number | null;
  metrics: Metric[];
}

/** What compile() fixed: Keras decides the trained weights at compile time. */
export interface Compiled {
  optimizer: Optimizer;
  /** One entry per model output, in output order. */
  outputs: CompiledOutput[];
  /** A one-output model's loss (with several outputs: the first loss in output order). */
  loss: Loss;
  /** A one-output model's metrics (with several outputs: the first output's). */
  metrics: Metric[];
  /** The weights fit() trains, as they were trainable when compile() ran. */
  trainable: Weight[];
}

const isList = <T>(v: unknown): v is T[] => Array.isArray(v);

/** A per-output argument as a list in output order (an object's missing names give null). */
function perOutput<T>(where: string, arg: string, v: PerOutput<T>, names: string[]): (T | null)[] {
  if (isList<T>(v)) {
    if (v.length !== names.length) {
      throw new RangeError(`${where}: ${arg} lists ${v.length} entries but the model has ${names.length} outputs (${names.join(', ')})`);
    }
    return v;
  }
  const unknown = Object.keys(v).filter((k) => !names.includes(k));
  if (unknown.length) throw new RangeError(`${where}: ${arg} names ${unknown.map((k) => `'${k}'`).join(', ')}, which is not an output of the model (outputs: ${names.join(', ')})`);
  return names.map((n) => v[n] ?? null);
}

/** compile()'s metrics as one entry per output (a metric, a list, or null), by Keras 3's CompileMetrics rules. */
function metricSpecs(where: string, metrics: NonNullable<CompileArgs['metrics']>, names: string[]): (MetricSpec | MetricSpec[] | null)[] {
  if (isList(metrics) && names.length === 1) return [metrics as MetricSpec[]];
  if (isList(metrics) && metrics.length === 0) return names.map(() => null);
  if (isList(metrics) && metrics.length !== names.length) {
    throw new RangeError(`${where}: metrics for a model with ${names.length} outputs (${names.join(', ')}) take one entry per output (a list of ${names.length}) or an object by output name; got a list of ${metrics.length}`);
  }
  return perOutput(where, 'metrics', metrics as PerOutput<MetricSpec | MetricSpec[] | null>, names);
}

/** Resolves compile()'s arguments against the model's output names (everything but the trained weights). */
export function resolveCompile({ optimizer, loss, lossWeights, metrics = [] }: CompileArgs, names: string[], where: string): Omit<Compiled, 'trainable'> {
  const one = typeof loss === 'string' || typeof (loss as Partial<Loss>).perSample === 'function';
  const losses = one ? names.map(() => getLoss(loss as LossSpec)) : perOutput(where, 'loss', loss as PerOutput<LossSpec | null>, names).map((l) => (l === null ? null : getLoss(l)));
  if (losses.every((l) => l === null)) throw new RangeError(`${where}: no output has a loss`);
  const resolved = getOptimizer(optimizer);
  const weights = lossWeights === undefined ? names.map(() => null) : typeof lossWeights === 'number' ? names.map(() => lossWeights) : perOutput(where, 'lossWeights', lossWeights, names);
  const lossOf = (i: number) => losses[i] ?? losses.find((l) => l !== null)!;
  const specs = metricSpecs(where, metrics, names);
  const outputs = names.map((name, i) => ({
    name,
    loss: losses[i],
    weight: weights[i],
    metrics: ([] as MetricSpec[]).concat(specs[i] ?? []).map((m) => getMetric(m, lossOf(i))),
  }));
  return { optimizer: resolved, outputs, loss: losses.find((l) => l !== null)!, metrics: outputs[0].metrics };
}

/** Each compiled metric under its logs key: '<output>_<metric>' when there are several outputs; a key met again gets _1, _2, ... (Keras's CompileMetrics.result()). */
export function metricKeys(c: Compiled): [string, Metric][] {
  const multi = c.outputs.length > 1;
  const seen = new Map<string, number>();
  return c.outputs.flatMap((o) =>
    o.metrics.map((m): [string, Metric] => {
      const base = multi ? `${o.name}_${m.name}` : m.name;
      const k = seen.get(base);
      seen.set(base, (k ?? 0) + 1);
      return [k === undefined ? base : `${base}_${k}`, m];
    }),
  );
}

/** The logs' keys, in the order of the epoch sums: 'loss', the metrics, then the per-output losses (Keras 3's logs order). */
export function logNames(c: Compiled): string[] {
  return ['loss', ...metricKeys(c).map(([k]) => k), ...lossTerms(c).map((o) => `${o.name}_loss`)];
}

/** The outputs whose losses are logged one by one: those with a loss, when two or more have one. */
export function lossTerms(c: Compiled): CompiledOutput[] {
  const withLoss = c.outputs.filter((o) => o.loss !== null);
  return withLoss.length > 1 ? withLoss : [];
}

/**
 * The order evaluate() returns the logs in (Keras's _flatten_metrics_in_order): 'loss', the
 * metrics under their own names, the per-output losses, then any other key alphabetically (a
 * multi-output model's prefixed metrics).
 */
export function evaluateOrder(c: Compiled, names: string[]): number[] {
  const known = ['loss', ...c.outputs.flatMap((o) => o.metrics.map((m) => m.name)), ...lossTerms(c).map((o) => `${o.name}_loss`)];
  const first = known.filter((k, i) => known.indexOf(k) === i && names.includes(k));
  const rest = names.filter((k) => !first.includes(k)).sort();
  return [...first, ...rest].map((k) => names.indexOf(k));
}
