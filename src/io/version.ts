// Which Keras versions' files src/io reads: those written by Keras 2 (tf.keras) and Keras 3.
// Keras 1 stored some kernels in other layouts (Keras 2 converts them on load,
// legacy hdf5_format.preprocess_weights_for_loading), which webgrad does not do.

import { ModelFileError } from './errors.ts';

export function checkKerasVersion(version: string, where: string): void {
  const major = Number(/^(\d+)\./.exec(version)?.[1]);
  if (major !== 2 && major !== 3) {
    throw new ModelFileError(
      'unsupported-version',
      `${where}: written by Keras ${JSON.stringify(version)}; only files from Keras 2.x and 3.x are supported (re-save the model with a current Keras)`,
    );
  }
}
