// "Building Complex Models Using the Functional API" (Hands-On ML 3rd ed., ch. 10) on
// Fashion-MNIST instead of California housing: the Wide & Deep network (the normalized image
// straight to the output beside a deep path, joined by Concatenate), then the two-input,
// two-output version with an auxiliary output and loss weights (0.9, 0.1). The wide input
// is a 7x7 thumbnail of the image (the book's features 0-4), the deep input the full image
// (its features 2-7). The second model is then saved as `.keras` and loaded back.
// Used by ../functional.ts (Node). Read next: experiment.ts (trainRun).

import { Adam, Concatenate, Dense, Flatten, Input, loadModel, Model, NDArray, Normalization, setSeed, type Tensor } from 'webgrad.js';
import type { ExampleData } from './example-data.ts';
import { type ExampleOptions, type ExampleOutput, type ExampleSpec, type FitData, finalTable, type RunResult, trainRun } from './experiment.ts';

/** Images [n, 28, 28] as [n, 784] (the same bytes): what a Normalization after Flatten adapts to. */
const flat = (x: NDArray) => new NDArray(x.data, [x.length, 784], x.scale);

/** Each image as a 7x7 thumbnail, the mean of every 4x4 block: the wide input. */
function thumbnails(x: NDArray): NDArray {
  const out = new Float32Array(x.length * 49);
  for (let n = 0; n < x.length; n++) {
    for (let r = 0; r < 28; r++) for (let c = 0; c < 28; c++) out[n * 49 + (r >> 2) * 7 + (c >> 2)] += x.at(n * 784 + r * 28 + c) / 16;
  }
  return new NDArray(out, [x.length, 49]);
}

/** The book's first Functional model, with a 10-class softmax output. */
async function wideAndDeep(xTrain: NDArray): Promise<Model> {
  // normalization_layer = tf.keras.layers.Normalization()
  const normalizationLayer = new Normalization();
  // hidden_layer1 = tf.keras.layers.Dense(30, activation="relu")
  const hiddenLayer1 = new Dense(30, { activation: 'relu' });
  // hidden_layer2 = tf.keras.layers.Dense(30, activation="relu")
  const hiddenLayer2 = new Dense(30, { activation: 'relu' });
  // concat_layer = tf.keras.layers.Concatenate()
  const concatLayer = new Concatenate();
  // output_layer = tf.keras.layers.Dense(1)   (here: 10 classes)
  const outputLayer = new Dense(10, { activation: 'softmax' });

  // input_ = tf.keras.layers.Input(shape=X_train.shape[1:])
  const input = Input({ shape: [28, 28] });
  const flattened = new Flatten().apply(input);
  // normalized = normalization_layer(input_)
  const normalized = normalizationLayer.apply(flattened);
  // hidden1 = hidden_layer1(normalized)
  const hidden1 = hiddenLayer1.apply(normalized);
  // hidden2 = hidden_layer2(hidden1)
  const hidden2 = hiddenLayer2.apply(hidden1);
  // concat = concat_layer([normalized, hidden2])
  const concat = concatLayer.apply([normalized, hidden2]);
  // output = output_layer(concat)
  const output = outputLayer.apply(concat);
  // model = tf.keras.Model(inputs=[input_], outputs=[output])
  const model = new Model({ inputs: [input], outputs: output, name: 'wide_and_deep' });
  // normalization_layer.adapt(X_train)
  await normalizationLayer.adapt(flat(xTrain));
  return model;
}

/** The two-input, two-output model, its Normalization layers adapted to the training inputs. */
async function wideDeepAux(xTrainWide: NDArray, xTrainDeep: NDArray): Promise<Model> {
  // input_wide = tf.keras.layers.Input(shape=[5])
  const inputWide = Input({ shape: [49], name: 'wide_input' });
  // input_deep = tf.keras.layers.Input(shape=[6])
  const inputDeep = Input({ shape: [28, 28], name: 'deep_input' });
  // norm_layer_wide = tf.keras.layers.Normalization()
  const normLayerWide = new Normalization();
  // norm_layer_deep = tf.keras.layers.Normalization()
  const normLayerDeep = new Normalization();
  // norm_wide = norm_layer_wide(input_wide)
  const normWide = normLayerWide.apply(inputWide);
  // norm_deep = norm_layer_deep(input_deep)
  const normDeep = normLayerDeep.apply(new Flatten().apply(inputDeep));
  // hidden1 = tf.keras.layers.Dense(30, activation="relu")(norm_deep)
  const hidden1 = new Dense(30, { activation: 'relu' }).apply(normDeep);
  // hidden2 = tf.keras.layers.Dense(30, activation="relu")(hidden1)
  const hidden2 = new Dense(30, { activation: 'relu' }).apply(hidden1);
  // concat = tf.keras.layers.concatenate([norm_wide, hidden2])
  const concat = new Concatenate().apply([normWide, hidden2]);
  // output = tf.keras.layers.Dense(1)(concat)
  const output = new Dense(10, { activation: 'softmax', name: 'main_output' }).apply(concat);
  // aux_output = tf.keras.layers.Dense(1)(hidden2)
  const auxOutput = new Dense(10, { activation: 'softmax', name: 'aux_output' }).apply(hidden2);
  // model = tf.keras.Model(inputs=[input_wide, input_deep], outputs=[output, aux_output])
  const model = new Model({ inputs: [inputWide, inputDeep], outputs: [output, auxOutput], name: 'wide_deep_aux' });
  // norm_layer_wide.adapt(X_train_wide); norm_layer_deep.adapt(X_train_deep)
  await normLayerWide.adapt(xTrainWide);
  await normLayerDeep.adapt(flat(xTrainDeep));
  return model;
}

