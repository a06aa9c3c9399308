// Saving to and loading from the file system (node only): model.save / loadModel by path
// for each extension, atomic replacement (an injected failure mid-save keeps the old file
// and leaves no temporary file), and ModelCheckpoint writing files as Keras does.

import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest';
import { ModelFileError } from '../../src/io/errors.ts';
import { ready } from '../../src/kernels/device.ts';
import { checkpointPath, ModelCheckpoint } from '../../src/io/checkpoint.ts';
import { cloneModel } from '../../src/nn/model/clone.ts';
import { Dense } from '../../src/nn/layers/dense.ts';
import { Flatten } from '../../src/nn/layers/flatten.ts';
import { Input } from '../../src/nn/layers/input-layer.ts';
import { Concatenate } from '../../src/nn/layers/merge.ts';
import { Model } from '../../src/nn/model/model.ts';
import { loadModel } from '../../src/io/save.ts';
import type { FitContext } from '../../src/nn/model/training.ts';
import { SGD } from '../../src/optim/sgd.ts';
import { setSeed } from '../../src/tensor/random.ts';
import { bits, compileWith, richData, richModel } from './models.ts';

/** Test seam: when set, every atomic write fails after its temporary file is complete, before the rename. */
const failure = vi.hoisted(() => ({ message: null as string | null }));
vi.mock('../../src/io/node-files.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/io/node-files.ts')>();
  const writeFileAtomic: typeof real.writeFileAtomic = (path, bytes, options) =>
    real.writeFileAtomic(path, bytes, {
      ...options,
      beforeRename: (temp) => {
        if (failure.message) throw new Error(failure.message);
        return options?.beforeRename?.(temp);
      },
    });
  return { ...real, writeFileAtomic };
});

let dir = '';
beforeAll(async () => {
  await ready();
});
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'webgrad-nn-io-'));
  failure.message = null;
});
afterEach(async () => {
  vi.restoreAllMocks();
  await rm(dir, { recursive: true, force: true });
});

const [x, y] = richData(32);
const weightBits = async (m: { getWeights(): Promise<{ data: Float32Array | Uint8Array }[]> }) => (await m.getWeights()).map((w) => bits(w.data as Float32Array));

describe('save and load by path', () => {
  test('.h5, .hdf5, .keras and .weights.h5 files', async () => {
    setSeed(1);
    const model = compileWith(richModel(), new SGD({ momentum: 0.9 }));
    await model.fit(x, y, { epochs: 1, verbose: 0 });
    const want = await weightBits(model);
    for (const name of ['a.h5', 'b.hdf5', 'c.keras']) {
      await model.save(join(dir, name));
      const loaded = await loadModel(join(dir, name));
      expect(await weightBits(loaded)).toEqual(want);
      expect(loaded.compiled?.optimizer.iterations).toBe(1);
      loaded.dispose();
    }
    await model.saveWeights(join(dir, 'd.weights.h5'));
    const fresh = compileWith(cloneModel(model), new SGD({ momentum: 0.9 }));
    await fresh.loadWeights(join(dir, 'd.weights.h5'));
    expect(await weightBits(fresh)).toEqual(want);
    expect(fresh.compiled?.optimizer.iterations).toBe(1);
    expect((await readdir(dir)).sort()).toEqual(['a.h5', 'b.hdf5', 'c.keras', 'd.weights.h5']);
    const missing = await loadModel(join(dir, 'nope.keras')).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ModelFileError);
    expect((missing as ModelFileError).message).toBe(`no such file: ${join(dir, 'nope.keras')}`);
    model.dispose();
    fresh.dispose();
  });

  test.each(['model.h5', 'model.keras', 'model.weights.h5'])('a failure mid-save leaves the existing %s intact', async (name) => {
    setSeed(2);
    const model = compileWith(richModel(), new SGD());
    const path = join(dir, name);
    const save = () => (name.endsWith('.weights.h5') ? model.saveWeights(path) : model.save(path));
    await save();
    const before = await readFile(path);
    await model.fit(x, y, { epochs: 1, verbose: 0 });
    failure.message = 'No space left on device (injected)';
    const error = await save().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelFileError);
    expect((error as ModelFileError).code).toBe('write-failed');
    expect((error as ModelFileError).message).toMatch(/No space left on device \(injected\)/);
    expect(await readFile(path)).toEqual(before);
    expect(await readdir(dir)).toEqual([name]);
    failure.message = null;
    await save();
    expect(await readFile(path)).not.toEqual(before);
    model.dispose();
  });
});

