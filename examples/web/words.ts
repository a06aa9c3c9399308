// The page's words: the first view's menu (which section of the chapter each example shows),
// durations as people say them, and the worker's errors turned into what a user can act
// on, with advice that fits where the file came from (picked, dropped or fetched).
// Read next: main.ts.

import type { FromWorker, RunParams } from './protocol.ts';

/** "40 s", "3 min", "1 h 20 min". */
export function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return 'an unknown time';
  if (seconds < 90) return `${Math.max(1, Math.round(seconds))} s`;
  const min = Math.round(seconds / 60);
  return min < 90 ? `${min} min` : `${Math.floor(min / 60)} h ${min % 60} min`;
}

export interface MenuItem {
  title: string;
  section: string;
  query: string;
  /** The settings it runs with (for its expected duration); none for evaluate. */
  params?: Partial<RunParams>;
}

export const MENU: MenuItem[] = [
  { title: 'Transfer learning, the quick way', section: "§ Reusing Pretrained Layers: model A, model B and B on A, epochs × 0.1 on 5,000 images", query: 'example=pipeline&scale=0.1&subset=5000', params: { example: 'pipeline', scale: 0.1, subset: 5000 } },
  { title: 'Transfer learning, as in the book', section: '§ Reusing Pretrained Layers: all images, 20 + 20 + 4 + 16 epochs', query: 'example=pipeline&scale=1', params: { example: 'pipeline', scale: 1, subset: null } },
  { title: 'Faster optimizers', section: '§ Faster Optimizers: SGD, momentum, Nesterov, AdaGrad, RMSProp, Adam, Nadam on one network', query: 'example=optimizers&preset=quick', params: { example: 'optimizers', sizes: { train: 1000, valid: 500, test: 500, epochs: 2 } } },
  { title: 'Learning-rate schedules', section: '§ Learning Rate Scheduling: power, exponential, piecewise, performance, 1cycle', query: 'example=schedules&preset=quick', params: { example: 'schedules', sizes: { train: 500, valid: 300, test: 300, epochs: 4 } } },
  { title: 'Regularization', section: '§ Avoiding Overfitting Through Regularization: ℓ2, dropout, alpha dropout, MC dropout, max-norm', query: 'example=regularization&preset=quick', params: { example: 'regularization', sizes: { train: 1000, valid: 300, test: 300, epochs: 2 } } },
  { title: 'Activations and Batch Normalization', section: '§ The Vanishing/Exploding Gradients Problems: LeakyReLU, PReLU, Batch Normalization', query: 'example=batch-norm&preset=quick', params: { example: 'batch-norm', sizes: { train: 1000, valid: 300, test: 300, epochs: 2 } } },
  { title: 'The Functional API', section: 'chapter 10, § Building Complex Models Using the Functional API: Wide & Deep, then two inputs and an auxiliary output', query: 'example=functional&preset=quick', params: { example: 'functional', sizes: { train: 1000, valid: 300, test: 300, epochs: 2 } } },
  { title: 'Evaluate a Keras model file', section: 'any .h5 or .keras Fashion-MNIST classifier (tf.keras 2 or Keras 3): its summary, accuracy, predictions and confusion matrix; a few seconds', query: 'example=evaluate' },
];

const MODEL_PROBLEMS: Record<string, string> = {
  'unknown-format': 'is not a Keras model file (neither .h5 nor .keras inside)',
  truncated: 'is damaged or cut short',
  'missing-config': 'holds weights but not the model’s description, so it cannot be rebuilt',
  'bad-json': 'has a model description that cannot be read',
  'missing-weights': 'lacks some of the model’s weights',
  'shape-mismatch': 'has weights that do not fit its own model',
  'unsupported-version': 'was written by a Keras version this page cannot read yet',
  'unsupported-content': 'holds something this page cannot read yet',
  'browser-storage': 'could not be kept in or read from this browser’s storage',
};

const DATA_PROBLEMS: Record<string, string> = {
  corrupt: 'is not a Fashion-MNIST data file, or it is damaged',
  truncated: 'is cut short',
  mismatch: 'does not match the other files (images and labels of different sets?)',
  unsupported: 'is not a Fashion-MNIST data file',
  'not-found': 'is missing',
};

/** The first file name a technical message mentions, if any. */
const fileIn = (message: string) => /([\w.-]+\.(?:gz|h5|hdf5|keras))/i.exec(message)?.[1];

/** What to do next, for a file from `source`. */
function advice(source: string | undefined, kind: 'data' | 'model'): string {
  if (source === 'url') return kind === 'data' ? 'Check the address (?data=) and what the server sends there, or pick the four files from your disk.' : 'Check the address; the server must allow this page to read it (CORS).';
  const verb = source === 'dropped' ? 'Drop' : 'Pick';
  return kind === 'data'
    ? `${verb} the four original Fashion-MNIST .gz files (if one came from a download, download it again).`
    : `${verb} another file, or save the model again in Python with model.save("name.keras") or model.save("name.h5").`;
}

/** A worker error in the page's words. */
export function pageError(e: Extract<FromWorker, { type: 'error' }>): string {
  if (e.name === 'PageDataError' || e.name === 'RangeError') return `${e.message} ${e.name === 'PageDataError' ? advice(e.source, 'data') : ''}`.trim();
  if (e.name === 'DatasetError') {
    const file = fileIn(e.message) ?? 'One of the files';
    return `${file} ${DATA_PROBLEMS[e.code ?? ''] ?? 'cannot be read'}. ${advice(e.source, 'data')}`;
  }
  if (e.name === 'ModelFileError' && e.code === 'file-not-found') {
    const url = /https?:\/\/\S+/.exec(e.message)?.[0]?.replace(/:$/, '') ?? 'The model file';
    const http = /HTTP \d+/.exec(e.message)?.[0];
    // An HTTP answer: the address is wrong. None: the server is down or refuses this page (CORS).
    return http ? `${url} could not be fetched (${http}). Check the address.` : `${url} could not be fetched (no answer). ${advice(e.source, 'model')}`;
  }
  if (e.name === 'ModelFileError') {
    const file = fileIn(e.message) ?? 'The model file';
    return `${file} ${MODEL_PROBLEMS[e.code ?? ''] ?? 'cannot be read'}. ${advice(e.source, 'model')}`;
  }
  if (e.request === 'run') return `Training stopped with an error: ${e.message}`;
  return e.message;
}
