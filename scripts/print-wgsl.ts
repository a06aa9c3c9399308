// Prints the assembled WGSL of every pipeline whose label contains the argument, as the
// runtime compiles it (WEBGRAD_DEBUG=2, kernels/env.ts): it trains a small Dense model for
// one step with plain SGD, one with Adam, and predicts, which compiles every kernel fit uses.
// Usage: npm run wgsl -- matmul        (dense, dense-sgd, optim-adam, gather, ...; none: all)
//        WEBGRAD_MATMUL=naive npm run wgsl -- matmul
process.env.WEBGRAD_DEBUG = '2';
const want = process.argv[2] ?? '';
const log = console.log;
console.log = (...args: unknown[]) => {
  const text = args.map(String).join(' ');
  const m = /^\[webgrad\] compile (\S+)/.exec(text);
  if (m?.[1].includes(want)) log(`${text}\n`);
};

const { Adam, Dense, ndarray, ready, Sequential, SGD } = await import('../src/index.ts');
await ready();
const x = ndarray(Float32Array.from({ length: 8 * 5 }, (_, i) => Math.sin(i)), [8, 5]);
const y = ndarray(Float32Array.from({ length: 8 }, (_, i) => i % 3));
for (const optimizer of [new SGD({ learningRate: 0.1 }), new Adam()]) {
  const model = new Sequential([new Dense(4, { activation: 'relu', inputShape: [5] }), new Dense(3, { activation: 'softmax' })]);
  model.compile({ optimizer, loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  await model.fit(x, y, { batchSize: 8, epochs: 1, verbose: 0 });
  (await model.predict(x)).dispose();
  model.dispose();
}

export {};