describe('ModelCheckpoint', () => {
  test('saveBestOnly writes only when the monitored value improves, and the file loads', async () => {
    setSeed(3);
    const model = compileWith(richModel(), new SGD());
    model.build();
    const checkpoint = new ModelCheckpoint({ filepath: join(dir, 'best-{epoch:02d}-{val_loss:.3f}.keras'), saveBestOnly: true });
    const context: FitContext = { model, optimizer: model.compiled!.optimizer, stopTraining: false };
    checkpoint.context = context;
    const saved: string[][] = [];
    for (const [epoch, valLoss] of [0.5, 0.7, 0.4, 0.4, 0.45].entries()) {
      await checkpoint.onEpochEnd(epoch, { loss: 1, val_loss: valLoss });
      saved.push((await readdir(dir)).sort());
    }
    expect(saved.at(-1)).toEqual(['best-01-0.500.keras', 'best-03-0.400.keras']);
    expect(saved.map((s) => s.length)).toEqual([1, 1, 2, 2, 2]);
    expect(checkpoint.best).toBe(0.4);
    const loaded = await loadModel(join(dir, 'best-03-0.400.keras'));
    expect(await weightBits(loaded)).toEqual(await weightBits(model));
    loaded.dispose();

    // 'auto' maximizes accuracy; a missing monitor is skipped with a warning, as in Keras.
    const byAccuracy = new ModelCheckpoint({ filepath: join(dir, 'acc-{epoch}.weights.h5'), monitor: 'val_accuracy', saveBestOnly: true, saveWeightsOnly: true });
    byAccuracy.context = context;
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    for (const [epoch, acc] of [0.5, 0.4, 0.6].entries()) await byAccuracy.onEpochEnd(epoch, { val_accuracy: acc });
    await byAccuracy.onEpochEnd(3, { loss: 1 });
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/can save the best model only with val_accuracy available/));
    expect((await readdir(dir)).filter((f) => f.startsWith('acc-')).sort()).toEqual(['acc-1.weights.h5', 'acc-3.weights.h5']);
    model.dispose();
  });

  test('during fit: one file per epoch, the last equal to the trained model', async () => {
    setSeed(4);
    const model = compileWith(richModel(), new SGD({ learningRate: 0.05 }));
    const checkpoint = new ModelCheckpoint({ filepath: join(dir, 'epoch-{epoch}.h5') });
    await model.fit(x, y, { epochs: 2, verbose: 0, validationData: [x, y], callbacks: [checkpoint] });
    expect((await readdir(dir)).sort()).toEqual(['epoch-1.h5', 'epoch-2.h5']);
    const last = await loadModel(join(dir, 'epoch-2.h5'));
    expect(await weightBits(last)).toEqual(await weightBits(model));
    expect(last.compiled?.optimizer.iterations).toBe(2);
    last.dispose();
    model.dispose();
  });

  test('a Functional model (two inputs, two outputs): one .keras file per epoch, the last equal to the trained model', async () => {
    setSeed(5);
    const wide = Input({ shape: [3, 4] });
    const deep = Input({ shape: [3, 4] });
    const joined = new Concatenate().apply([new Flatten().apply(wide), new Dense(6, { activation: 'relu' }).apply(new Flatten().apply(deep))]);
    const model = new Model({ inputs: [wide, deep], outputs: [new Dense(4, { activation: 'softmax', name: 'main' }).apply(joined), new Dense(4, { activation: 'softmax', name: 'aux' }).apply(joined)] });
    model.compile({ optimizer: new SGD({ learningRate: 0.05 }), loss: 'sparse_categorical_crossentropy', lossWeights: [0.9, 0.1] });
    const checkpoint = new ModelCheckpoint({ filepath: join(dir, 'graph-{epoch}.keras') });
    await model.fit([x, x], [y, y], { epochs: 2, verbose: 0, callbacks: [checkpoint] });
    expect((await readdir(dir)).sort()).toEqual(['graph-1.keras', 'graph-2.keras']);
    const last = await loadModel(join(dir, 'graph-2.keras'));
    expect(last).toBeInstanceOf(Model);
    expect(await weightBits(last)).toEqual(await weightBits(model));
    expect(last.compiled?.outputs.map((o) => o.weight)).toEqual([0.9, 0.1]);
    last.dispose();
    model.dispose();
  });

  test('paths and options: Python format fields, extensions checked up front', () => {
    expect(checkpointPath('m-{epoch:03d}-{val_loss:.2f}-{loss:.1e}.keras', 4, { val_loss: 0.12345, loss: 0.000123 })).toBe('m-005-0.12-1.2e-04.keras');
    expect(checkpointPath('m-{epoch}.keras', 0, {})).toBe('m-1.keras');
    expect(() => checkpointPath('m-{val_acc}.keras', 0, { loss: 1 })).toThrow(/uses \{val_acc\}, which is not in the logs \(loss, epoch\)/);
    expect(() => new ModelCheckpoint({ filepath: 'w.keras', saveWeightsOnly: true })).toThrow(/must end in '\.weights\.h5' when saveWeightsOnly is true/);
    expect(() => new ModelCheckpoint({ filepath: 'w.weights.h5' })).toThrow(/must end in '\.keras' or '\.h5'/);
  });
});
