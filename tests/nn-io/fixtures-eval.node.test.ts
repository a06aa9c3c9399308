// The two real Keras files (shared/fixtures/keras), loaded with loadModel and evaluated on
// the real Fashion-MNIST task-A test split each was trained for (8,000 images): accuracy
// and loss must match the README's independent float64 figures, and the loaded model must
// keep training. Node only: the full test split is too slow for SwiftShader (see
// fixtures-browser.test.ts for the Chromium check on a slice).

import { beforeAll, describe, expect, test } from 'vitest';
import { ready } from '../../src/kernels/device.ts';
import { type FashionMnist, loadFashionMnist } from '../../src/data/fashion-mnist.ts';
import { NDArray } from '../../src/data/ndarray.ts';
import { splitDataset, splitDataset3rdEdition } from '../../src/data/split.ts';
import { loadModel } from '../../src/io/save.ts';
import { setSeed } from '../../src/tensor/random.ts';
import { FIXTURES } from '../util/files.ts';

let data: FashionMnist;

beforeAll(async () => {
  await ready();
  data = await loadFashionMnist({ path: '/usr/share/datasets/fashion-mnist' });
});

const cases = [
  {
    file: 'model_A_keras2.4.h5',
    accuracy: '0.9101',
    loss: 0.2528,
    optimizer: { className: 'SGD', iterations: 27500 },
    split: (x: NDArray, y: NDArray) => splitDataset(x, y)[0],
  },
  {
    file: 'model_A_keras3.5.keras',
    accuracy: '0.8942',
    loss: 0.3,
    optimizer: { className: 'SGD', iterations: 27520 },
    split: (x: NDArray, y: NDArray) => splitDataset3rdEdition(x, y)[0],
  },
];

describe.each(cases)('$file', ({ file, accuracy, loss, optimizer, split }) => {
  test('evaluates to the README figures on its 8,000 test-A images, and keeps training', async () => {
    const model = await loadModel(`${FIXTURES}/keras/${file}`);
    expect(model.compiled?.optimizer.className).toBe(optimizer.className);
    expect(model.compiled?.optimizer.iterations).toBe(optimizer.iterations);
    expect(model.compiled?.optimizer.learningRate).toBe(0.0010000000474974513);
    expect(model.compiled?.loss.name).toBe('sparse_categorical_crossentropy');

    const [xTest, yTest] = split(data.test[0].div(255), data.test[1]);
    expect(xTest.length).toBe(8000);
    const [testLoss, testAccuracy] = await model.evaluate(xTest, yTest);
    expect(testAccuracy.toFixed(4)).toBe(accuracy);
    expect(Math.abs(testLoss - loss)).toBeLessThan(1e-3);

    // One short epoch on training images of the same task: finite loss, changed weights.
    const [xTrain, yTrain] = split(data.train[0].div(255).slice(0, 400), data.train[1].slice(0, 400));
    const before = await model.getWeights();
    setSeed(3);
    const history = await model.fit(xTrain, yTrain, { epochs: 1, verbose: 0, seed: 3 });
    const after = await model.getWeights();
    expect(Number.isFinite(history.history.loss[0])).toBe(true);
    expect(history.history.loss[0]).toBeLessThan(1);
    expect(model.compiled?.optimizer.iterations).toBe(optimizer.iterations + Math.ceil(xTrain.length / 32));
    const changed = after.map((w, i) => w.data.some((v, j) => v !== before[i].data[j]));
    expect(changed).toEqual(before.map(() => true));
    model.dispose();
  });
});
