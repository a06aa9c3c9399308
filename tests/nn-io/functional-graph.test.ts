// Functional model configs in each spelling Keras wrote, read into one graph by
// readFunctionalGraph: tf.keras 2's inbound_nodes [[layer, node, tensor, kwargs]] (class_name
// 'Model' up to 2.2.4-tf, 'Functional' after), Keras 3's {args, kwargs} with __keras_tensor__
// histories (Concatenate's inputs as one list argument, {"training": false} on a Dropout call),
// input_layers/output_layers as one triple, a list, or nested lists and dicts, a layer called
// twice (node 1), and the damaged configs each refused with a ModelFileError naming the problem.

import { describe, expect, test } from 'vitest';
import { ModelFileError } from '../../src/io/errors.ts';
import type { KerasJson } from '../../src/io/model-file.ts';
import { readFunctionalGraph } from '../../src/io/config/functional-graph.ts';

const input = (name: string, size: number, key = 'batch_input_shape') => ({ class_name: 'InputLayer', name, config: { [key]: [null, size], dtype: 'float32', name }, inbound_nodes: [] });
const layer = (class_name: string, name: string, inbound_nodes: unknown[]) => ({ class_name, name, config: { name }, inbound_nodes });
const functional = (layers: unknown[], input_layers: unknown, output_layers: unknown, class_name = 'Functional') => ({
  class_name,
  config: { name: 'wide_deep', layers, input_layers, output_layers },
});

/** Keras 3's serialized KerasTensor. */
const kt = (layerName: string, node = 0) => ({ class_name: '__keras_tensor__', config: { shape: [null, 1], dtype: 'float32', keras_history: [layerName, node, 0] } });

/** The chapter's Wide & Deep graph, with a Dropout called with training=False, in tf.keras 2's spelling. */
const keras2WideDeep = (className: string) =>
  functional(
    [
      input('deep_input', 6),
      layer('Dense', 'hidden1', [[['deep_input', 0, 0, {}]]]),
      layer('Dropout', 'drop', [[['hidden1', 0, 0, { training: false }]]]),
      input('wide_input', 5),
      layer('Concatenate', 'concat', [[['wide_input', 0, 0, {}], ['drop', 0, 0, {}]]]),
      layer('Dense', 'main_output', [[['concat', 0, 0, {}]]]),
      layer('Dense', 'aux_output', [[['hidden1', 0, 0, {}]]]),
    ],
    [['wide_input', 0, 0], ['deep_input', 0, 0]],
    [['main_output', 0, 0], ['aux_output', 0, 0]],
    className,
  );

/** The same graph in Keras 3's spelling. */
const keras3WideDeep = () =>
  functional(
    [
      input('deep_input', 6, 'batch_shape'),
      layer('Dense', 'hidden1', [{ args: [kt('deep_input')], kwargs: {} }]),
      layer('Dropout', 'drop', [{ args: [kt('hidden1')], kwargs: { training: false } }]),
      input('wide_input', 5, 'batch_shape'),
      layer('Concatenate', 'concat', [{ args: [[kt('wide_input'), kt('drop')]], kwargs: {} }]),
      layer('Dense', 'main_output', [{ args: [kt('concat')], kwargs: {} }]),
      layer('Dense', 'aux_output', [{ args: [kt('hidden1')], kwargs: { mask: null } }]),
    ],
    [['wide_input', 0, 0], ['deep_input', 0, 0]],
    [['main_output', 0, 0], ['aux_output', 0, 0]],
  );

const ref = (layerName: string, node = 0) => ({ layer: layerName, node, tensor: 0 });

