// "Faster optimizers" (Hands-On ML ch. 11): the same MLP trained from the same initial
// weights with SGD, momentum, Nesterov, AdaGrad, RMSProp, Adam and Nadam, each with the
// book's hyperparameters, and their learning curves in one chart. The notebook's code
// (3rd ed.) is quoted above each line. Used by ../optimizers.ts (Node) and ../web/ (Chrome).

import { Adagrad, Adam, Dense, Flatten, Nadam, type Optimizer, RMSprop, Sequential, SGD, setSeed } from 'webgrad.js';
import type { ExampleData } from './example-data.ts';
import { type ExampleOptions, type ExampleOutput, type ExampleSpec, finalTable, metricChart, type RunResult, trainRun } from './experiment.ts';

// def build_model(seed=42):
//     tf.random.set_seed(seed)
//     return tf.keras.Sequential([Flatten(input_shape=[28, 28]),
//         Dense(100, activation="relu", kernel_initializer="he_normal") x 3,
//         Dense(10, activation="softmax")])
function buildModel(seed: number): Sequential {
  setSeed(seed); // the same seed: every optimizer starts from the same weights
  const model = new Sequential([new Flatten({ inputShape: [28, 28] })]);
  for (let i = 0; i < 3; i++) model.add(new Dense(100, { activation: 'relu', kernelInitializer: 'he_normal' }));
  model.add(new Dense(10, { activation: 'softmax' }));
  return model;
}

/** The book's optimizers, in its order, each a factory (an optimizer holds one model's state). */
const OPTIMIZERS: [name: string, make: () => Optimizer][] = [
  // optimizer = tf.keras.optimizers.SGD(learning_rate=0.001)
  ['SGD', () => new SGD({ learningRate: 0.001 })],
  // SGD(learning_rate=0.001, momentum=0.9)
  ['Momentum', () => new SGD({ learningRate: 0.001, momentum: 0.9 })],
  // SGD(learning_rate=0.001, momentum=0.9, nesterov=True)
  ['Nesterov', () => new SGD({ learningRate: 0.001, momentum: 0.9, nesterov: true })],
  // Adagrad(learning_rate=0.001)
  ['AdaGrad', () => new Adagrad({ learningRate: 0.001 })],
  // RMSprop(learning_rate=0.001, rho=0.9)
  ['RMSProp', () => new RMSprop({ learningRate: 0.001, rho: 0.9 })],
  // Adam(learning_rate=0.001, beta_1=0.9, beta_2=0.999)
  ['Adam', () => new Adam({ learningRate: 0.001, beta1: 0.9, beta2: 0.999 })],
  // Nadam(learning_rate=0.001, beta_1=0.9, beta_2=0.999)
  ['Nadam', () => new Nadam({ learningRate: 0.001, beta1: 0.9, beta2: 0.999 })],
];

async function run(data: ExampleData, options: ExampleOptions): Promise<ExampleOutput> {
  const runs: RunResult[] = [];
  for (const [name, make] of OPTIMIZERS) {
    // def build_and_train_model(optimizer):
    //     model = build_model()
    //     model.compile(loss="sparse_categorical_crossentropy", optimizer=optimizer, metrics=["accuracy"])
    //     return model.fit(X_train, y_train, epochs=10, validation_data=(X_valid, y_valid))
    const model = buildModel(options.seed);
    model.compile({ loss: 'sparse_categorical_crossentropy', optimizer: make(), metrics: ['accuracy'] });
    runs.push(await trainRun(name, model, data, options));
    model.dispose();
  }
  // The book plots loss and val_loss of every optimizer on one figure each.
  return {
    runs,
    charts: [metricChart('Training loss', runs, 'loss'), metricChart('Validation loss', runs, 'val_loss')],
    table: finalTable(runs),
  };
}

export const optimizersExample: ExampleSpec = {
  name: 'optimizers',
  title: 'Faster optimizers: one MLP, seven optimizers',
  runs: OPTIMIZERS.map(([name]) => name),
  defaults: { train: 10_000, valid: 2_000, test: 2_000, epochs: 3 },
  quick: { train: 1_000, valid: 500, test: 500, epochs: 2 },
  run,
};