/** The largest difference between two lists of predictions. */
async function maxDifference(a: Tensor[], b: Tensor[]): Promise<number> {
  let worst = 0;
  for (const [i, t] of a.entries()) {
    const [p, q] = [await t.data(), await b[i].data()];
    for (let j = 0; j < p.length; j++) worst = Math.max(worst, Math.abs(p[j] - q[j]));
  }
  return worst;
}

async function run(data: ExampleData, options: ExampleOptions): Promise<ExampleOutput> {
  const [[xTrain, yTrain], [xValid, yValid], [xTest, yTest]] = [data.train, data.valid, data.test];
  const runs: RunResult[] = [];
  const lines: string[] = [];

  setSeed(options.seed);
  let model = await wideAndDeep(xTrain);
  // model.compile(loss="sparse_categorical_crossentropy", optimizer=optimizer, metrics=["accuracy"])
  model.compile({ loss: 'sparse_categorical_crossentropy', optimizer: new Adam({ learningRate: 1e-3 }), metrics: ['accuracy'] });
  runs.push(await trainRun('Wide & Deep', model, data, options));
  const [testLoss, testAccuracy] = await model.evaluate(xTest, yTest);
  lines.push(`Wide & Deep: test loss ${testLoss.toFixed(4)}, test accuracy ${testAccuracy.toFixed(4)}`);
  model.dispose();

  // X_train_wide, X_train_deep = X_train[:, :5], X_train[:, 2:]   (here: thumbnails and full images)
  const [xTrainWide, xValidWide, xTestWide] = [thumbnails(xTrain), thumbnails(xValid), thumbnails(xTest)];
  setSeed(options.seed);
  model = await wideDeepAux(xTrainWide, xTrain);
  // model.compile(loss=("mse", "mse"), loss_weights=(0.9, 0.1), optimizer=optimizer, metrics=["RootMeanSquaredError"])
  model.compile({
    loss: ['sparse_categorical_crossentropy', 'sparse_categorical_crossentropy'],
    lossWeights: [0.9, 0.1],
    optimizer: new Adam({ learningRate: 1e-3 }),
    metrics: [['accuracy'], ['accuracy']],
  });
  model.summary((line) => lines.push(line));
  // history = model.fit((X_train_wide, X_train_deep), (y_train, y_train), epochs=20,
  //     validation_data=((X_valid_wide, X_valid_deep), (y_valid, y_valid)))
  const fitData = { train: [[xTrainWide, xTrain], [yTrain, yTrain]], valid: [[xValidWide, xValid], [yValid, yValid]] } satisfies FitData;
  runs.push(await trainRun('Wide & Deep, two inputs, auxiliary output', model, fitData, options));
  // eval_results = model.evaluate((X_test_wide, X_test_deep), (y_test, y_test))
  const evalResults = await model.evaluate([xTestWide, xTest], [yTest, yTest]);
  // weighted_sum_of_losses, main_loss, aux_loss, main_rmse, aux_rmse = eval_results
  // (Keras 3's order: the loss, each output's loss, then the other metrics by name: aux before main.)
  const [weightedSumOfLosses, mainLoss, auxLoss, auxAccuracy, mainAccuracy] = evalResults;
  lines.push(
    `Two inputs, two outputs: test loss ${weightedSumOfLosses.toFixed(4)} (main ${mainLoss.toFixed(4)}, aux ${auxLoss.toFixed(4)}), ` +
      `accuracy main ${mainAccuracy.toFixed(4)}, aux ${auxAccuracy.toFixed(4)}`,
  );

  // y_pred_main, y_pred_aux = model.predict((X_new_wide, X_new_deep))
  const xNew = [xTestWide.slice(0, 3), xTest.slice(0, 3)];
  const yPred = (await model.predict(xNew)) as Tensor[];
  // model.save("my_keras_model.keras"); model = tf.keras.models.load_model("my_keras_model.keras")
  const loaded = await loadModel(await model.toBytes('keras'));
  if (!(loaded instanceof Model)) throw new TypeError('a Functional model loads back as a Model');
  const yPredLoaded = (await loaded.predict(xNew)) as Tensor[];
  lines.push(`Saved as .keras and loaded back: predictions differ by at most ${await maxDifference(yPred, yPredLoaded)}`);
  for (const t of [...yPred, ...yPredLoaded]) t.dispose();
  loaded.dispose();
  model.dispose();

  const keys = ['loss', 'val_loss', 'val_accuracy', 'val_main_output_accuracy', 'val_aux_output_accuracy'];
  const series = (key: string, runIndex: number, name: string) => ({ name, values: runs[runIndex].history[key] ?? [] });
  return {
    runs,
    charts: [
      {
        title: 'Validation accuracy',
        kind: 'line',
        series: [series('val_accuracy', 0, 'Wide & Deep'), series('val_main_output_accuracy', 1, 'two inputs: main output'), series('val_aux_output_accuracy', 1, 'two inputs: aux output')],
      },
      { title: 'Training loss (the two-output model: 0.9 main + 0.1 aux)', kind: 'line', series: [series('loss', 0, 'Wide & Deep'), series('loss', 1, 'two inputs, weighted sum')] },
    ],
    table: `${finalTable(runs, keys)}\n\n${lines.join('\n')}`,
  };
}

export const functionalExample: ExampleSpec = {
  name: 'functional',
  title: "The Functional API: Wide & Deep, two inputs and an auxiliary output (chapter 10's recipes on Fashion-MNIST)",
  runs: ['Wide & Deep', 'Wide & Deep, two inputs, auxiliary output'],
  defaults: { train: 5_000, valid: 1_000, test: 1_000, epochs: 5 },
  quick: { train: 1_000, valid: 300, test: 300, epochs: 2 },
  run,
};
