// What compile() fixed, as model files keep it: tf.keras 2's `.h5` training_config {loss,
// metrics, weighted_metrics, loss_weights, optimizer_config} and Keras 3's compile_config
// {optimizer, loss, loss_weights, metrics, ...}. The optimizer is written as each reads it:
// tf.keras 2.4's OptimizerV2 config (name, learning_rate, decay, the rule's keys) or Keras 3's
// full config (optimizer.getConfig()). Read next: optimizer-state.ts (the optimizer's state).

import type { KerasJson } from '../io/model-file.ts';
import { optimizerFromConfig, serializeOptimizer } from '../optim/optimizer-registry.ts';
import type { Optimizer } from '../optim/optimizer.ts';
import { inConfig, isObject, objectAt, stringAt, unsupported } from './keras-json.ts';
import type { KerasStyle } from './layer-config.ts';
import { KERAS2_STATE_NAMES } from './optimizer-state.ts';
import type { CompileArgs, Sequential } from './sequential.ts';

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

/** The model's compile information in `style`'s schema, or null when it was never compiled. */
export function trainingConfigFor(model: Sequential, style: KerasStyle): KerasJson | null {
  const c = model.compiled;
  if (!c) return null;
  const metrics = c.metrics.map((m) => m.name);
  if (style === 'keras2') {
    return { loss: c.loss.name, metrics, weighted_metrics: null, loss_weights: null, optimizer_config: keras2OptimizerConfig(c.optimizer) };
  }
  return {
    optimizer: serializeOptimizer(c.optimizer),
    loss: c.loss.name,
    loss_weights: null,
    metrics,
    weighted_metrics: null,
    run_eagerly: false,
    steps_per_execution: 1,
    jit_compile: false,
  };
}

/** A loss or metric as Keras serializes it: a name, a {class_name, config} object, or a function object. */
function nameOf(v: unknown, where: string): string {
  if (typeof v === 'string') return v;
  const o = objectAt(v, where);
  if (typeof o.config === 'string') return o.config;
  if (isObject(o.config) && o.config.from_logits === true) throw unsupported(where, 'from_logits=true is not supported (webgrad reads logits off softmax/sigmoid outputs itself)');
  return stringAt(o, 'class_name', where);
}

/** Keras's metrics list (tf.keras 2 may nest it per output) as names. */
function metricNames(v: unknown, where: string): string[] {
  if (v == null) return [];
  if (!Array.isArray(v)) throw unsupported(where, `metrics must be a list, found ${JSON.stringify(v)} (multi-output models are not supported)`);
  return v.flatMap((m, i) => (Array.isArray(m) ? metricNames(m, where) : [nameOf(m, `${where}[${i}]`)]));
}

/** compile()'s arguments from a training_config (tf.keras 2) or compile_config (Keras 3). */
export function compileArgsFrom(training: KerasJson, where: string): CompileArgs {
  const serialized = training.optimizer_config ?? training.optimizer;
  const optimizer = inConfig(`${where} optimizer`, () => {
    if (typeof serialized === 'string') return serialized;
    const o = objectAt(serialized, `${where} optimizer`);
    return optimizerFromConfig({ class_name: stringAt(o, 'class_name', `${where} optimizer`), config: objectAt(o.config ?? {}, `${where} optimizer config`) });
  });
  for (const key of ['loss_weights', 'weighted_metrics']) {
    const v = training[key];
    if (v != null && !(Array.isArray(v) && v.length === 0)) throw unsupported(where, `${key} ${JSON.stringify(v)} is not supported`);
  }
  return { optimizer, loss: nameOf(training.loss, `${where} loss`), metrics: metricNames(training.metrics, `${where} metrics`) };
}
