// What compile() fixed, as model files keep it: tf.keras 2's `.h5` training_config {loss,
// metrics, weighted_metrics, loss_weights, optimizer_config} and Keras 3's compile_config
// {optimizer, loss, loss_weights, metrics, ...}. The optimizer is written as each reads it:
// tf.keras 2.4's OptimizerV2 config (name, learning_rate, decay, the rule's keys) or Keras 3's
// full config (optimizer.getConfig()). A model with several outputs has its losses, loss
// weights and metrics per output: as lists or by output name in either Keras.
// Read next: src/io/optimizer-state.ts (the optimizer's state).

import type { KerasJson } from '../model-file.ts';
import { optimizerFromConfig, serializeOptimizer } from '../../optim/optimizer-registry.ts';
import type { Optimizer } from '../../optim/optimizer.ts';
import { toSnakeCase } from '../keras-naming.ts';
import { inConfig, isObject, objectAt, stringAt, unsupported } from './keras-json.ts';
import type { KerasStyle } from './layer-config.ts';
import { getLogitsLoss, type Loss } from '../../nn/model/losses.ts';
import { type Metric, savedMetric } from '../../nn/model/metrics.ts';
import { KERAS2_STATE_NAMES } from '../optimizer-state.ts';
import type { CompileArgs, Compiled } from '../../nn/model/compile.ts';
import type { Network } from '../../nn/model/network.ts';

/** Keras 3's base-optimizer keys: not part of a tf.keras 2.4 config, except those set below. */
const KERAS3_BASE_KEYS = new Set([
  'name', 'learning_rate', 'weight_decay', 'clipnorm', 'global_clipnorm', 'clipvalue', 'use_ema', 'ema_momentum',
  'ema_overwrite_frequency', 'loss_scale_factor', 'gradient_accumulation_steps', 'decay',
]);

/** tf.keras 2.4's OptimizerV2.get_config: name, learning_rate, decay, clipping when set, the rule's keys. */
function keras2OptimizerConfig(opt: Optimizer): KerasJson {
  if (!(opt.className in KERAS2_STATE_NAMES) || opt.weightDecay !== null) {
    throw unsupported(
      `optimizer ${opt.className}`,
      `tf.keras 2's .h5 format has no ${opt.weightDecay !== null ? 'weight_decay' : opt.className}; save as .keras instead (or use ${Object.keys(KERAS2_STATE_NAMES).join(', ')} without weight decay)`,
    );
  }
  const full = opt.getConfig();
  const clipping = Object.fromEntries(['clipnorm', 'clipvalue', 'global_clipnorm'].filter((k) => full[k] != null).map((k) => [k, full[k]]));
  const rule = Object.fromEntries(Object.entries(full).filter(([k]) => !KERAS3_BASE_KEYS.has(k)));
  return { class_name: opt.className, config: { name: full.name, learning_rate: full.learning_rate, decay: opt.decay, ...clipping, ...rule } };
}

/**
 * Losses, loss weights and metrics as a file holds them: a one-output model's as before
 * (one loss, a list of metrics), several outputs' by output name, which both Keras read.
 */
function perOutputConfig(c: Compiled, style: KerasStyle): KerasJson {
  const weight = c.outputs[0].weight;
  if (c.outputs.length === 1) return { loss: serializeLoss(c.loss, style), loss_weights: weight === null ? null : [weight], metrics: c.metrics.map((m) => m.name) };
  const byName = <T>(f: (o: Compiled['outputs'][number]) => T) => Object.fromEntries(c.outputs.map((o) => [o.name, f(o)]));
  const weighted = c.outputs.some((o) => o.weight !== null);
  return {
    loss: byName((o) => (o.loss === null ? null : serializeLoss(o.loss, style))),
    loss_weights: weighted ? byName((o) => o.weight ?? 1) : null,
    metrics: byName((o) => o.metrics.map((m) => m.name)),
  };
}

/** The model's compile information in `style`'s schema, or null when it was never compiled. */
export function trainingConfigFor(model: Network, style: KerasStyle): KerasJson | null {
  const c = model.compiled;
  if (!c) return null;
  const { loss, loss_weights, metrics } = perOutputConfig(c, style);
  if (style === 'keras2') {
    return { loss, metrics, weighted_metrics: null, loss_weights, optimizer_config: keras2OptimizerConfig(c.optimizer) };
  }
  return { optimizer: serializeOptimizer(c.optimizer), loss, loss_weights, metrics, weighted_metrics: null, run_eagerly: false, steps_per_execution: 1, jit_compile: false };
}

