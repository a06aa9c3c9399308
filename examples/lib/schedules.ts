// "Learning rate scheduling" (Hands-On ML 2nd ed., ch. 11 notebook): the same SELU network
// trained six times — power scheduling (SGD's decay), exponential and piecewise-constant
// functions of the epoch (LearningRateScheduler), performance scheduling (ReduceLROnPlateau),
// the ExponentialDecay schedule object and 1cycle — with each run's learning rate per epoch
// and its loss curves. Used by ../schedules.ts (Node) and ../web/ (Chrome).

import {
  Callback,
  Dense,
  ExponentialDecay,
  Flatten,
  LearningRateScheduler,
  type Logs,
  OneCycle,
  type Optimizer,
  ReduceLROnPlateau,
  Sequential,
  SGD,
  setSeed,
} from 'webgrad.js';
import type { ExampleData } from './example-data.ts';
import { type ExampleOptions, type ExampleOutput, type ExampleSpec, finalTable, metricChart, type RunResult, trainRun } from './experiment.ts';

// keras.models.Sequential([Flatten(input_shape=[28, 28]),
//     Dense(300, activation="selu", kernel_initializer="lecun_normal"),
//     Dense(100, activation="selu", kernel_initializer="lecun_normal"),
//     Dense(10, activation="softmax")])
function buildModel(seed: number): Sequential {
  setSeed(seed);
  return new Sequential([
    new Flatten({ inputShape: [28, 28] }),
    new Dense(300, { activation: 'selu', kernelInitializer: 'lecun_normal' }),
    new Dense(100, { activation: 'selu', kernelInitializer: 'lecun_normal' }),
    new Dense(10, { activation: 'softmax' }),
  ]);
}

// def exponential_decay(lr0, s):
//     def exponential_decay_fn(epoch):
//         return lr0 * 0.1**(epoch / s)
//     return exponential_decay_fn
const exponentialDecay = (lr0: number, s: number) => (epoch: number) => lr0 * 0.1 ** (epoch / s);
const exponentialDecayFn = exponentialDecay(0.01, 20);

// def piecewise_constant_fn(epoch):
//     if epoch < 5: return 0.01
//     elif epoch < 15: return 0.005
//     else: return 0.001
const piecewiseConstantFn = (epoch: number) => (epoch < 5 ? 0.01 : epoch < 15 ? 0.005 : 0.001);

/**
 * Writes the rate SGD's legacy `decay` applies, lr / (1 + decay·iterations), into the
 * epoch's logs: power scheduling changes no learning_rate that History would record.
 */
class LogDecayedRate extends Callback {
  override onEpochEnd(_epoch: number, logs: Logs = {}): void {
    const o: Optimizer = this.context.optimizer;
    logs.learning_rate ??= o.learningRate / (1 + o.decay * o.iterations);
  }
}

/** One schedule: its optimizer, its callbacks, its batch size (1cycle's is 128). */
interface Plan {
  name: string;
  optimizer: Optimizer | 'nadam';
  callbacks?: Callback[];
  batchSize?: number;
}

function plans(n: number, epochs: number): Plan[] {
  const stepsPerEpoch = (batchSize: number) => Math.ceil(n / batchSize);
  return [
    // optimizer = keras.optimizers.SGD(lr=0.01, decay=1e-4): lr = lr0 / (1 + steps / s), s = 1/decay.
    // NOTE: the book's 1e-4 is per step of 55,000 images (1,719 steps an epoch); on a subset
    // of n images we scale it so the rate falls as much per epoch as in the book's plot.
    { name: 'Power', optimizer: new SGD({ learningRate: 0.01, decay: (1e-4 * 55_000) / n }), callbacks: [new LogDecayedRate()] },
    // model.compile(..., optimizer="nadam"); LearningRateScheduler(exponential_decay_fn)
    { name: 'Exponential', optimizer: 'nadam', callbacks: [new LearningRateScheduler(exponentialDecayFn)] },
    // model.compile(..., optimizer="nadam"); LearningRateScheduler(piecewise_constant_fn)
    { name: 'Piecewise', optimizer: 'nadam', callbacks: [new LearningRateScheduler(piecewiseConstantFn)] },
    // lr_scheduler = keras.callbacks.ReduceLROnPlateau(factor=0.5, patience=5)
    // optimizer = keras.optimizers.SGD(lr=0.02, momentum=0.9)
    { name: 'Performance', optimizer: new SGD({ learningRate: 0.02, momentum: 0.9 }), callbacks: [new ReduceLROnPlateau({ factor: 0.5, patience: 5 })] },
    // s = 20 * len(X_train) // 32   # number of steps in 20 epochs (batch size = 32)
    // learning_rate = keras.optimizers.schedules.ExponentialDecay(0.01, s, 0.1)
    // optimizer = keras.optimizers.SGD(learning_rate)
    { name: 'ExponentialDecay', optimizer: new SGD({ learningRate: new ExponentialDecay(0.01, Math.floor((20 * n) / 32), 0.1) }) },
    // batch_size = 128
    // onecycle = OneCycleScheduler(math.ceil(len(X_train) / batch_size) * n_epochs, max_rate=0.05)
    // (here a schedule object the optimizer evaluates at every step, see src/optim/one-cycle.ts)
    { name: '1cycle', optimizer: new SGD({ learningRate: new OneCycle(stepsPerEpoch(128) * epochs, 0.05) }), batchSize: 128 },
  ];
}

async function run(data: ExampleData, options: ExampleOptions): Promise<ExampleOutput> {
  const runs: RunResult[] = [];
  for (const plan of plans(data.train[0].length, options.epochs)) {
    const model = buildModel(options.seed);
    model.compile({ loss: 'sparse_categorical_crossentropy', optimizer: plan.optimizer, metrics: ['accuracy'] });
    runs.push(await trainRun(plan.name, model, data, options, { batchSize: plan.batchSize, callbacks: plan.callbacks }));
    model.dispose();
  }
  return {
    runs,
    charts: [
      // plt.plot(history.epoch, history.history["lr"], "o-") for each schedule
      metricChart('Learning rate at the end of each epoch', runs, 'learning_rate', true),
      metricChart('Training loss', runs, 'loss'),
      metricChart('Validation loss', runs, 'val_loss'),
    ],
    table: finalTable(runs, ['learning_rate', 'loss', 'val_loss', 'val_accuracy']),
  };
}

export const schedulesExample: ExampleSpec = {
  name: 'schedules',
  title: 'Learning-rate scheduling: six schedules, one network',
  runs: plans(55_000, 25).map((p) => p.name), // (the book's sizes; only the names are used)
  // The book trains 25 epochs; its schedules are functions of the epoch (boundaries at 5 and
  // 15, s = 20 epochs), so we keep the 25 epochs and train on fewer images instead.
  defaults: { train: 1_000, valid: 500, test: 500, epochs: 25 },
  quick: { train: 500, valid: 300, test: 300, epochs: 4 },
  run,
};
