// Keras 3's names for weight groups (class-based, numbered per class) and which config
// layers own a group (Sequential drops its InputLayer, Functional keeps them), and how a
// file's groups are matched to layers when its numbering is not Keras 3's.

import { describe, expect, test } from 'vitest';
import { ModelFileError } from '../../src/io/errors.ts';
import { matchWeightGroups, modelLayers, toSnakeCase, weightGroupNames } from '../../src/io/keras-naming.ts';

describe('Keras 3 weight group names', () => {
  test('toSnakeCase as keras.src.utils.naming.to_snake_case', () => {
    const cases: [string, string][] = [
      ['Dense', 'dense'],
      ['BatchNormalization', 'batch_normalization'],
      ['AlphaDropout', 'alpha_dropout'],
      ['Conv2D', 'conv2d'],
      ['LSTM', 'lstm'],
      ['GRUCell', 'gru_cell'],
      ['PReLU', 'p_re_lu'],
    ];
    expect(cases.map(([c]) => toSnakeCase(c))).toEqual(cases.map(([, s]) => s));
  });

  test('numbered per class, in order', () => {
    expect(weightGroupNames(['Flatten', 'Dense', 'Dense', 'Dropout', 'Dense', 'Dropout'])).toEqual([
      'flatten',
      'dense',
      'dense_1',
      'dropout',
      'dense_2',
      'dropout_1',
    ]);
  });

  test('model layers: a Sequential without its InputLayer, a Functional with its InputLayers', () => {
    const layer = (class_name: string, name: string) => ({ class_name, config: { name } });
    const layers = [layer('InputLayer', 'input'), layer('Dense', 'd')];
    expect(modelLayers({ class_name: 'Sequential', config: { layers } }, 'm')).toEqual([
      { className: 'Dense', name: 'd' },
    ]);
    expect(modelLayers({ class_name: 'Functional', config: { layers } }, 'm').map((l) => l.name)).toEqual([
      'input',
      'd',
    ]);
    expect(() => modelLayers({ class_name: 'MyModel', config: {} }, 'm.keras')).toThrow(ModelFileError);
    expect(() => modelLayers({ class_name: 'MyModel', config: {} }, 'm.keras')).toThrow(
      /m\.keras: the model config has no config\.layers list \(class_name "MyModel"\)/,
    );
  });

  test("a file's groups matched to layers: Keras 3's names, tf.keras 2.13's numbering by 2, or the layer's own name", () => {
    const layers = [
      { className: 'InputLayer', name: 'input_1' },
      { className: 'Dense', name: 'a' },
      { className: 'Dense', name: 'b' },
      { className: 'Concatenate', name: 'c' },
      { className: 'Dense', name: 'd' },
    ];
    const keras3 = ['input_layer', 'dense', 'dense_1', 'concatenate', 'dense_2'];
    expect(matchWeightGroups(layers, keras3)).toEqual(keras3);
    expect(matchWeightGroups(layers, ['concatenate', 'dense', 'dense_4', 'dense_2', 'input_layer'])).toEqual(['input_layer', 'dense', 'dense_2', 'concatenate', 'dense_4']);
    // Counts that disagree: Keras's name where the file has it, else the layer's own name, else none.
    expect(matchWeightGroups(layers, ['input_layer', 'dense', 'b', 'concatenate'])).toEqual(['input_layer', 'dense', 'b', 'concatenate', undefined]);
  });
});
