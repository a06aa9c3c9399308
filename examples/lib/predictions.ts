// What a classifier makes of a test set: the predicted class and its confidence per image
// (softmax outputs: the argmax; one sigmoid output: 1 when p >= 0.5), the confusion matrix
// (rows: true class, columns: predicted) and its accuracy, and the class names of each
// Fashion-MNIST split a model may have been trained on. Used by the page's worker (../web/).
// Read next: ../web/worker.ts.

import { CLASS_NAMES } from './example-data.ts';

export interface Classified {
  predicted: number[];
  confidence: number[];
}

/** Predicted class and confidence from `probs` (n rows of `outputs` values). */
export function classify(probs: Float32Array, outputs: number): Classified {
  const n = probs.length / outputs;
  const predicted: number[] = [];
  const confidence: number[] = [];
  for (let i = 0; i < n; i++) {
    if (outputs === 1) {
      const p = probs[i];
      predicted.push(p >= 0.5 ? 1 : 0);
      confidence.push(p >= 0.5 ? p : 1 - p);
      continue;
    }
    let best = 0;
    for (let k = 1; k < outputs; k++) if (probs[i * outputs + k] > probs[i * outputs + best]) best = k;
    predicted.push(best);
    confidence.push(probs[i * outputs + best]);
  }
  return { predicted, confidence };
}

/** The k × k confusion matrix of true against predicted classes, and the accuracy (its trace / n). */
export function confusionMatrix(truth: ArrayLike<number>, predicted: number[], k: number): { matrix: number[][]; accuracy: number } {
  const matrix = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  let correct = 0;
  for (let i = 0; i < predicted.length; i++) {
    matrix[truth[i]][predicted[i]]++;
    if (truth[i] === predicted[i]) correct++;
  }
  return { matrix, accuracy: predicted.length ? correct / predicted.length : 0 };
}

/** The splits of the Fashion-MNIST test set a model may be for, and their class names. */
export const SPLITS = {
  test: { title: 'the test set (10 classes)', labels: CLASS_NAMES },
  testA: { title: "task A's test split (2nd edition: no sandal, no shirt)", labels: CLASS_NAMES.filter((_, c) => c !== 5 && c !== 6) },
  testA3: { title: "task A's test split (3rd edition: no T-shirt/top, no pullover)", labels: CLASS_NAMES.filter((_, c) => c !== 0 && c !== 2) },
  testB: { title: "task B's test split (sandal 0, shirt 1)", labels: ['Sandal', 'Shirt'] },
} as const;
export type SplitName = keyof typeof SPLITS;