describe('every spelling reads into the same graph', () => {
  const forms: [string, KerasJson][] = [
    ["tf.keras <= 2.2.4-tf (class_name 'Model')", keras2WideDeep('Model')],
    ["tf.keras 2.4+ (class_name 'Functional')", keras2WideDeep('Functional')],
    ['Keras 3 (args/kwargs, __keras_tensor__)', keras3WideDeep()],
  ];
  test.each(forms)('%s', (_, config) => {
    const g = readFunctionalGraph(config, 'file: model config');
    expect(g.name).toBe('wide_deep');
    expect(g.trainable).toBe(true);
    expect(g.layers.map((l) => [l.name, l.className, l.inputShape])).toEqual([
      ['deep_input', 'InputLayer', [6]],
      ['hidden1', 'Dense', null],
      ['drop', 'Dropout', null],
      ['wide_input', 'InputLayer', [5]],
      ['concat', 'Concatenate', null],
      ['main_output', 'Dense', null],
      ['aux_output', 'Dense', null],
    ]);
    // Inputs in input_layers order, which is not the InputLayers' config order.
    expect(g.inputs).toEqual([ref('wide_input'), ref('deep_input')]);
    expect(g.outputs).toEqual([ref('main_output'), ref('aux_output')]);
    const node = (name: string) => g.layers.find((l) => l.name === name)!.nodes[0];
    expect(node('concat')).toEqual({ inputs: [ref('wide_input'), ref('drop')], list: true, training: null });
    expect(node('drop')).toEqual({ inputs: [ref('hidden1')], list: false, training: false });
    expect(node('hidden1')).toEqual({ inputs: [ref('deep_input')], list: false, training: null });
    expect(g.calls.map((c) => c.layer)).toEqual(['hidden1', 'drop', 'concat', 'main_output', 'aux_output']);
  });
});

test('input_layers/output_layers as one triple, nested lists, or a dict (flattened with sorted keys, as tree.flatten)', () => {
  const layers = [input('b', 2), input('a', 3), layer('Concatenate', 'c', [[['b', 0, 0, {}], ['a', 0, 0, {}]]])];
  const read = (inputs: unknown, outputs: unknown) => {
    const g = readFunctionalGraph(functional(layers, inputs, outputs), 'm');
    return [g.inputs.map((r) => r.layer), g.outputs.map((r) => r.layer)];
  };
  expect(read([['b', 0, 0], ['a', 0, 0]], ['c', 0, 0])).toEqual([['b', 'a'], ['c']]);
  expect(read([[['a', 0, 0]], [['b', 0, 0]]], [['c', 0, 0]])).toEqual([['a', 'b'], ['c']]);
  expect(read({ zeta: ['a', 0, 0], alpha: ['b', 0, 0] }, { out: ['c', 0, 0] })).toEqual([['b', 'a'], ['c']]);
});

test('a layer called twice: its second call is node 1, and the calls replay in node order', () => {
  // shared(shared(x)): Keras 3 spelling; also an unnamed entry whose name is only in config.
  const shared = { class_name: 'Dense', config: { name: 'shared' }, inbound_nodes: [{ args: [kt('x')], kwargs: {} }, { args: [kt('shared', 0)], kwargs: {} }] };
  const g = readFunctionalGraph(functional([input('x', 4), shared], [['x', 0, 0]], [['shared', 1, 0]]), 'm');
  expect(g.calls).toEqual([{ layer: 'shared', node: 0 }, { layer: 'shared', node: 1 }]);
  expect(g.layers[1].nodes[1].inputs).toEqual([ref('shared', 0)]);
  expect(g.outputs).toEqual([ref('shared', 1)]);
});

test("a model saved with trainable=false reads as such (tf.keras 2.13's .keras files write it)", () => {
  const config = keras2WideDeep('Functional');
  (config.config as KerasJson).trainable = false;
  expect(readFunctionalGraph(config, 'm').trainable).toBe(false);
});

