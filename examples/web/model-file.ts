// The page's model files, in the worker: any Keras .h5/.keras (picked, dropped, or fetched
// from a URL, or one saved to IndexedDB) is loaded, summarized and evaluated on the
// Fashion-MNIST split its outputs say (10: the test set; 8: task A's; 1: task B's), with a
// gallery and a confusion matrix; the trained or loaded model is offered back as a download
// or kept in IndexedDB. Read next: worker.ts, lib/predictions.ts.

import { type Dataset, type FashionMnist, loadModel, ModelFileError, NDArray, Sequential, splitDataset, splitDataset3rdEdition } from 'webgrad.js';
import { classify, confusionMatrix, SPLITS, type SplitName } from '../lib/predictions.ts';
import type { Confusion, EvaluateResult, Gallery, ModelSource } from './protocol.ts';

/** Images in the gallery. */
export const GALLERY_SIZE = 24;

/** A model file the page holds: the last trained model or the one loaded. */
export interface HeldModel {
  bytes: Uint8Array;
  /** Its name without extension, for downloads. */
  name: string;
}

/** The test splits of the data, as the page evaluates on them (pixels / 255, labels float32 class ids). */
export function testSplits(data: FashionMnist): Record<SplitName, Dataset> {
  const x = data.test[0].div(255);
  const y = new NDArray(Float32Array.from(data.test[1].data), data.test[1].shape);
  const [testA, testB] = splitDataset(x, y);
  return { test: [x, y], testA, testA3: splitDataset3rdEdition(x, y)[0], testB };
}

/** The model's input rows: [n, 28, 28] images, or flattened [n, 784] when the model takes vectors. */
function inputsFor(model: Sequential, x: NDArray): NDArray {
  const shape = model.inputShape ?? [28, 28];
  const size = shape.reduce((a, b) => a * b, 1);
  if (size !== 28 * 28) {
    throw new RangeError(`This model takes inputs of shape [${shape.join(', ')}], not Fashion-MNIST's 28 × 28 images: the page cannot evaluate it.`);
  }
  return new NDArray(x.data, [x.length, ...shape], x.scale);
}

/** The model's output count (its last layer's units). */
export function outputsOf(model: Sequential): number {
  return model.layerShapes().at(-1)?.at(-1) ?? 0;
}

/** Predicted class and confidence for every row of `x`. */
export async function predictClasses(model: Sequential, x: NDArray) {
  const out = await model.predict(inputsFor(model, x), { batchSize: 256 });
  const probs = await out.data();
  out.dispose();
  return classify(probs, outputsOf(model));
}

/** The first GALLERY_SIZE images of `test` with the model's predictions. */
export async function gallery(phase: string, model: Sequential, [x, y]: Dataset, split: SplitName): Promise<Gallery> {
  const n = Math.min(GALLERY_SIZE, x.length);
  const rows = x.slice(0, n);
  const pixels = rows.data instanceof Uint8Array && rows.scale === 1 / 255 ? Uint8Array.from(rows.data) : Uint8Array.from(rows.toFloat32(), (v) => Math.round(v * 255));
  const { predicted, confidence } = await predictClasses(model, rows);
  return { phase, pixels, labels: [...SPLITS[split].labels], truth: Array.from(y.slice(0, n).data), predicted, confidence };
}

/** The confusion matrix of the model on `test`. */
export async function confusion(phase: string, model: Sequential, [x, y]: Dataset, split: SplitName): Promise<Confusion> {
  const { predicted } = await predictClasses(model, x);
  const labels = SPLITS[split].labels;
  return { phase, split: SPLITS[split].title, labels: [...labels], ...confusionMatrix(y.data, predicted, labels.length) };
}

