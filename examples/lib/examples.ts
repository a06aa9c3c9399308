// The chapter's topic examples by name, for the Node CLIs and the Chrome page's picker.
// Read next: optimizers.ts, schedules.ts, regularization.ts, batch-norm.ts, functional.ts.

import { batchNormExample } from './batch-norm.ts';
import type { ExampleSpec } from './experiment.ts';
import { functionalExample } from './functional.ts';
import { optimizersExample } from './optimizers.ts';
import { regularizationExample } from './regularization.ts';
import { schedulesExample } from './schedules.ts';

export const EXAMPLES: Record<string, ExampleSpec> = {
  optimizers: optimizersExample,
  schedules: schedulesExample,
  regularization: regularizationExample,
  'batch-norm': batchNormExample,
  functional: functionalExample,
};
