// How Keras 3 names the groups of a weights file: not by layer name but by class, in the
// order of `model.layers` ('dense', 'dense_1', ... for Dense, Dense, ...), because layer
// names are auto-generated and differ between two builds of one model
// (keras/src/saving/saving_lib.py `_save_container_state`, naming.to_snake_case).
// Read next: weights-h5.ts (the file layout), keras-zip.ts (its use with config.json).

import { ModelFileError } from './errors.ts';
import type { KerasJson } from './model-file.ts';

/** keras.src.utils.naming.to_snake_case: 'BatchNormalization' -> 'batch_normalization'. */
export function toSnakeCase(className: string): string {
  return className
    .replace(/\W+/g, '')
    .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

/** The group names Keras 3 gives a list of saveables of these classes, in order. */
export function weightGroupNames(classNames: string[]): string[] {
  const used = new Map<string, number>();
  return classNames.map((className) => {
    const base = toSnakeCase(className);
    const count = used.get(base);
    used.set(base, count === undefined ? 0 : count + 1);
    return count === undefined ? base : `${base}_${count + 1}`;
  });
}

/** Orders 'dense', 'dense_1', 'dense_2', ..., 'dense_10' as Keras numbered them. */
export function byKerasNumbering(a: string, b: string): number {
  const split = (s: string): [string, number] => {
    const m = /^(.*?)(?:_(\d+))?$/.exec(s) as RegExpExecArray;
    return [m[1], m[2] === undefined ? -1 : Number(m[2])];
  };
  const [baseA, nA] = split(a);
  const [baseB, nB] = split(b);
  return baseA < baseB ? -1 : baseA > baseB ? 1 : nA - nB;
}

/**
 * The group of each layer among the groups a weights file has: Keras's class-based name
 * when the file has every such name; otherwise (tf.keras 2.13 on Windows numbered a
 * Functional model's groups dense, dense_2, dense_4, ...) the k-th layer of a class takes
 * the k-th group of that class by number, when the counts agree; else the layer's own name.
 */
export function matchWeightGroups(layers: LayerEntry[], groups: readonly string[]): (string | undefined)[] {
  const expected = weightGroupNames(layers.map((l) => l.className));
  const have = new Set(groups);
  if (expected.every((g) => have.has(g))) return expected;
  const rank = new Map<string, number>();
  return layers.map((layer, i) => {
    const base = toSnakeCase(layer.className);
    const k = rank.get(base) ?? 0;
    rank.set(base, k + 1);
    const ofClass = groups.filter((g) => new RegExp(`^${base}(_\\d+)?$`).test(g)).sort(byKerasNumbering);
    const count = layers.filter((l) => toSnakeCase(l.className) === base).length;
    if (ofClass.length === count) return ofClass[k];
    return have.has(expected[i]) ? expected[i] : have.has(layer.name) ? layer.name : undefined;
  });
}

export interface LayerEntry {
  className: string;
  name: string;
}

/**
 * The layers of `model.layers` from a model config: every entry of config.layers, less the
 * leading InputLayer of a Sequential model (Keras's Sequential.layers omits it; a
 * Functional model's layers keep their InputLayers).
 */
export function modelLayers(modelConfig: KerasJson, where: string): LayerEntry[] {
  const config = modelConfig.config as KerasJson | undefined;
  const layers = config?.layers;
  if (!Array.isArray(layers)) {
    throw new ModelFileError(
      'unsupported-content',
      `${where}: the model config has no config.layers list (class_name ${JSON.stringify(modelConfig.class_name)}); only Sequential and Functional models are supported`,
    );
  }
  const entries = layers.map((layer: KerasJson, i): LayerEntry => {
    const name = (layer.config as KerasJson | undefined)?.name;
    if (typeof layer.class_name !== 'string' || typeof name !== 'string') {
      throw new ModelFileError('unsupported-content', `${where}: config.layers[${i}] has no class_name or config.name`);
    }
    return { className: layer.class_name, name };
  });
  return modelConfig.class_name === 'Sequential' && entries[0]?.className === 'InputLayer' ? entries.slice(1) : entries;
}