describe('damaged configs: a ModelFileError naming the problem', () => {
  const rejects = (config: KerasJson, message: RegExp) => {
    expect(() => readFunctionalGraph(config, 'bad.h5: model config')).toThrow(ModelFileError);
    expect(() => readFunctionalGraph(config, 'bad.h5: model config')).toThrow(message);
  };

  test('an unknown inbound layer', () => {
    const layers = [input('x', 4), layer('Dense', 'd', [[['ghost', 0, 0, {}]]])];
    rejects(functional(layers, [['x', 0, 0]], [['d', 0, 0]]), /bad\.h5: model config layers\[1\] \('d'\) inbound_nodes\[0\]: \['ghost', 0, 0\] names an unknown layer 'ghost'/);
  });

  test('an unknown Keras 3 keras_history layer, and a node index past the calls', () => {
    const layers = [input('x', 4), layer('Dense', 'd', [{ args: [kt('nowhere')], kwargs: {} }])];
    rejects(functional(layers, [['x', 0, 0]], [['d', 0, 0]]), /unknown layer 'nowhere'/);
    const past = [input('x', 4), layer('Dense', 'd', [[['x', 3, 0, {}]]])];
    rejects(functional(past, [['x', 0, 0]], [['d', 0, 0]]), /layer 'x' has 1 node\(s\), not node 3/);
  });

  test('a cycle', () => {
    const layers = [input('x', 4), layer('Dense', 'a', [[['b', 0, 0, {}]]]), layer('Dense', 'b', [[['a', 0, 0, {}]]]), layer('Add', 'out', [[['x', 0, 0, {}], ['b', 0, 0, {}]]])];
    rejects(functional(layers, [['x', 0, 0]], [['out', 0, 0]]), /the layers 'a', 'b', 'out' wait on each other's outputs \(a cycle in inbound_nodes\)/);
  });

  test('a missing input: an InputLayer the outputs need but input_layers does not list, or a listed input that is no InputLayer', () => {
    const layers = [input('x', 4), input('y', 4), layer('Add', 'sum', [[['x', 0, 0, {}], ['y', 0, 0, {}]]])];
    rejects(functional(layers, [['x', 0, 0]], [['sum', 0, 0]]), /the outputs depend on the InputLayer\(s\) 'y', which input_layers does not list \(a missing model input\)/);
    rejects(functional(layers, [['x', 0, 0], ['z', 0, 0]], [['sum', 0, 0]]), /input_layers: \['z', 0, 0\] names an unknown layer 'z'/);
    rejects(functional(layers, [['sum', 0, 0]], [['sum', 0, 0]]), /input_layers: \['sum', 0, 0\] is a Add, not an InputLayer/);
    rejects(functional(layers, [], [['sum', 0, 0]]), /model 'wide_deep' lists no input_layers/);
  });

  test('call arguments webgrad cannot honour, malformed nodes, sparse or integer inputs, a nested model, two layers of one name', () => {
    const kwargs = [input('x', 4), layer('Dense', 'd', [{ args: [kt('x')], kwargs: { mask: kt('x') } }])];
    rejects(functional(kwargs, [['x', 0, 0]], [['d', 0, 0]]), /call argument mask=.* is not supported/);
    const twoArgs = [input('x', 4), layer('Dense', 'd', [{ args: [kt('x'), kt('x')], kwargs: {} }])];
    rejects(functional(twoArgs, [['x', 0, 0]], [['d', 0, 0]]), /expected args with one argument/);
    const short = [input('x', 4), layer('Dense', 'd', [[['x', 0]]])];
    rejects(functional(short, [['x', 0, 0]], [['d', 0, 0]]), /expected \[layer_name, node_index, tensor_index, kwargs\], found \["x",0\]/);
    const sparse = [{ ...input('x', 4), config: { batch_shape: [null, 4], sparse: true, name: 'x' } }, layer('Dense', 'd', [[['x', 0, 0, {}]]])];
    rejects(functional(sparse, [['x', 0, 0]], [['d', 0, 0]]), /\(InputLayer 'x'\): sparse=true inputs are not supported/);
    const ints = [{ ...input('x', 4), config: { batch_shape: [null, 4], dtype: 'int32', name: 'x' } }, layer('Dense', 'd', [[['x', 0, 0, {}]]])];
    rejects(functional(ints, [['x', 0, 0]], [['d', 0, 0]]), /dtype "int32" is not supported: webgrad's inputs are float32/);
    const nested = [input('x', 4), layer('Sequential', 'inner', [[['x', 0, 0, {}]]])];
    rejects(functional(nested, [['x', 0, 0]], [['inner', 0, 0]]), /\(Sequential 'inner'\): a model used as a layer of another \(a nested model\) is not supported/);
    const twice = [input('x', 4), layer('Dense', 'x', [[['x', 0, 0, {}]]])];
    rejects(functional(twice, [['x', 0, 0]], [['x', 0, 0]]), /two layers are named 'x'/);
  });
});