/** `className` without a registration prefix ('Custom>SGD', 'package>Name'). */
const bare = (className: string) => className.replace(/^.*>/, '');

/**
 * The losses or metrics of a nested per-output structure as a flat list: tf.keras 2 writes
 * metrics per output ([[...]] or {output: [...]}); a {class_name, ...} object is one entry
 * (tf.keras's _deserialize_nested_config).
 */
function leaves(v: unknown): unknown[] {
  if (v == null) return [];
  if (Array.isArray(v)) return v.flatMap(leaves);
  if (isObject(v) && !('class_name' in v)) return Object.values(v).flatMap(leaves);
  return [v];
}

/** A serialized function (Keras 3: {class_name: 'function', config: 'name'}) or a name, as its name; null for anything else. */
function functionName(v: unknown): string | null {
  if (typeof v === 'string') return v;
  return isObject(v) && typeof v.config === 'string' ? v.config : null;
}

/** Config values a loss object may hold at Keras's defaults only (from_logits aside). */
const LOSS_DEFAULTS: Record<string, (v: unknown) => boolean> = {
  reduction: (v) => v === 'auto' || v === 'sum_over_batch_size',
  label_smoothing: (v) => v === 0,
  ignore_class: () => false,
  axis: (v) => v === -1,
};

/**
 * A loss as Keras serializes it, as the name getLoss resolves: a name, a function object,
 * or a loss object ({class_name: 'SparseCategoricalCrossentropy', config: {...}}, with or
 * without Keras 3's module/registered_name; a LossFunctionWrapper names its `fn`).
 */
function lossFrom(v: unknown, where: string): string | Loss {
  const fn = functionName(v);
  if (fn !== null) return fn;
  const o = objectAt(v, where);
  const className = bare(stringAt(o, 'class_name', where));
  const c = o.config == null ? {} : objectAt(o.config, `${where} config`);
  for (const [key, ok] of Object.entries(LOSS_DEFAULTS)) {
    if (c[key] != null && !ok(c[key])) throw unsupported(where, `${className} with ${key}=${JSON.stringify(c[key])} is not supported (webgrad's losses take Keras's defaults)`);
  }
  const name = className === 'LossFunctionWrapper' ? (functionName(c.fn) ?? stringAt(c, 'fn', where)) : toSnakeCase(className);
  return c.from_logits === true ? inConfig(where, () => getLogitsLoss(name)) : name;
}

/** Keras's class name for a loss name ('sparse_categorical_crossentropy' -> 'SparseCategoricalCrossentropy'). */
const lossClassName = (name: string) => name.replace(/(^|_)([a-z])/g, (_, __, c: string) => c.toUpperCase());

/** A loss as compile_config/training_config hold it: its name, or a loss object where from_logits is set. */
function serializeLoss(loss: Loss, style: KerasStyle): unknown {
  if (!loss.fromLogits) return loss.name;
  if (style === 'keras2') return { class_name: lossClassName(loss.name), config: { reduction: 'auto', name: loss.name, from_logits: true } };
  const config = { name: loss.name, reduction: 'sum_over_batch_size', from_logits: true };
  return { module: 'keras.losses', class_name: lossClassName(loss.name), config, registered_name: null };
}

/** Metric classes webgrad computes, by Keras class name: the metric function each one is. */
const METRIC_CLASSES: Record<string, string> = {
  Accuracy: 'accuracy',
  SparseCategoricalAccuracy: 'sparse_categorical_accuracy',
  CategoricalAccuracy: 'categorical_accuracy',
  BinaryAccuracy: 'binary_accuracy',
};

/**
 * A metric as Keras serializes it: a name ('accuracy', resolved by the loss), a Keras 3
 * function object (the function itself: 'accuracy' there is Keras's exact-match function), a
 * MeanMetricWrapper ({name, fn}: tf.keras 2.5-2.14 write compile's 'accuracy' so) or a metric
 * class object; the logs key is the saved name, as in Keras.
 */
function metricFrom(v: unknown, where: string): string | Metric {
  if (typeof v === 'string') return v;
  const o = objectAt(v, where);
  const fn = functionName(o);
  if (fn !== null) return inConfig(where, () => savedMetric(fn, fn));
  const className = bare(stringAt(o, 'class_name', where));
  const c = o.config == null ? {} : objectAt(o.config, `${where} config`);
  if (c.threshold != null && c.threshold !== 0.5) throw unsupported(where, `${className} with threshold=${JSON.stringify(c.threshold)} is not supported (only 0.5)`);
  const wrapped = className === 'MeanMetricWrapper' ? functionName(c.fn) : METRIC_CLASSES[className];
  if (!wrapped) {
    const what = className === 'MeanMetricWrapper' ? `a MeanMetricWrapper of ${JSON.stringify(c.fn)}` : `metric class '${className}'`;
    throw unsupported(where, `${what} is not supported; webgrad computes ${Object.keys(METRIC_CLASSES).join(', ')} and their functions`);
  }
  return inConfig(where, () => savedMetric(wrapped, typeof c.name === 'string' ? c.name : wrapped));
}

