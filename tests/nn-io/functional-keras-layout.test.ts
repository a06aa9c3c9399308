// What webgrad writes for a Functional model, read back by jsfive (not h5wasm) and set beside
// what Keras wrote: a real tf.keras 2.4 Functional `.h5` loaded and saved again has the same
// model_config JSON and the same model_weights groups, datasets, dtypes and shapes; a real
// Keras 3.10 `.keras` saved again has the same graph (inbound_nodes with __keras_tensor__
// histories, input_layers, output_layers) and the same weight groups (layers/input_layer,
// layers/dense, ...). Keras must be able to load what webgrad saves.

import { unzipSync } from 'fflate';
import type { Group } from 'jsfive';
import { beforeAll, expect, test } from 'vitest';
import type { KerasJson } from '../../src/io/model-file.ts';
import { ready } from '../../src/kernels/device.ts';
import { loadModel } from '../../src/io/save.ts';
import { openJsfive, walk } from '../io/jsfive-reader.ts';
import { FIXTURES, readBytes } from '../util/files.ts';

const DIR = `${FIXTURES}/keras-functional`;
const H5 = 'rogersaloo__example__functional_model.h5';
const KERAS = 'keshaviscool__learning_ml__callback_tester_model.keras';

beforeAll(async () => {
  await ready();
});

/** A root attribute of an HDF5 file as jsfive reads it, parsed as JSON. */
const jsonAttr = (bytes: Uint8Array, name: string) => JSON.parse(openJsfive(bytes).attrs[name] as string) as KerasJson;

test(`${H5} (tf.keras 2.4), loaded and saved as .h5: Keras's model_config and model_weights layout`, async () => {
  const fixture = await readBytes(`${DIR}/${H5}`);
  const model = await loadModel(fixture);
  const saved = await model.toBytes('h5');
  expect(jsonAttr(saved, 'model_config')).toEqual(jsonAttr(fixture, 'model_config'));
  const weights = (bytes: Uint8Array) => walk(openJsfive(bytes).get('model_weights') as Group);
  expect(weights(saved)).toEqual(weights(fixture));
  const layerNames = (bytes: Uint8Array) => (openJsfive(bytes).get('model_weights') as Group).attrs.layer_names;
  expect(layerNames(saved)).toEqual(layerNames(fixture));
  const training = jsonAttr(saved, 'training_config');
  expect([training.loss, training.loss_weights]).toEqual([{ main_output: 'mean_squared_error', aux_output: 'mean_squared_error' }, { main_output: 0.9, aux_output: 0.1 }]);
  model.dispose();
});

test(`${KERAS} (Keras 3.10), loaded and saved as .keras: the same graph and weight groups`, async () => {
  const fixture = unzipSync(await readBytes(`${DIR}/${KERAS}`));
  const model = await loadModel(await readBytes(`${DIR}/${KERAS}`));
  const saved = unzipSync(await model.toBytes('keras'));
  const config = (entries: Record<string, Uint8Array>) => JSON.parse(new TextDecoder().decode(entries['config.json'])) as KerasJson;
  const graph = (c: KerasJson) => {
    const { layers, input_layers, output_layers } = c.config as KerasJson;
    const nodes = (layers as KerasJson[]).map((l) => [l.name, l.class_name, l.inbound_nodes]);
    return { nodes, input_layers, output_layers, module: c.module, class_name: c.class_name, registered_name: c.registered_name };
  };
  expect(graph(config(saved))).toEqual(graph(config(fixture)));
  const groups = (entries: Record<string, Uint8Array>) => walk(openJsfive(entries['model.weights.h5']).get('layers') as Group);
  expect(groups(saved)).toEqual(groups(fixture));
  model.dispose();
});
