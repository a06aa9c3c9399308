// An optimizer's state <-> the optimizer records of a model file. Keras 3 (`.keras`,
// `.weights.h5`) keeps `optimizer.variables` by position in optimizer/vars/0..n: iteration
// (int64), learning_rate (when a number), then the slots in Keras's build order (kerasOrder:
// Adam's momentum and velocity per variable in turn, where getWeights() lists slot by slot).
// tf.keras 2 (`.h5`) keeps `optimizer.weights`: `<opt>/iter:0`, scalars such as Nadam's
// momentum_cache, then each slot as `<opt>/<layer>/<weight>/<slot>:0` under tf.keras 2's
// slot names; its learning rate lives in the config only. Read next: src/optim/optimizer.ts.

import { DEFAULT_KERAS_VERSION, type WeightRecord } from '../io/model-file.ts';
import type { Optimizer } from '../optim/optimizer.ts';
import type { Tensor } from '../tensor/tensor.ts';

/**
 * tf.keras 2.4's names (optimizer_v2/*.py: add_slot, Nadam's momentum_cache) for webgrad's
 * (Keras 3's) slot and scalar-state names; the classes tf.keras 2.4 has.
 */
export const KERAS2_STATE_NAMES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  SGD: { momentum: 'momentum' },
  Adam: { momentum: 'm', velocity: 'v', velocity_hat: 'vhat' },
  Adamax: { momentum: 'm', norm: 'v' },
  Nadam: { momentum: 'm', velocity: 'v', u_product: 'momentum_cache' },
  RMSprop: { velocity: 'rms', momentum: 'momentum', average_gradient: 'mg' },
  Adagrad: { accumulator: 'accumulator' },
};

type Entry =
  | { kind: 'iteration' | 'learning_rate' | 'scalar'; name: string; shape: number[] }
  | { kind: 'slot'; name: string; shape: number[]; variable: string; slot: string; at: number };

/**
 * What each of opt.weightSpecs() is. `variables`: the tensors the optimizer was (or will be)
 * built on, in build order (the model's compiled trainable weights); slot specs are slot-major
 * ('<variable>_<slot>' for every variable, then the next slot), scalars have shape [].
 */
function stateLayout(opt: Optimizer, variables: readonly Tensor[]): Entry[] {
  const specs = opt.weightSpecs();
  let slotIndex = 0;
  return specs.map((spec, i): Entry => {
    if (i === 0) return { kind: 'iteration', ...spec };
    if (i === 1 && spec.name === 'learning_rate' && opt.schedule === null) return { kind: 'learning_rate', ...spec };
    if (spec.shape.length === 0) return { kind: 'scalar', ...spec };
    const at = slotIndex++ % variables.length;
    const variable = variables[at]?.name ?? '';
    const prefix = `${variable.replace(/[/:]/g, '_')}_`;
    if (!variable || !spec.name.startsWith(prefix)) {
      throw new Error(`${opt.className}: optimizer state '${spec.name}' does not follow the model's trainable weights (${variables.map((v) => v.name).join(', ')})`);
    }
    return { kind: 'slot', ...spec, variable, slot: spec.name.slice(prefix.length), at };
  });
}

/**
 * Slots Keras 3 creates together, variable by variable (m0, v0, m1, v1, ...: adam.py's build
 * loop, add_optimizer_variables from 3.10); other slots follow one slot after another.
 */
const BUILT_TOGETHER: Readonly<Record<string, readonly string[]>> = {
  Adam: ['momentum', 'velocity'],
  AdamW: ['momentum', 'velocity'],
  Adamax: ['momentum', 'norm'],
  Nadam: ['momentum', 'velocity'],
};

/** Keras 3.10+ creates Nadam's u_product after its slots; 3.0-3.9 before them. */
const scalarsLast = (kerasVersion: string) => {
  const [major, minor] = kerasVersion.split('.').map(Number);
  return major > 3 || (major === 3 && minor >= 10);
};

/** For each position of Keras 3's `optimizer.variables`, the index of that state in `entries`. */
function kerasOrder(opt: Optimizer, entries: readonly Entry[], kerasVersion: string): number[] {
  const indices = entries.map((_, i) => i);
  const of = (kind: Entry['kind']) => indices.filter((i) => entries[i].kind === kind);
  const together = BUILT_TOGETHER[opt.className] ?? [];
  const slots = of('slot').map((i) => ({ i, e: entries[i] as Extract<Entry, { kind: 'slot' }> }));
  const count = new Set(slots.map((s) => s.e.at)).size;
  const paired = Array.from({ length: count }, (_, at) => together.flatMap((slot) => slots.filter((s) => s.e.at === at && s.e.slot === slot).map((s) => s.i))).flat();
  const rest = slots.filter((s) => !together.includes(s.e.slot)).map((s) => s.i);
  const last = scalarsLast(kerasVersion);
  return [...of('iteration'), ...of('learning_rate'), ...(last ? [] : of('scalar')), ...paired, ...rest, ...(last ? of('scalar') : [])];
}

