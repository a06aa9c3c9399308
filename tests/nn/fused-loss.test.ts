// The fused loss tail (src/fast/fused-loss.ts sparseCrossentropyMean, wgsl/losses.wgsl
// sparse_mean and sparse_bwd with MEAN): the kernel against a CPU reference and its backward
// against finite differences; then fit and evaluate on the fused path against the general
// path (the same loss or metric wrapped in a new function, which batchLoss does not fuse),
// byte for byte; and model A's dispatches per step, so the tail cannot grow back unnoticed.
import { beforeAll, describe, expect, test } from 'vitest';
import { Activation, Dense, l2, NDArray, ndarray, ready, runtimeStats, Sequential, SGD, setSeed } from '../../src/index.ts';
import { sparseCrossentropyMean } from '../../src/fast/fused-loss.ts';
import { noGrad } from '../../src/autograd/tape.ts';
import { getLogitsLoss, getLoss, type Loss } from '../../src/nn/model/losses.ts';
import { getMetric, type Metric } from '../../src/nn/model/metrics.ts';
import * as ops from '../../src/ops.ts';
import { scalar, tensor } from '../../src/tensor/create.ts';
import type { Tensor } from '../../src/tensor/tensor.ts';
import { expectClose } from '../util/check.ts';
import { checkOp } from '../util/op-harness.ts';
import * as R from '../util/reference.ts';

beforeAll(async () => {
  await ready();
});

const N = 7;
const C = 5;
// Row 3 ties its two largest outputs (the first index wins, as argmax).
const LABELS = [0, 4, 2, 1, 1, 3, 2];
const LOGITS = Array.from({ length: N * C }, (_, i) => Math.sin(i * 1.3) * 3);
LOGITS[3 * C + 1] = LOGITS[3 * C + 2] = 5;

/** The model's output the accuracy reads: the softmax of logits, or the probabilities themselves. */
function cpuOutput(pred: number[], fromLogits: boolean): number[] {
  return fromLogits ? Array.from(R.softmax(R.arr(pred, [N, C]), 1).data) : pred;
}

function cpuHits(labels: number[], output: number[]): number {
  let hits = 0;
  for (let r = 0; r < labels.length; r++) {
    const row = output.slice(r * C, (r + 1) * C);
    if (row.indexOf(Math.max(...row)) === labels[r]) hits++;
  }
  return hits;
}

describe('sparseCrossentropyMean against a CPU reference', () => {
  for (const fromLogits of [true, false]) {
    for (const penalty of [null, 0.25]) {
      test(`from ${fromLogits ? 'logits' : 'probabilities'}, ${penalty === null ? 'no penalty' : 'a penalty'}: loss, running sums, hits`, async () => {
        const pred = fromLogits ? LOGITS : cpuOutput(LOGITS, true).map((v) => v + 0.01);
        const output = cpuOutput(pred, fromLogits);
        const ce = R.sparseCE(LABELS, R.arr(pred, [N, C]), fromLogits);
        const want = ce.reduce((a, b) => a + b, 0) / N + (penalty ?? 0);
        const sums = { loss: scalar(1.5), hits: scalar(2) };
        const p = tensor(Float32Array.from(pred), [N, C]);
        const y = tensor(Float32Array.from(LABELS), [N, 1]);
        const out = tensor(Float32Array.from(output), [N, C]);
        const reg = penalty === null ? null : scalar(penalty);
        const loss = sparseCrossentropyMean(y, p, fromLogits, out, reg, sums);
        expectClose(await loss.data(), [want], { atol: 1e-5, rtol: 1e-5 }, 'loss');
        expectClose(await sums.loss.data(), [1.5 + want * N], { atol: 1e-4, rtol: 1e-5 }, 'loss sum');
        expect(await sums.hits.item()).toBe(2 + cpuHits(LABELS, output));
        for (const t of [loss, p, y, out, sums.loss, sums.hits, reg]) t?.dispose();
      });
    }
  }

  test('a NaN prediction or a bad label makes the loss NaN; a batch over 256 rows is refused', async () => {
    const pred = [...LOGITS];
    pred[2] = NaN;
    const sums = { loss: scalar(0), hits: null };
    const p = tensor(Float32Array.from(pred), [N, C]);
    const y = tensor(Float32Array.from(LABELS), [N]);
    expect(await sparseCrossentropyMean(y, p, true, p, null, sums).item()).toBeNaN();
    const bad = tensor(Float32Array.from(LABELS.map((l, i) => (i === 4 ? 7 : l))), [N]);
    expect(await sparseCrossentropyMean(bad, tensor(Float32Array.from(LOGITS), [N, C]), true, p, null, sums).item()).toBeNaN();
    const big = tensor(new Float32Array(257 * 2), [257, 2]);
    expect(() => sparseCrossentropyMean(tensor(new Float32Array(257), [257]), big, true, big, null, sums)).toThrow(/\[1\.\.256, C >= 1\]/);
  });
});