/** A per-output structure: a list in output order or an object by output name (other values: one for all). */
const isPerOutput = (v: unknown): v is unknown[] | KerasJson => Array.isArray(v) || (isObject(v) && !('class_name' in v));

/** A per-output list or object with `read` applied to each entry (null stays null). */
function mapPerOutput<T>(v: unknown[] | KerasJson, read: (x: unknown, where: string) => T, where: string): (T | null)[] | Record<string, T | null> {
  const one = (x: unknown, w: string) => (x == null ? null : read(x, w));
  if (Array.isArray(v)) return v.map((x, i) => one(x, `${where}[${i}]`));
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, one(x, `${where}.${k}`)]));
}

function lossWeight(x: unknown, where: string): number {
  if (typeof x !== 'number') throw unsupported(where, `a loss weight must be a number, found ${JSON.stringify(x)}`);
  return x;
}

/** loss_weights: absent, one number, a list in output order or an object by output name. */
function lossWeightsFrom(w: unknown, where: string): CompileArgs['lossWeights'] {
  if (w == null) return undefined;
  if (Array.isArray(w)) return w.map((x, i) => lossWeight(x, `${where}[${i}]`));
  if (isObject(w)) return Object.fromEntries(Object.entries(w).map(([k, x]) => [k, lossWeight(x, `${where}.${k}`)]));
  return lossWeight(w, where);
}

/** A list of metrics (a name or object, or a list of them) as metric specs. */
const metricList = (v: unknown, where: string) => leaves(v).map((m, i) => metricFrom(m, `${where}[${i}]`));

/**
 * The metrics entry. One output: every metric found, flattened. Several: a list per output
 * or an object by output name; a flat list of names means every metric on every output in
 * tf.keras 2, and one entry per output in Keras 3 (its CompileMetrics).
 */
function metricsFrom(v: unknown, outputs: string[], version: KerasStyle, where: string): CompileArgs['metrics'] {
  if (outputs.length === 1 || v == null) return leaves(v).map((m, i) => metricFrom(m, `${where}[${i}]`));
  if (!isPerOutput(v)) return outputs.map(() => metricList(v, where));
  const flat = Array.isArray(v) && v.every((m) => !Array.isArray(m));
  if (flat && version === 'keras2') return outputs.map(() => metricList(v, where));
  return mapPerOutput(v, metricList, where);
}

/**
 * compile()'s arguments from a training_config (tf.keras 2 `.h5`: optimizer_config, nested
 * metrics) or a compile_config (Keras 3 and tf.keras 2.13+ `.keras`: optimizer as a name or
 * a {module, class_name, config} object); losses, loss weights and metrics one for all
 * outputs, a list per output or an object by output name (`outputs`: the model's output
 * names). `version`: which Keras wrote it. Throws a ModelFileError naming what cannot be
 * rebuilt; loadModel then warns and returns the model uncompiled.
 */
export function compileArgsFrom(training: KerasJson, where: string, outputs: string[], version: KerasStyle): CompileArgs {
  const serialized = training.optimizer_config ?? training.optimizer;
  const optimizer = inConfig(`${where} optimizer`, () => {
    if (typeof serialized === 'string') return serialized;
    const o = objectAt(serialized, `${where} optimizer`);
    return optimizerFromConfig({ class_name: stringAt(o, 'class_name', `${where} optimizer`), config: objectAt(o.config ?? {}, `${where} optimizer config`) });
  });
  if (leaves(training.weighted_metrics).length > 0) throw unsupported(where, `weighted_metrics ${JSON.stringify(training.weighted_metrics)} is not supported`);
  const l = training.loss;
  if (l == null) throw unsupported(`${where} loss`, 'no loss');
  const loss = isPerOutput(l) ? mapPerOutput(l, lossFrom, `${where} loss`) : lossFrom(l, `${where} loss`);
  const lossWeights = lossWeightsFrom(training.loss_weights, `${where} loss_weights`);
  const metrics = metricsFrom(training.metrics, outputs, version, `${where} metrics`);
  return { optimizer, loss, lossWeights, metrics };
}
