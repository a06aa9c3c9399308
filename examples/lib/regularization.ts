// "Avoiding overfitting through regularization" (Hands-On ML 2nd ed., ch. 11 notebook):
// ℓ2 with the partial-style RegularizedDense, dropout, alpha dropout, MC dropout (the mean
// and spread of 100 stochastic predictions, per class) and max-norm; their learning curves.
// Used by ../regularization.ts (Node) and ../web/ (Chrome).

import {
  AlphaDropout,
  Dense,
  Dropout,
  Flatten,
  l2,
  maxNorm,
  mcPredict,
  Sequential,
  SGD,
  setSeed,
  withDefaults,
} from 'webgrad.js';
import { CLASS_NAMES, type ExampleData } from './example-data.ts';
import { type ChartSpec, type ExampleOptions, type ExampleOutput, type ExampleSpec, finalTable, metricChart, type RunResult, trainRun } from './experiment.ts';

// RegularizedDense = partial(keras.layers.Dense, activation="elu",
//                            kernel_initializer="he_normal",
//                            kernel_regularizer=keras.regularizers.l2(0.01))
const RegularizedDense = withDefaults(Dense, { activation: 'elu', kernelInitializer: 'he_normal', kernelRegularizer: l2(0.01) });

// MaxNormDense = partial(keras.layers.Dense, activation="selu", kernel_initializer="lecun_normal",
//                        kernel_constraint=keras.constraints.max_norm(1.))
const MaxNormDense = withDefaults(Dense, { activation: 'selu', kernelInitializer: 'lecun_normal', kernelConstraint: maxNorm(1) });

const l2Model = () =>
  new Sequential([
    new Flatten({ inputShape: [28, 28] }),
    new RegularizedDense(300),
    new RegularizedDense(100),
    new RegularizedDense(10, { activation: 'softmax' }),
  ]);

const dropoutModel = () =>
  new Sequential([
    new Flatten({ inputShape: [28, 28] }),
    new Dropout(0.2),
    new Dense(300, { activation: 'elu', kernelInitializer: 'he_normal' }),
    new Dropout(0.2),
    new Dense(100, { activation: 'elu', kernelInitializer: 'he_normal' }),
    new Dropout(0.2),
    new Dense(10, { activation: 'softmax' }),
  ]);

// Alpha dropout keeps SELU's self-normalization (mean and variance of the inputs).
const alphaDropoutModel = () =>
  new Sequential([
    new Flatten({ inputShape: [28, 28] }),
    new AlphaDropout(0.2),
    new Dense(300, { activation: 'selu', kernelInitializer: 'lecun_normal' }),
    new AlphaDropout(0.2),
    new Dense(100, { activation: 'selu', kernelInitializer: 'lecun_normal' }),
    new AlphaDropout(0.2),
    new Dense(10, { activation: 'softmax' }),
  ]);

const maxNormModel = () => new Sequential([new Flatten({ inputShape: [28, 28] }), new MaxNormDense(300), new MaxNormDense(100), new Dense(10, { activation: 'softmax' })]);

/** How many test images get their per-class MC Dropout table (the book shows X_test[:1]). */
const SHOWN = 3;
const argmax = (row: Float32Array): number => row.indexOf(Math.max(...row));

/**
 * MC Dropout on the trained alpha-dropout model, as the book does:
 *   y_probas = np.stack([model(X_test_scaled, training=True) for sample in range(100)])
 *   y_proba = y_probas.mean(axis=0); y_std = y_probas.std(axis=0)
 * Returns the per-class table of the first test images, a chart of image 0, and both accuracies.
 */