describe('its backward by finite differences (any dL/dloss, the penalty gets it as is)', () => {
  for (const fromLogits of [true, false]) {
    test(`from ${fromLogits ? 'logits' : 'probabilities'}`, async () => {
      const sums = { loss: scalar(0), hits: scalar(0) };
      const outputs: Tensor[] = [];
      await checkOp({
        name: `sparseCrossentropyMean ${fromLogits ? 'logits' : 'probabilities'}`,
        inputs: [{ shape: [N], data: LABELS, grad: false }, fromLogits ? { shape: [N, C], lo: -4, hi: 4 } : { shape: [N, C], lo: 0.05, hi: 1 }, { shape: [] }],
        gpu: ([y, p, reg]) => {
          outputs.push(noGrad(() => (fromLogits ? ops.softmax(p) : ops.add(p, 0))));
          return sparseCrossentropyMean(y, p, fromLogits, outputs[0], reg, sums);
        },
        ref: ([y, p, reg]) => {
          const ce = R.sparseCE(Array.from(y.data), p, fromLogits);
          return R.arr([ce.reduce((a, b) => a + b, 0) / N + reg.data[0]], []);
        },
      });
      for (const t of [...outputs, sums.loss, sums.hits]) t.dispose();
    });
  }
});

// ---- fit and evaluate: the fused path against the general one, byte for byte ----

const n = 45; // batches of 16: 16, 16 and a partial 13
const x = new NDArray(Float32Array.from({ length: n * 6 }, (_, i) => Math.sin(i * 0.7)), [n, 6]);
const yData = Float32Array.from({ length: n }, (_, i) => (i * 7) % 4);
const xv = new NDArray(Float32Array.from({ length: 11 * 6 }, (_, i) => Math.cos(i * 0.3)), [11, 6]);
const yv = ndarray(Float32Array.from({ length: 11 }, (_, i) => i % 4));

/** The same computation as a new function: batchLoss fuses only the built-in objects. */
const unfusedLoss = (l: Loss): Loss => ({ ...l, perSample: (t, p) => l.perSample(t, p) });
const unfusedMetric = (m: Metric): Metric => ({ ...m, perSample: (t, p) => m.perSample(t, p) });

interface Setup {
  name: string;
  layers: () => (Dense | Activation)[];
  loss: Loss;
  metrics: string[];
  /** Labels shaped [n, 1]. */
  column?: boolean;
}

