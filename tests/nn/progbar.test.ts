// The progress bar prints tf.keras's line (the book's):
//   1375/1375 [==============================] - 6s 4ms/step - loss: 0.2156 - accuracy: 0.9259
// checked through a captured write function, in place (TTY) and one line per epoch, and
// through fit(verbose: 1) itself.
import { afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import { Dense, ndarray, ready, Sequential, SGD, setSeed } from '../../src/index.ts';
import { formatTime, formatValue, ProgbarLogger } from '../../src/nn/callbacks/progbar.ts';
import { f32 } from './reference.ts';

beforeAll(async () => {
  await ready();
});

afterEach(() => {
  vi.restoreAllMocks();
});

const NUM = String.raw`\d+\.\d{4}(e[+-]\d{2})?`;
const LINE = new RegExp(String.raw`^(\d+)/(\d+) \[={30}\] - \d+s \d+(ms|us|s)/step - loss: ${NUM} - accuracy: ${NUM}$`);

describe('ProgbarLogger', () => {
  test('one line per epoch when not on a terminal: "Epoch i/n", then the final line', () => {
    const out: string[] = [];
    const bar = new ProgbarLogger(1375, 2, (s) => out.push(s), false);
    for (const epoch of [0, 1]) {
      bar.onEpochBegin(epoch);
      for (let b = 0; b < 1375; b++) bar.onBatchEnd(b, { batch: b, size: 32 });
      bar.onEpochEnd(epoch, { loss: 0.21564, accuracy: 0.92591, val_loss: 0.23333, val_accuracy: 0.921 });
    }
    expect(out).toHaveLength(4);
    expect(out[0]).toBe('Epoch 1/2');
    expect(out[2]).toBe('Epoch 2/2');
    expect(out[1]).toMatch(/^1375\/1375 \[={30}\] - 0s \d+us\/step - loss: 0\.2156 - accuracy: 0\.9259 - val_loss: 0\.2333 - val_accuracy: 0\.9210$/);
  });

  test('on a terminal the line is redrawn in place (\\r, padded) with > and an ETA, then ends with a newline', () => {
    const out: string[] = [];
    const bar = new ProgbarLogger(10, 1, (s) => out.push(s), true);
    bar.onEpochBegin(0);
    bar.onBatchEnd(0, { batch: 0, size: 32, loss: 1.5 });
    bar.onBatchEnd(9, { batch: 9, size: 32, loss: 0.5 });
    bar.onEpochEnd(0, { loss: 0.5 });
    // No "Epoch 1/1" header for a single epoch (Keras prints it only when epochs > 1).
    expect(out[0]).toBe('\r 1/10 [==>...........................] - ETA: 0s - loss: 1.5000');
    // Per step: us or ms here, or "0s" where the clock is coarse (a browser's) and no time
    // passed: Keras writes a zero time as 0s too.
    expect(out[1]).toMatch(/^\r10\/10 \[={30}\] - 0s (\d+(us|ms)|0s)\/step - loss: 0\.5000\s*$/);
    expect(out.at(-1)).toMatch(/^\r10\/10 \[={30}\] - 0s (\d+(us|ms)|0s)\/step - loss: 0\.5000\s*\n$/);
  });

  test("numbers and times in Keras's formats", () => {
    expect(formatValue(0.215649)).toBe('0.2156');
    expect(formatValue(1.2345e-4)).toBe('1.2345e-04');
    expect(formatValue(0)).toBe('0.0000e+00');
    expect(formatValue(NaN)).toBe('nan');
    expect(formatValue(-Infinity)).toBe('-inf');
    expect(formatTime(0.0043, 'step')).toBe('4ms/step');
    expect(formatTime(0.00051, 'step')).toBe('510us/step');
    expect(formatTime(0, 'step')).toBe('0s/step'); // Keras's rule: 0 is written in seconds
    expect(formatTime(2.4, 'step')).toBe('2s/step');
  });

  test('fit(verbose: 1) prints the header and the line for every epoch (console.log off a terminal)', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    setSeed(1);
    const m = new Sequential([new Dense(3, { activation: 'softmax', inputShape: [4] })]);
    m.compile({ optimizer: new SGD(), loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
    await m.fit(ndarray(f32(40, 1), [10, 4]), ndarray(Array.from({ length: 10 }, (_, i) => i % 3)), { epochs: 2, batchSize: 4 });
    const lines = log.mock.calls.map((c) => String(c[0]));
    expect(lines).toHaveLength(4);
    expect(lines[0]).toBe('Epoch 1/2');
    expect(lines[1]).toMatch(LINE);
    expect(lines[1].startsWith('3/3 ')).toBe(true);
    expect(lines[3]).toMatch(LINE);
    m.dispose();
  });
});
