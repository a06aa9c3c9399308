// loadModel, the API's entry to reading a model file. It imports save.ts (and HDF5 behind
// it) on its first call, so a program that only trains never loads them; it lives apart from
// model-files.ts so that the model classes can name the formats without importing themselves
// back. Read next: save.ts (loadModel's work).

import type { Model } from '../nn/model/model.ts';
import type { Sequential } from '../nn/model/sequential.ts';
import type { LoadModelOptions, ModelSource } from './model-files.ts';

/**
 * Keras's load_model for a `.h5` or `.keras` file: the Sequential or Functional model with its
 * layer names, configs and weights (bit for bit) and, unless `compile` is false, its compile
 * information and optimizer state, so that fit() can continue at once (save.ts's loadModel).
 */
export async function loadModel(source: ModelSource, options: LoadModelOptions = {}): Promise<Sequential | Model> {
  return (await import('./save.ts')).loadModel(source, options);
}
