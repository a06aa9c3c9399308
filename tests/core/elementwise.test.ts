import { beforeAll, describe, expect, test } from 'vitest';
import { ready } from '../../src/kernels/device.ts';
import * as ops from '../../src/ops.ts';
import { UNARY_OP_NAMES, type UnaryOp } from '../../src/kernels/op-names.ts';
import { tensor } from '../../src/tensor/create.ts';
import { expectClose } from '../util/check.ts';
import { checkOp } from '../util/op-harness.ts';
import * as R from '../util/reference.ts';

beforeAll(async () => {
  await ready();
});

// Inputs kept where each function is smooth (log/sqrt positive, away from kinks at 0).
const domain: Partial<Record<UnaryOp, [number, number]>> = { log: [0.2, 3], sqrt: [0.2, 3] };

describe('unary ops: forward vs float64 reference, gradient vs finite differences', () => {
  for (const op of UNARY_OP_NAMES) {
    test(op, async () => {
      const [lo, hi] = domain[op] ?? [-3, 3];
      await checkOp({
        name: op,
        inputs: [{ shape: [7, 33], lo, hi }],
        gpu: ([x]) => ops.unary(op, x),
        ref: ([x]) => R.map(x, R.unaryRef[op]),
        noGrad: op === 'sign',
      });
    });
  }

  test('extreme inputs stay finite where the math is (sigmoid, softplus, tanh, selu)', async () => {
    const x = tensor([-100, -30, 0, 30, 100]);
    expectClose(await ops.sigmoid(x).data(), [0, 1 / (1 + Math.exp(30)), 0.5, 1, 1], { atol: 0, rtol: 1e-5 });
    expect(Array.from(await ops.tanh(x).data())).toEqual([-1, -1, 0, 1, 1]);
    const sp = await ops.softplus(x).data();
    expect(sp[4]).toBe(100);
    expect(sp[0]).toBe(0);
    expect(Number.isFinite((await ops.selu(x).data())[0])).toBe(true);
  });

  test('NaN in gives NaN out (IEEE), for every unary op', async () => {
    const x = tensor([NaN, 1]);
    for (const op of UNARY_OP_NAMES) {
      const y = await ops.unary(op, x).data();
      expect(Number.isNaN(y[0]), op).toBe(true);
    }
  });
});

describe('binary ops with broadcasting', () => {
  const cases: [string, (a: number, b: number) => number, [number, number]?][] = [
    ['add', (a, b) => a + b],
    ['sub', (a, b) => a - b],
    ['mul', (a, b) => a * b],
    ['div', (a, b) => a / b, [0.5, 2]],
    ['pow', (a, b) => a ** b, [0.5, 2]],
    ['maximum', Math.max],
    ['minimum', Math.min],
  ];
  const shapes: [number[], number[]][] = [
    [[5, 7], [5, 7]],
    [[4, 1, 3], [5, 1]],
    [[6, 300], [300]],
    [[2, 3], []],
  ];
  for (const [op, f, range] of cases) {
    for (const [sa, sb] of shapes) {
      test(`${op} ${JSON.stringify(sa)} with ${JSON.stringify(sb)}`, async () => {
        const [lo, hi] = range ?? [-2, 2];
        await checkOp({
          name: op,
          inputs: [{ shape: sa, lo, hi }, { shape: sb, lo, hi }],
          gpu: ([a, b]) => ops.binary(op as never, a, b),
          ref: ([a, b]) => R.zip(a, b, f),
        });
      });
    }
  }

  test('comparisons give 0/1 and take no gradient', async () => {
    const a = tensor([1, 2, 3, NaN]);
    const b = tensor([2, 2, 2, 1]);
    expect(Array.from(await ops.less(a, b).data())).toEqual([1, 0, 0, 0]);
    expect(Array.from(await ops.equal(a, b).data())).toEqual([0, 1, 0, 0]);
    expect(Array.from(await ops.greaterEqual(a, b).data())).toEqual([0, 1, 1, 0]);
    expect(Array.from(await ops.notEqual(a, b).data())).toEqual([1, 0, 1, 1]);
    expect(ops.less(a, b).node).toBeNull();
  });

  test('maximum and minimum propagate NaN; pow of negative base with integer exponent', async () => {
    const m = await ops.maximum(tensor([NaN, 1]), tensor([0, NaN])).data();
    expect(Number.isNaN(m[0]) && Number.isNaN(m[1])).toBe(true);
    expect(Array.from(await ops.pow(tensor([-2, -2]), tensor([3, 2])).data())).toEqual([-8, 4]);
  });

  test('where(cond, a, b) broadcasts all three and routes gradients', async () => {
    await checkOp({
      name: 'where',
      inputs: [{ shape: [4, 1], data: [1, 0, 0, 1], grad: false }, { shape: [4, 3] }, { shape: [3] }],
      gpu: ([c, a, b]) => ops.where(c, a, b),
      ref: ([c, a, b]) => R.zip3(c, a, b, (cv, x, y) => (cv !== 0 ? x : y)),
    });
  });

  test('incompatible shapes name the op and both shapes', () => {
    expect(() => ops.add(tensor([1, 2, 3]), tensor([1, 2]))).toThrow('add: shapes [3] and [2] cannot be broadcast');
  });
});
