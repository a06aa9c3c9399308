// Rebuilding a schedule from its Keras JSON form ({class_name, config}), the inverse of
// LearningRateSchedule.serialize(). A typed table maps each class name to a factory that
// reads the snake_case config; keys the schedule does not know are an error, not ignored.
// Read next: schedule.ts, optimizer-registry.ts (which calls this for `learning_rate`).

import { OneCycle } from './one-cycle.ts';
import type { LearningRateSchedule, ScheduleConfig } from './schedule.ts';
import {
  CosineDecay,
  ExponentialDecay,
  InverseTimeDecay,
  PiecewiseConstantDecay,
  PolynomialDecay,
} from './decay-schedules.ts';

type Reader = {
  num(key: string): number;
  opt<T>(key: string, fallback: T): number | T;
  bool(key: string, fallback: boolean): boolean;
  str(key: string, fallback: string): string;
  nums(key: string): number[];
};

function reader(className: string, c: ScheduleConfig): Reader {
  const bad = (key: string, want: string): never => {
    throw new TypeError(`${className} config: '${key}' must be ${want}, got ${JSON.stringify(c[key])}`);
  };
  return {
    num: (key) => (typeof c[key] === 'number' ? (c[key] as number) : bad(key, 'a number')),
    opt: (key, fallback) =>
      c[key] === undefined || c[key] === null
        ? fallback
        : typeof c[key] === 'number'
          ? (c[key] as number)
          : bad(key, 'a number'),
    bool: (key, fallback) =>
      c[key] === undefined ? fallback : typeof c[key] === 'boolean' ? (c[key] as boolean) : bad(key, 'a boolean'),
    str: (key, fallback) =>
      c[key] === undefined ? fallback : typeof c[key] === 'string' ? (c[key] as string) : bad(key, 'a string'),
    nums: (key) => {
      const v = c[key];
      return Array.isArray(v) && v.every((x) => typeof x === 'number')
        ? (v as number[])
        : bad(key, 'an array of numbers');
    },
  };
}

const factories: Record<string, (r: Reader) => LearningRateSchedule> = {
  ExponentialDecay: (r) =>
    new ExponentialDecay(
      r.num('initial_learning_rate'),
      r.num('decay_steps'),
      r.num('decay_rate'),
      r.bool('staircase', false),
      r.str('name', 'ExponentialDecay'),
    ),
  InverseTimeDecay: (r) =>
    new InverseTimeDecay(
      r.num('initial_learning_rate'),
      r.num('decay_steps'),
      r.num('decay_rate'),
      r.bool('staircase', false),
      r.str('name', 'InverseTimeDecay'),
    ),
  PiecewiseConstantDecay: (r) =>
    new PiecewiseConstantDecay(r.nums('boundaries'), r.nums('values'), r.str('name', 'PiecewiseConstant')),
  PolynomialDecay: (r) =>
    new PolynomialDecay(
      r.num('initial_learning_rate'),
      r.num('decay_steps'),
      r.opt('end_learning_rate', 0.0001),
      r.opt('power', 1.0),
      r.bool('cycle', false),
      r.str('name', 'PolynomialDecay'),
    ),
  CosineDecay: (r) =>
    new CosineDecay(
      r.num('initial_learning_rate'),
      r.num('decay_steps'),
      r.opt('alpha', 0.0),
      r.opt('warmup_target', null),
      r.opt('warmup_steps', 0),
      r.str('name', 'CosineDecay'),
    ),
  OneCycle: (r) =>
    new OneCycle(r.num('iterations'), r.num('max_rate'), {
      startRate: r.opt('start_rate', undefined),
      lastIterations: r.opt('last_iterations', undefined),
      lastRate: r.opt('last_rate', undefined),
    }),
};

/** The schedule a Keras JSON config describes, e.g. `{class_name: 'ExponentialDecay', config: {...}}`. */
export function scheduleFromConfig(serialized: { class_name: string; config: ScheduleConfig }): LearningRateSchedule {
  const make = factories[serialized.class_name];
  if (!make) {
    throw new TypeError(
      `unknown learning-rate schedule '${serialized.class_name}'; known: ${Object.keys(factories).join(', ')}`,
    );
  }
  const config = serialized.config ?? {};
  const schedule = make(reader(serialized.class_name, config));
  const known = schedule.getConfig();
  const extra = Object.keys(config).filter((k) => !(k in known));
  if (extra.length) throw new TypeError(`${serialized.class_name} config: unknown key(s) ${extra.join(', ')}`);
  return schedule;
}
