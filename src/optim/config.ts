// Keras optimizer configs <-> webgrad options: snake_case keys (beta_1, global_clipnorm)
// become camelCase options (beta1, globalClipnorm); a serialized schedule under
// learning_rate becomes a schedule object. Keras 3 keys webgrad does not implement must
// hold their "off" values; tf.keras 2 keys (lr, decay, jit_compile, ...) are accepted.
// Read next: optimizer.ts (getConfig / fromConfig), optimizer-registry.ts.

import { LearningRateSchedule } from './schedule.ts';
import { scheduleFromConfig } from './schedule-registry.ts';

export type OptimizerConfig = Record<string, unknown>;

/**
 * Keys that must be at these values: webgrad has no EMA or loss scaling (Keras 3 base keys);
 * Keras 2.0-2.2's Nadam wrote its momentum-schedule decay, which tf.keras 2 and Keras 3 fix at 0.004.
 */
const FIXED: Record<string, unknown> = {
  use_ema: false,
  ema_overwrite_frequency: null,
  loss_scale_factor: null,
  gradient_accumulation_steps: null,
  schedule_decay: 0.004,
};
/** tf.keras 2 keys with no effect here. */
const IGNORED = new Set(['ema_momentum', 'jit_compile', 'is_legacy_optimizer']);

export const snakeToCamel = (k: string): string => k.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

function learningRate(v: unknown, className: string): number | LearningRateSchedule {
  if (typeof v === 'number' || v instanceof LearningRateSchedule) return v;
  if (v && typeof v === 'object' && typeof (v as { class_name?: unknown }).class_name === 'string') {
    const s = v as { class_name: string; config: Record<string, unknown> };
    return scheduleFromConfig(s);
  }
  throw new TypeError(
    `${className} config: learning_rate must be a number or a serialized schedule, got ${JSON.stringify(v)}`,
  );
}

/**
 * The constructor options a config describes. `known`: the snake_case keys the class
 * writes in getConfig(); any other key is an error naming it.
 */
export function optionsFromConfig(
  className: string,
  config: OptimizerConfig,
  known: readonly string[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [rawKey, v] of Object.entries(config)) {
    const key = rawKey === 'lr' ? 'learning_rate' : rawKey;
    if (IGNORED.has(key)) continue;
    if (key in FIXED) {
      if (v !== FIXED[key] && v !== undefined) {
        throw new TypeError(
          `${className} config: ${key}=${JSON.stringify(v)} is not supported by webgrad (only ${JSON.stringify(FIXED[key])})`,
        );
      }
      continue;
    }
    if (key !== 'decay' && !known.includes(key)) {
      throw new TypeError(`${className} config: unknown key '${rawKey}'; known: ${known.join(', ')}`);
    }
    out[snakeToCamel(key)] = key === 'learning_rate' ? learningRate(v, className) : v;
  }
  return out;
}