async function run(s: Setup, fused: boolean) {
  setSeed(5);
  const m = new Sequential(s.layers());
  const metrics = s.metrics.map((k) => getMetric(k, s.loss));
  const loss = fused ? s.loss : unfusedLoss(s.loss);
  m.compile({ optimizer: new SGD({ learningRate: 0.05 }), loss, metrics: fused || !metrics.length ? metrics : [unfusedMetric(metrics[0])] });
  const y = new NDArray(yData, s.column ? [n, 1] : [n]);
  const before = runtimeStats().dispatches;
  const history = await m.fit(x, y, { batchSize: 16, epochs: 2, verbose: 0, validationData: [xv, yv] });
  const dispatches = runtimeStats().dispatches - before;
  const evaluated = await m.evaluate(x, y, { batchSize: 16 });
  const weights = (await m.getWeights()).map((w) => Array.from(new Uint32Array(w.toFloat32().buffer)));
  m.dispose();
  return { logs: JSON.stringify(history.history), evaluated, weights, dispatches };
}

const reg = l2(0.01);
const setups: Setup[] = [
  {
    name: 'softmax output, accuracy, an L2 penalty on two kernels, labels [n, 1]',
    layers: () => [
      new Dense(9, { activation: 'selu', inputShape: [6], kernelRegularizer: reg }),
      new Dense(7, { activation: 'selu' }),
      new Dense(4, { activation: 'softmax', kernelRegularizer: reg }),
    ],
    loss: getLoss('sparse_categorical_crossentropy'),
    metrics: ['accuracy'],
    column: true,
  },
  {
    name: 'linear output with from_logits, accuracy',
    layers: () => [new Dense(9, { activation: 'selu', inputShape: [6] }), new Dense(4)],
    loss: getLogitsLoss('sparse_categorical_crossentropy'),
    metrics: ['accuracy'],
  },
  {
    name: 'a separate softmax layer (the loss reads probabilities), no metric',
    layers: () => [new Dense(9, { activation: 'tanh', inputShape: [6] }), new Dense(4), new Activation('softmax')],
    loss: getLoss('sparse_categorical_crossentropy'),
    metrics: [],
  },
];

describe('fit and evaluate: fused and general paths agree bit for bit', () => {
  for (const s of setups) {
    test(s.name, async () => {
      const fused = await run(s, true);
      const general = await run(s, false);
      expect(fused.logs).toBe(general.logs);
      expect(fused.evaluated).toEqual(general.evaluated);
      expect(fused.weights).toEqual(general.weights);
      expect(fused.dispatches).toBeLessThan(general.dispatches); // the two paths did differ
    });
  }
});

test("model A's training step: 27 dispatches at most, 3 of them the loss tail (softmax, loss, its backward)", async () => {
  const rows = 128;
  const xa = new NDArray(Float32Array.from({ length: rows * 784 }, (_, i) => (i % 251) / 251), [rows, 784]);
  const ya = ndarray(Float32Array.from({ length: rows }, (_, i) => i % 8));
  const perStep = async (metric: string | Metric) => {
    setSeed(2);
    const m = new Sequential([
      new Dense(300, { activation: 'selu', inputShape: [784] }),
      ...[100, 50, 50, 50].map((u) => new Dense(u, { activation: 'selu' })),
      new Dense(8, { activation: 'softmax' }),
    ]);
    m.compile({ optimizer: new SGD({ learningRate: 0.01 }), loss: 'sparse_categorical_crossentropy', metrics: [metric] });
    // Dispatches of 4 steps minus those of 2: per step, without each fit's fixed work.
    const count = async (k: number) => {
      const before = runtimeStats().dispatches;
      await m.fit(xa.slice(0, 32 * k), ya.slice(0, 32 * k), { batchSize: 32, epochs: 1, verbose: 0, shuffle: false });
      return runtimeStats().dispatches - before;
    };
    await count(1);
    const result = ((await count(4)) - (await count(2))) / 2;
    m.dispose();
    return result;
  };
  const fused = await perStep('accuracy');
  // The general path's tail: softmax, CE, mean, loss * n, argmax, equal, sum, broadcast,
  // * 1/n, CE backward, two running-sum adds: 12 dispatches where the fused path has 3.
  expect((await perStep(unfusedMetric(getMetric('accuracy', getLoss('sparse_categorical_crossentropy'))))) - fused).toBe(9);
  expect(fused).toBeLessThanOrEqual(27);
});
