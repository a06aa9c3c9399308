// AdamW (Loshchilov & Hutter 2019), Keras 3's form (keras/src/optimizers/adamw.py): Adam
// with the base class's decoupled weight decay w −= w·wd·lr, on by default (0.004).
// Read next: adam.ts (the rule), optimizer.ts (where the decay is applied).

import { Adam, type AdamOptions } from './adam.ts';

export class AdamW extends Adam {
  constructor(options: AdamOptions = {}) {
    if (options.weightDecay === null) {
      throw new RangeError('AdamW: weight_decay must be a number (AdamW without weight decay is Adam), got null');
    }
    super({ ...options, weightDecay: options.weightDecay ?? 0.004 }, { className: 'AdamW', name: 'adamw' });
  }
}
