// cloneModel: Keras's clone_model for a Sequential: the same architecture, layer names and
// configs, each layer rebuilt from its config (layer-config.ts cloneLayer) with FRESH weights
// drawn by its initializers. Nothing is shared with the original, unlike
// `new Sequential(model.layers)`; clone.setWeights(await model.getWeights()) then makes an
// independent copy. The clone is not compiled (as in Keras). Read next: layer-config.ts.

import { cloneLayer } from './layer-config.ts';
import { Sequential } from './sequential.ts';

export function cloneModel(model: Sequential): Sequential {
  const input = model.inputShape;
  const layers = model.layers.map((layer, i) => cloneLayer(layer, i === 0 ? input : null, `cloneModel('${model.name}') layers[${i}]`));
  return new Sequential(layers, { name: model.name });
}