/** The bytes of a model file from where the page got it; a failed fetch is the 'file-not-found' ModelFileError. */
export async function modelFileBytes(source: ModelSource): Promise<{ bytes: Uint8Array; name: string }> {
  if (source.kind !== 'url') return { bytes: new Uint8Array(await source.file.arrayBuffer()), name: source.file.name };
  const name = decodeURIComponent(new URL(source.url, location.href).pathname.split('/').pop() || 'model');
  const response = await fetch(source.url).catch((e: unknown) => {
    throw new ModelFileError('file-not-found', `cannot fetch ${source.url}`, { cause: e });
  });
  if (!response.ok) throw new ModelFileError('file-not-found', `cannot fetch ${source.url}: HTTP ${response.status}`);
  return { bytes: new Uint8Array(await response.arrayBuffer()), name };
}

/**
 * The split a model is for, from its outputs. Eight outputs fit either edition's task A
 * (their class numbers differ); the one on which the first 500 images score better is the
 * one it was trained on (the other scores far lower: its classes are shifted).
 */
async function splitFor(model: Sequential, splits: Record<SplitName, Dataset>): Promise<SplitName> {
  const outputs = outputsOf(model);
  if (outputs === 10) return 'test';
  if (outputs === 1) return 'testB';
  if (outputs !== 8) {
    throw new RangeError(`This model has ${outputs} outputs: the page evaluates Fashion-MNIST models with 10 (all classes), 8 (task A) or 1 (task B).`);
  }
  const score = async (s: SplitName) => {
    const [x, y] = splits[s];
    return confusionMatrix(y.slice(0, 500).data, (await predictClasses(model, x.slice(0, 500))).predicted, 8).accuracy;
  };
  return (await score('testA3')) > (await score('testA')) ? 'testA3' : 'testA';
}

/** Loads a model file, evaluates it on its split; the gallery and confusion go to `show`. */
export async function evaluateFile(
  file: { bytes: Uint8Array; name: string },
  splits: Record<SplitName, Dataset>,
  show: (g: Gallery, c: Confusion) => void,
): Promise<EvaluateResult> {
  const loaded = await loadModel(new File([file.bytes as Uint8Array<ArrayBuffer>], file.name));
  if (!(loaded instanceof Sequential)) {
    const { inputNames, outputNames } = loaded;
    loaded.dispose();
    throw new ModelFileError(
      'unsupported-content',
      `${file.name} holds a Functional model (${inputNames.length} input${inputNames.length === 1 ? '' : 's'}, ${outputNames.length} output${outputNames.length === 1 ? '' : 's'}): this page evaluates Sequential Fashion-MNIST classifiers. Load it in your own code with loadModel()`,
    );
  }
  const model = loaded;
  try {
    const lines: string[] = [];
    model.summary((l) => lines.push(l));
    const split = await splitFor(model, splits);
    const outputs = outputsOf(model);
    // A file saved without its compile state: the loss its outputs imply.
    if (!model.compiled) model.compile({ optimizer: 'sgd', loss: outputs === 1 ? 'binary_crossentropy' : 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
    const [x, y] = splits[split];
    const [loss] = await model.evaluate(inputsFor(model, x), y, { batchSize: 256 });
    const c = await confusion(file.name, model, splits[split], split);
    show(await gallery(file.name, model, splits[split], split), c);
    return { file: file.name, summary: lines.join('\n'), outputs, split: SPLITS[split].title, accuracy: c.accuracy, loss, confusion: c.matrix };
  } finally {
    model.dispose();
  }
}

/** The held model as a file in `format` (a .keras file is converted by loading it). */
export async function modelAs(held: HeldModel, format: 'h5' | 'keras'): Promise<Uint8Array> {
  const model = await loadModel(held.bytes);
  try {
    return await model.toBytes(format);
  } finally {
    model.dispose();
  }
}

/** Keeps the held model in this browser's IndexedDB; returns its key (loadModel reads it back). */
export async function keepInIndexedDB(held: HeldModel): Promise<string> {
  const key = `indexeddb://${held.name}`;
  const model = await loadModel(held.bytes);
  try {
    await model.save(key);
  } finally {
    model.dispose();
  }
  return key;
}