async function mcDropout(model: Sequential, data: ExampleData): Promise<{ table: string; chart: ChartSpec }> {
  const [xTest, yTest] = data.test;
  const [, plainAccuracy] = await model.evaluate(xTest, yTest); // dropout off
  const plain = await model.predict(xTest.slice(0, SHOWN));
  const { mean, std } = await mcPredict(model, xTest, { samples: 100 });
  const [p, m, s] = await Promise.all([plain.data(), mean.data(), std.data()]);
  for (const t of [plain, mean, std]) t.dispose();
  const row = (a: Float32Array, i: number) => a.subarray(i * 10, (i + 1) * 10);
  let correct = 0;
  for (let i = 0; i < xTest.length; i++) if (argmax(row(m, i)) === yTest.at(i)) correct++;
  const short = CLASS_NAMES.map((c) => c.slice(0, 7).padStart(8));
  const fmt = (label: string, a: Float32Array) => `  ${label.padEnd(22)}${Array.from(a, (v) => v.toFixed(2).padStart(8)).join('')}`;
  const lines = [`${''.padEnd(24)}${short.join('')}`];
  for (let i = 0; i < SHOWN; i++) {
    lines.push(
      `test image ${i} (a ${CLASS_NAMES[yTest.at(i)]})`,
      fmt('model.predict()', row(p, i)), // np.round(model.predict(X_test_scaled[:1]), 2)
      fmt('MC mean of 100', row(m, i)), // np.round(y_proba[:1], 2)
      fmt('MC std of 100', row(s, i)), // np.round(y_std[:1], 2)
    );
  }
  lines.push(`Accuracy on ${xTest.length} test images: ${(plainAccuracy * 100).toFixed(2)}% with dropout off, ${((correct / xTest.length) * 100).toFixed(2)}% from the MC mean.`);
  const chart: ChartSpec = {
    title: `MC Dropout: test image 0 (a ${CLASS_NAMES[yTest.at(0)]}), probability per class`,
    kind: 'bar',
    labels: CLASS_NAMES,
    series: [
      { name: 'MC mean', values: Array.from(row(m, 0)) },
      { name: 'MC std', values: Array.from(row(s, 0)) },
    ],
  };
  return { table: lines.join('\n'), chart };
}

async function run(data: ExampleData, options: ExampleOptions): Promise<ExampleOutput> {
  const runs: RunResult[] = [];
  const train = async (name: string, build: () => Sequential, optimizer: SGD | 'nadam', keep = false) => {
    setSeed(options.seed);
    const model = build();
    model.compile({ loss: 'sparse_categorical_crossentropy', optimizer, metrics: ['accuracy'] });
    runs.push(await trainRun(name, model, data, options));
    if (!keep) model.dispose();
    return model;
  };
  // model.compile(loss="sparse_categorical_crossentropy", optimizer="nadam", metrics=["accuracy"])
  await train('l2 (RegularizedDense)', l2Model, 'nadam');
  await train('Dropout', dropoutModel, 'nadam');
  // optimizer = keras.optimizers.SGD(lr=0.01, momentum=0.9, nesterov=True)
  const alpha = await train('AlphaDropout', alphaDropoutModel, new SGD({ learningRate: 0.01, momentum: 0.9, nesterov: true }), true);
  const mc = await mcDropout(alpha, data);
  alpha.dispose();
  await train('Max-norm', maxNormModel, 'nadam');
  return {
    runs,
    charts: [metricChart('Training accuracy', runs, 'accuracy'), metricChart('Validation accuracy', runs, 'val_accuracy'), mc.chart],
    table: `${finalTable(runs)}\n\nMC Dropout (the AlphaDropout model, 100 stochastic predictions):\n${mc.table}`,
  };
}

export const regularizationExample: ExampleSpec = {
  name: 'regularization',
  title: 'Regularization: ℓ2, dropout, alpha dropout, MC dropout, max-norm',
  runs: ['l2 (RegularizedDense)', 'Dropout', 'AlphaDropout', 'Max-norm'],
  defaults: { train: 3_000, valid: 1_000, test: 1_000, epochs: 5 },
  quick: { train: 1_000, valid: 300, test: 300, epochs: 2 },
  run,
};
