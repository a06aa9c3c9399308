// Keras JSON for the parts of a layer config: {class_name, config} objects for
// initializers, regularizers and constraints (null when absent), as model files hold them.

import type { Constraint } from '../../nn/layers/constraints.ts';
import type { Initializer } from '../../nn/layers/initializers.ts';
import type { Regularizer } from '../../nn/layers/regularizers.ts';

export interface KerasObject {
  class_name: string;
  config: Record<string, unknown>;
}

export const serializeInitializer = (i: Initializer): KerasObject => ({ class_name: i.className, config: { ...i.config } });

export const serializeRegularizer = (r: Regularizer | null): KerasObject | null =>
  r ? { class_name: r.className, config: r.getConfig() } : null;

export const serializeConstraint = (c: Constraint | null): KerasObject | null =>
  c ? { class_name: c.className, config: c.getConfig() } : null;
