// What src/io and the graph reader make of the five real Functional files of
// shared/fixtures/keras-functional, below the model level: the HDF5 weights found by each
// layer's weight_names (`dense_66/dense_66_3/kernel:0`, Keras 3 without `:0`), the `.keras`
// groups by class (tf.keras 2.13 on Windows: `_layer_checkpoint_dependencies\dense`,
// dense_2, dense_4), the graph in input_layers order; a float64 forward pass here over that
// graph and those weights gives fixtures.json's NumPy predictions.

import { expect, test } from 'vitest';
import { readModelFile } from '../../src/io/files.ts';
import type { ModelFile } from '../../src/io/model-file.ts';
import { type FunctionalGraph, readFunctionalGraph } from '../../src/io/config/functional-graph.ts';
import { readBytes } from '../util/files.ts';
import { FUNCTIONAL_DIR, functionalFixtures } from '../util/functional-fixtures.ts';

const DIR = FUNCTIONAL_DIR;
const fixtures = await functionalFixtures();

type Rows = Float64Array[];

/** Float64 forward over the graph: InputLayer, Dense (relu, sigmoid, linear) and Concatenate on the last axis. */
function forward(g: FunctionalGraph, file: ModelFile, inputs: Rows[]): Rows[] {
  const values = new Map<string, Rows>();
  g.inputs.forEach((r, i) => values.set(`${r.layer}#0`, inputs[i]));
  const weights = new Map(file.layers.map((l) => [l.name, l.weights]));
  const act: Record<string, (v: number) => number> = { relu: (v) => Math.max(v, 0), sigmoid: (v) => 1 / (1 + Math.exp(-v)), linear: (v) => v };
  for (const call of g.calls) {
    const layer = g.layers.find((l) => l.name === call.layer)!;
    const ins = layer.nodes[call.node].inputs.map((r) => values.get(`${r.layer}#${r.node}`)!);
    let out: Rows;
    if (layer.className === 'Concatenate') out = ins[0].map((_, b) => Float64Array.from(ins.flatMap((x) => [...x[b]])));
    else {
      expect(layer.className).toBe('Dense');
      const [kernel, bias] = weights.get(layer.name)!;
      const [n, m] = kernel.shape;
      const f = act[(layer.entry.config as { activation: string }).activation];
      out = ins[0].map((row) => Float64Array.from({ length: m }, (_, j) => f(row.reduce((s, v, i) => s + v * kernel.data[i * m + j], bias.data[j]))));
      expect(ins[0][0].length).toBe(n);
    }
    values.set(`${call.layer}#${call.node}`, out);
  }
  return g.outputs.map((r) => values.get(`${r.layer}#${r.node}`)!);
}

const rows = (data: number[], shape: number[]): Rows => Array.from({ length: shape[0] }, (_, b) => Float64Array.from(data.slice(b * shape[1], (b + 1) * shape[1])));

test.each(fixtures)('$file ($keras_version): weights found, graph in input_layers order, NumPy predictions', async (fx) => {
  const file = await readModelFile(await readBytes(`${DIR}/${fx.file}`), fx.file);
  const g = readFunctionalGraph(file.modelConfig, `${fx.file}: model config`);
  expect(g.inputs.map((r) => r.layer)).toEqual(fx.inputs.map((i) => i.layer));
  expect(g.outputs.map((r) => r.layer)).toEqual(fx.outputs.map((o) => o.layer));
  // Every config layer has its weights entry, in config order; Dense layers have kernel and bias.
  expect(file.layers.map((l) => l.name)).toEqual(g.layers.map((l) => l.name));
  for (const l of g.layers) expect(file.layers.find((w) => w.name === l.name)!.weights.length).toBe(l.className === 'Dense' ? 2 : 0);
  const predicted = forward(g, file, fx.inputs.map((i) => rows(i.data, i.shape)));
  fx.outputs.forEach((o, k) => {
    const got = predicted[k].flatMap((r) => [...r]);
    const err = Math.max(...got.map((v, i) => Math.abs(v - o.predictions[i])));
    expect(err).toBeLessThan(1e-5);
  });
});

test('the HDF5 weight paths as stored: the layer name not repeated (tf.keras 2.2.4-tf), Keras 3 without :0', async () => {
  const names = async (f: string) => (await readModelFile(await readBytes(`${DIR}/${f}`), f)).layers.find((l) => l.name === 'main_output')!.weights.map((w) => w.name);
  expect(await names(fixtures[0].file)).toEqual(['main_output_5/kernel:0', 'main_output_5/bias:0']);
  expect(await names('LAMTI-Karim__deep-learning-keras-experiments__my_keras_model.h5')).toEqual(['main_output/kernel', 'main_output/bias']);
});

test("tf.keras 2.13 on Windows: groups _layer_checkpoint_dependencies\\dense, dense_2, dense_4 go to the Dense layers in order", async () => {
  const f = 'ediashta__HaiMeds-Churn-Prediction__functional_model.keras';
  const file = await readModelFile(await readBytes(`${DIR}/${f}`), f);
  expect(file.layers.map((l) => [l.name, l.weights.map((w) => w.name)])).toEqual([
    ['input_1', []],
    ['dense', ['_layer_checkpoint_dependencies\\dense/vars/0', '_layer_checkpoint_dependencies\\dense/vars/1']],
    ['dense_1', ['_layer_checkpoint_dependencies\\dense_2/vars/0', '_layer_checkpoint_dependencies\\dense_2/vars/1']],
    ['concatenate', []],
    ['dense_2', ['_layer_checkpoint_dependencies\\dense_4/vars/0', '_layer_checkpoint_dependencies\\dense_4/vars/1']],
  ]);
});
