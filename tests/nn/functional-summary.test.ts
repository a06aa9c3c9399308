// Model.summary() against Keras 3's text for chapter 10's Wide & Deep network. The expected
// tables were printed by the real `rich` library (13.3.1, Debian's python3-rich) driven by
// Keras 3's print_summary code (keras/src/utils/summary_utils.py) for the same layers: at
// 76 columns (a notebook or an 80-column terminal), at 108 (a wide terminal), and a chain
// (no merge: no "Connected to" column). The generator: functional-summary.reference.py (its
// `adam` variant printed the optimizer line checked below).
import { beforeAll, describe, expect, test } from 'vitest';
import { Adam, Concatenate, Dense, Input, Model, NDArray, Normalization, ready } from '../../src/index.ts';

beforeAll(async () => {
  await ready();
});

/** The book's Wide & Deep model (8 features), with Keras 3's default names. */
function wideAndDeep(chain = false): Model {
  const input = Input({ shape: [8], name: 'input_layer' });
  const normalized = new Normalization({ name: 'normalization' }).apply(input);
  const hidden1 = new Dense(30, { activation: 'relu', name: 'dense' }).apply(normalized);
  const hidden2 = new Dense(30, { activation: 'relu', name: 'dense_1' }).apply(hidden1);
  const top = chain ? hidden2 : new Concatenate({ name: 'concatenate' }).apply([normalized, hidden2]);
  const output = new Dense(1, { name: 'dense_2' }).apply(top);
  return new Model({ inputs: [input], outputs: [output], name: 'functional' });
}

const KERAS_76 = [
  'Model: "functional"',
  '┏━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━┓',
  '┃ Layer (type)        ┃ Output Shape      ┃    Param # ┃ Connected to      ┃',
  '┡━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━┩',
  '│ input_layer         │ (None, 8)         │          0 │ -                 │',
  '│ (InputLayer)        │                   │            │                   │',
  '├─────────────────────┼───────────────────┼────────────┼───────────────────┤',
  '│ normalization       │ (None, 8)         │         17 │ input_layer[0][0] │',
  '│ (Normalization)     │                   │            │                   │',
  '├─────────────────────┼───────────────────┼────────────┼───────────────────┤',
  '│ dense (Dense)       │ (None, 30)        │        270 │ normalization[0]… │',
  '├─────────────────────┼───────────────────┼────────────┼───────────────────┤',
  '│ dense_1 (Dense)     │ (None, 30)        │        930 │ dense[0][0]       │',
  '├─────────────────────┼───────────────────┼────────────┼───────────────────┤',
  '│ concatenate         │ (None, 38)        │          0 │ normalization[0]… │',
  '│ (Concatenate)       │                   │            │ dense_1[0][0]     │',
  '├─────────────────────┼───────────────────┼────────────┼───────────────────┤',
  '│ dense_2 (Dense)     │ (None, 1)         │         39 │ concatenate[0][0] │',
  '└─────────────────────┴───────────────────┴────────────┴───────────────────┘',
  ' Total params: 1,256 (4.91 KB)',
  ' Trainable params: 1,239 (4.84 KB)',
  ' Non-trainable params: 17 (72.00 B)',
].join('\n');

const KERAS_108 = [
  'Model: "functional"',
  '┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━━━━━┓',
  '┃ Layer (type)                  ┃ Output Shape              ┃         Param # ┃ Connected to               ┃',
  '┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━━━━┩',
  '│ input_layer (InputLayer)      │ (None, 8)                 │               0 │ -                          │',
  '├───────────────────────────────┼───────────────────────────┼─────────────────┼────────────────────────────┤',
  '│ normalization (Normalization) │ (None, 8)                 │              17 │ input_layer[0][0]          │',
  '├───────────────────────────────┼───────────────────────────┼─────────────────┼────────────────────────────┤',
  '│ dense (Dense)                 │ (None, 30)                │             270 │ normalization[0][0]        │',
  '├───────────────────────────────┼───────────────────────────┼─────────────────┼────────────────────────────┤',
  '│ dense_1 (Dense)               │ (None, 30)                │             930 │ dense[0][0]                │',
  '├───────────────────────────────┼───────────────────────────┼─────────────────┼────────────────────────────┤',
  '│ concatenate (Concatenate)     │ (None, 38)                │               0 │ normalization[0][0],       │',
  '│                               │                           │                 │ dense_1[0][0]              │',
  '├───────────────────────────────┼───────────────────────────┼─────────────────┼────────────────────────────┤',
  '│ dense_2 (Dense)               │ (None, 1)                 │              39 │ concatenate[0][0]          │',
  '└───────────────────────────────┴───────────────────────────┴─────────────────┴────────────────────────────┘',
  ' Total params: 1,256 (4.91 KB)',
  ' Trainable params: 1,239 (4.84 KB)',
  ' Non-trainable params: 17 (72.00 B)',
].join('\n');

const KERAS_CHAIN_76 = [
  'Model: "functional"',
  '┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓',
  '┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃',
  '┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩',
  '│ input_layer (InputLayer)        │ (None, 8)              │             0 │',
  '├─────────────────────────────────┼────────────────────────┼───────────────┤',
  '│ normalization (Normalization)   │ (None, 8)              │            17 │',
  '├─────────────────────────────────┼────────────────────────┼───────────────┤',
  '│ dense (Dense)                   │ (None, 30)             │           270 │',
  '├─────────────────────────────────┼────────────────────────┼───────────────┤',
  '│ dense_1 (Dense)                 │ (None, 30)             │           930 │',
  '├─────────────────────────────────┼────────────────────────┼───────────────┤',
  '│ dense_2 (Dense)                 │ (None, 1)              │            31 │',
  '└─────────────────────────────────┴────────────────────────┴───────────────┘',
  ' Total params: 1,248 (4.88 KB)',
  ' Trainable params: 1,231 (4.81 KB)',
  ' Non-trainable params: 17 (72.00 B)',
].join('\n');

describe('Functional summary (Keras 3 text)', () => {
  test('Wide & Deep at 76 columns (the default): cells wrapped, a long connection cut with an ellipsis', () => {
    const lines: string[] = [];
    const text = wideAndDeep().summary((l) => lines.push(l));
    expect(text).toBe(KERAS_76);
    expect(lines.join('\n')).toBe(KERAS_76);
  });

  test('Wide & Deep at 108 columns', () => {
    expect(wideAndDeep().summary(() => {}, { lineLength: 108 })).toBe(KERAS_108);
  });

  test('after fit ran a step, the optimizer\'s state is counted as Keras does (Adam: iteration, learning_rate, m and v)', async () => {
    const model = wideAndDeep();
    model.compile({ optimizer: new Adam(), loss: 'mse' });
    expect(model.summary(() => {})).toBe(KERAS_76); // not built yet: no optimizer line
    await model.fit(new NDArray(new Float32Array(16), [2, 8]), new NDArray(new Float32Array(2), [2, 1]), { verbose: 0 });
    const tail = model.summary(() => {}).split('\n').slice(-4);
    expect(tail).toEqual([' Total params: 3,736 (14.60 KB)', ' Trainable params: 1,239 (4.84 KB)', ' Non-trainable params: 17 (72.00 B)', ' Optimizer params: 2,480 (9.69 KB)']);
    model.dispose();
  });

  test('a chain has no "Connected to" column', () => {
    expect(wideAndDeep(true).summary(() => {})).toBe(KERAS_CHAIN_76);
  });
});