const keras2Name = (opt: Optimizer, e: Entry): string => {
  const names = KERAS2_STATE_NAMES[opt.className] ?? {};
  if (e.kind === 'iteration') return `${opt.name}/iter:0`;
  if (e.kind === 'slot') return `${opt.name}/${e.variable}/${names[e.slot] ?? e.slot}:0`;
  return `${opt.name}/${names[e.name] ?? e.name}:0`;
};

/** The optimizer's state as a file's records: Keras 3's optimizer/vars, or tf.keras 2's optimizer_weights. */
export async function optimizerRecords(opt: Optimizer, variables: readonly Tensor[], format: 'h5' | 'keras'): Promise<WeightRecord[]> {
  const entries = stateLayout(opt, variables);
  const values = await opt.getWeights();
  const record = (e: Entry, i: number, name: string): WeightRecord =>
    e.kind === 'iteration' ? { name, shape: [], data: values[i], dtype: 'int64' } : { name, shape: e.shape, data: values[i] };
  if (format === 'keras') return kerasOrder(opt, entries, DEFAULT_KERAS_VERSION.keras).map((i, k) => record(entries[i], i, `optimizer/vars/${k}`));
  // tf.keras 2 creates iter, then its scalars, then the slots; it has no learning-rate variable.
  const rank = (e: Entry) => ({ iteration: 0, scalar: 1, slot: 2, learning_rate: 3 })[e.kind];
  return entries
    .map((e, i) => ({ e, i }))
    .filter(({ e }) => e.kind !== 'learning_rate')
    .sort((a, b) => rank(a.e) - rank(b.e))
    .map(({ e, i }) => record(e, i, keras2Name(opt, e)));
}

/** Keras 3's warning when saved optimizer state does not fit the optimizer (it then keeps a fresh state). */
function skip(opt: Optimizer, where: string, why: string): void {
  console.warn(`webgrad: skipping the optimizer state of ${where} for optimizer '${opt.name}' (${opt.className}): ${why}; training continues with a fresh optimizer state, as Keras does.`);
}

/**
 * Restores the state `records` hold into `opt` (built on `variables` when the file has slots).
 * A file whose state does not fit the optimizer is skipped with a warning, as Keras does; a
 * learning rate equal to the config's in float32 keeps the config's full-precision value.
 */
export function restoreOptimizerState(
  opt: Optimizer,
  variables: readonly Tensor[],
  records: readonly WeightRecord[],
  format: 'h5' | 'keras',
  where: string,
  kerasVersion: string = DEFAULT_KERAS_VERSION.keras,
): void {
  if (records.length === 0) return;
  if (format === 'keras' ? records.length !== opt.weightSpecs().length : records.some((r) => r.shape.length > 0)) opt.build(variables);
  const entries = stateLayout(opt, variables);
  let values: (ArrayLike<number> | undefined)[];
  if (format === 'keras') {
    if (records.length !== entries.length) return skip(opt, where, `it has ${entries.length} variables whereas the saved optimizer has ${records.length}`);
    values = new Array(entries.length);
    kerasOrder(opt, entries, kerasVersion).forEach((i, k) => (values[i] = records[k].data));
  } else {
    const byName = new Map(records.map((r) => [r.name.replace(/^[^/]*\//, ''), r.data]));
    values = entries.map((e) => (e.kind === 'learning_rate' ? [opt.learningRate] : byName.get(keras2Name(opt, e).replace(/^[^/]*\//, ''))));
    const missing = entries.findIndex((_, i) => values[i] === undefined);
    if (missing >= 0) return skip(opt, where, `the file has no ${keras2Name(opt, entries[missing])}`);
  }
  const wrong = entries.findIndex((e, i) => values[i]!.length !== e.shape.reduce((a, b) => a * b, 1));
  if (wrong >= 0) return skip(opt, where, `its state '${entries[wrong].name}' has shape [${entries[wrong].shape.join(', ')}] but the file holds ${values[wrong]!.length} values`);
  entries.forEach((e, i) => {
    if (e.kind === 'learning_rate' && values[i]![0] === Math.fround(opt.learningRate)) values[i] = [opt.learningRate];
  });
  opt.setWeights(values as ArrayLike<number>[]);
}
