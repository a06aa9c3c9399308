// "Nonsaturating activation functions" and "Batch Normalization" (Hands-On ML 2nd ed.,
// ch. 11 notebook): LeakyReLU and PReLU after he_normal Dense layers, the chapter's
// BatchNormalization model, and its variant with BN before the activation; their curves,
// and the BN layer's variables as the book lists them.
// Used by ../batch-norm.ts (Node) and ../web/ (Chrome).

import { Activation, BatchNormalization, Dense, Flatten, LeakyReLU, PReLU, Sequential, SGD, setSeed } from 'webgrad.js';
import type { ExampleData } from './example-data.ts';
import { type ExampleOptions, type ExampleOutput, type ExampleSpec, finalTable, metricChart, type RunResult, trainRun } from './experiment.ts';

// keras.layers.Dense(300, kernel_initializer="he_normal"), keras.layers.LeakyReLU(), ...
const leakyModel = () =>
  new Sequential([
    new Flatten({ inputShape: [28, 28] }),
    new Dense(300, { kernelInitializer: 'he_normal' }),
    new LeakyReLU(),
    new Dense(100, { kernelInitializer: 'he_normal' }),
    new LeakyReLU(),
    new Dense(10, { activation: 'softmax' }),
  ]);

// The same with keras.layers.PReLU(): one learned slope per unit.
const preluModel = () =>
  new Sequential([
    new Flatten({ inputShape: [28, 28] }),
    new Dense(300, { kernelInitializer: 'he_normal' }),
    new PReLU(),
    new Dense(100, { kernelInitializer: 'he_normal' }),
    new PReLU(),
    new Dense(10, { activation: 'softmax' }),
  ]);

const bnModel = () =>
  new Sequential([
    new Flatten({ inputShape: [28, 28] }),
    new BatchNormalization(),
    new Dense(300, { activation: 'elu', kernelInitializer: 'he_normal' }),
    new BatchNormalization(),
    new Dense(100, { activation: 'elu', kernelInitializer: 'he_normal' }),
    new BatchNormalization(),
    new Dense(10, { activation: 'softmax' }),
  ]);

// BN before the activation: the Dense layers need no bias (BN's beta replaces it).
const bnBeforeActivationModel = () =>
  new Sequential([
    new Flatten({ inputShape: [28, 28] }),
    new BatchNormalization(),
    new Dense(300, { kernelInitializer: 'he_normal', useBias: false }),
    new BatchNormalization(),
    new Activation('elu'),
    new Dense(100, { kernelInitializer: 'he_normal', useBias: false }),
    new BatchNormalization(),
    new Activation('elu'),
    new Dense(10, { activation: 'softmax' }),
  ]);

/** The book's `[(var.name, var.trainable) for var in model.layers[1].variables]`, and the summary. */
function bnVariables(model: Sequential): string {
  const bn = model.layers[1];
  const vars = bn.weights.map((w) => `  ('${bn.name}/${w.name}:0', ${w.trainable ? 'True' : 'False'})`);
  const lines: string[] = [];
  model.summary((l) => lines.push(l));
  return [...lines, '', `model.layers[1].variables (name, trainable):`, ...vars].join('\n');
}

async function run(data: ExampleData, options: ExampleOptions): Promise<ExampleOutput> {
  const runs: RunResult[] = [];
  let variables = '';
  const train = async (name: string, build: () => Sequential) => {
    setSeed(options.seed);
    const model = build();
    // model.compile(loss="sparse_categorical_crossentropy", optimizer=keras.optimizers.SGD(lr=1e-3), metrics=["accuracy"])
    model.compile({ loss: 'sparse_categorical_crossentropy', optimizer: new SGD({ learningRate: 1e-3 }), metrics: ['accuracy'] });
    runs.push(await trainRun(name, model, data, options));
    if (name === 'BatchNormalization') variables = bnVariables(model);
    model.dispose();
  };
  await train('LeakyReLU', leakyModel);
  await train('PReLU', preluModel);
  await train('BatchNormalization', bnModel);
  await train('BN before activation', bnBeforeActivationModel);
  return {
    runs,
    charts: [metricChart('Training accuracy', runs, 'accuracy'), metricChart('Validation accuracy', runs, 'val_accuracy'), metricChart('Validation loss', runs, 'val_loss')],
    table: `${finalTable(runs)}\n\nThe BatchNormalization model:\n${variables}`,
  };
}

export const batchNormExample: ExampleSpec = {
  name: 'batch-norm',
  title: 'Nonsaturating activations (LeakyReLU, PReLU) and Batch Normalization',
  runs: ['LeakyReLU', 'PReLU', 'BatchNormalization', 'BN before activation'],
  defaults: { train: 3_000, valid: 1_000, test: 1_000, epochs: 5 },
  quick: { train: 1_000, valid: 300, test: 300, epochs: 2 },
  run,
};
