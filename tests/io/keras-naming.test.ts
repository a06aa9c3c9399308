// Keras 3's names for weight groups (class-based, numbered per class) and which config
// layers own a group (Sequential drops its InputLayer, Functional keeps them).

import { describe, expect, test } from 'vitest';
import { ModelFileError } from '../../src/io/errors.ts';
import { modelLayers, toSnakeCase, weightGroupNames } from '../../src/io/keras-naming.ts';

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
});
