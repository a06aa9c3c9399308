// cloneModel: Keras's clone_model: the same architecture, layer names and configs, each layer
// rebuilt from its config (layer-config.ts cloneLayer) with FRESH weights drawn by its
// initializers. Nothing is shared with the original, unlike `new Sequential(model.layers)`;
// clone.setWeights(await model.getWeights()) then makes an independent copy. A Functional
// model's graph is rebuilt by applying the new layers node by node, in the original's order;
// a layer shared by two nodes stays shared. The clone is not compiled (as in Keras).
// Read next: src/io/config/layer-config.ts, model.ts.

import { cloneLayer } from '../../io/config/layer-config.ts';
import type { Layer, SymbolicTensor } from '../layers/layer.ts';
import { InputLayer } from '../layers/input-layer.ts';
import { Model } from './model.ts';
import { Sequential } from './sequential.ts';

export function cloneModel(model: Sequential): Sequential;
export function cloneModel(model: Model): Model;
export function cloneModel(model: Sequential | Model): Sequential | Model;
export function cloneModel(model: Sequential | Model): Sequential | Model {
  const where = (i: number) => `cloneModel('${model.name}') layers[${i}]`;
  if (model instanceof Sequential) {
    const input = model.inputShape;
    return new Sequential(model.layers.map((layer, i) => cloneLayer(layer, i === 0 ? input : null, where(i))), { name: model.name });
  }
  const fresh = new Map<Layer, Layer>(
    model.layers.map((l, i) => [l, l instanceof InputLayer ? new InputLayer({ shape: l.inputShape!, name: l.name }) : cloneLayer(l, null, where(i))]),
  );
  const tensors = new Map<SymbolicTensor, SymbolicTensor>();
  for (const t of model.inputs) tensors.set(t, (fresh.get(t.layer) as InputLayer).output);
  for (const node of model.nodes) {
    if (node.inputs.length === 0) continue;
    const ins = node.inputs.map((t) => tensors.get(t)!);
    const layer = fresh.get(node.layer)!;
    const out = node.listInput ? layer.apply(ins) : layer.apply(ins[0]);
    if (node.training !== undefined) out.node.training = node.training; // a call fixed to training=false stays so
    tensors.set(node.outputs[0], out);
  }
  const outputs = model.outputs.map((t) => tensors.get(t)!);
  return new Model({ inputs: model.inputs.map((t) => tensors.get(t)!), outputs: model.listOutputs ? outputs : outputs[0], name: model.name });
}
