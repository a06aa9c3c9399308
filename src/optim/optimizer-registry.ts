// Optimizers by name and by Keras config, like keras.optimizers.get / deserialize: a
// string ('adam', case-insensitive), a {class_name, config} object, or an instance.
// Read next: config.ts (config keys), optimizer.ts.

import { lookup } from '../lookup.ts';
import { Adagrad } from './adagrad.ts';
import { Adam } from './adam.ts';
import { Adamax } from './adamax.ts';
import { AdamW } from './adamw.ts';
import type { OptimizerConfig } from './config.ts';
import { Nadam } from './nadam.ts';
import { Optimizer } from './optimizer.ts';
import { RMSprop } from './rmsprop.ts';
import { SGD } from './sgd.ts';

/** Keras's lower-cased class names (its ALL_OBJECTS_DICT keys) for the optimizers webgrad has. */
const optimizers = {
  sgd: SGD,
  adam: Adam,
  rmsprop: RMSprop,
  adagrad: Adagrad,
  nadam: Nadam,
  adamax: Adamax,
  adamw: AdamW,
};

export type OptimizerName = keyof typeof optimizers;

/** A serialized optimizer as Keras writes it (module and registered_name are optional). */
export interface SerializedOptimizer {
  class_name: string;
  config: OptimizerConfig;
  module?: string | null;
  registered_name?: string | null;
}

interface OptimizerClass {
  new (): Optimizer;
  fromConfig(config: OptimizerConfig): Optimizer;
}

function classFor(className: string): OptimizerClass {
  // tf.keras 2.11+ writes some optimizers as 'Custom>Adam' in HDF5 training configs.
  const key = className.replace(/^Custom>/, '').toLowerCase();
  if (!(key in optimizers)) {
    throw new TypeError(`unknown optimizer '${className}'; valid: ${Object.keys(optimizers).join(', ')}`);
  }
  return optimizers[key as OptimizerName];
}

/** The optimizer a Keras config describes (keras.optimizers.deserialize). */
export function optimizerFromConfig(serialized: SerializedOptimizer): Optimizer {
  return classFor(serialized.class_name).fromConfig(serialized.config ?? {});
}

/** Keras's serialized form of an optimizer (keras.optimizers.serialize). */
export function serializeOptimizer(optimizer: Optimizer): SerializedOptimizer {
  return {
    module: 'keras.optimizers',
    class_name: optimizer.className,
    config: optimizer.getConfig(),
    registered_name: null,
  };
}

/**
 * An optimizer from a name ('sgd', 'adam', any case), a serialized config, or an instance
 * (keras.optimizers.get). An unknown name lists the valid ones and suggests the closest.
 */
export function getOptimizer(identifier: OptimizerName | string | SerializedOptimizer | Optimizer): Optimizer {
  if (identifier instanceof Optimizer) return identifier;
  if (typeof identifier === 'string') return new (lookup('optimizer', identifier, optimizers))();
  return optimizerFromConfig(identifier);
}
