// The chapter's other activations: the parametric kernel (param-activation.wgsl: LeakyReLU's
// slope, ELU's alpha), PReLU's learned slope, gelu's erf tail, and the names in Dense. The
// plain unary ops (leaky_relu, gelu, silu, hard_sigmoid, ...) are checked in elementwise.test.ts.
import { beforeAll, describe, expect, test } from 'vitest';
import { ready } from '../../src/kernels/device.ts';
import { eluAlpha, leakyRelu } from '../../src/autograd/param-activation.ts';
import * as ops from '../../src/ops.ts';
import { tensor } from '../../src/tensor/create.ts';
import { activationName, activations } from '../../src/nn/layers/activations.ts';
import { PReLU } from '../../src/nn/layers/activation-layers.ts';
import { Dense } from '../../src/nn/layers/dense.ts';
import { expectClose } from '../util/check.ts';
import { checkOp } from '../util/op-harness.ts';
import * as R from '../util/reference.ts';

beforeAll(async () => {
  await ready();
});

describe('parametric activations (LeakyReLU, ELU layers)', () => {
  for (const a of [0.3, 0.01, 1.5]) {
    test(`leaky relu, slope ${a}`, async () => {
      await checkOp({
        name: `leakyRelu(${a})`,
        inputs: [{ shape: [9, 17], lo: -3, hi: 3 }],
        gpu: ([x]) => leakyRelu(x, a),
        ref: ([x]) => R.map(x, R.leakyReluRef(a)),
      });
    });
  }
  for (const a of [1, 0.5, 2]) {
    test(`elu, alpha ${a}`, async () => {
      await checkOp({
        name: `elu(${a})`,
        inputs: [{ shape: [9, 17], lo: -3, hi: 3 }],
        gpu: ([x]) => eluAlpha(x, a),
        ref: ([x]) => R.map(x, R.eluRef(a)),
      });
    });
  }

  test('NaN passes through both', async () => {
    const x = tensor([NaN, -1, 2]);
    expect(Number.isNaN((await leakyRelu(x, 0.3).data())[0])).toBe(true);
    expect(Number.isNaN((await eluAlpha(x, 1).data())[0])).toBe(true);
  });
});

describe('PReLU: a learned slope per unit, shared along shared_axes', () => {
  test.each([
    ['one slope per unit', null, [4, 3]],
    ['shared_axes [1]: summed over the shared axis in its gradient', [1], [1, 3]],
  ] as const)('[batch, 4, 3], %s: gradients of x and alpha', async (_, sharedAxes, alphaShape) => {
    const layer = new PReLU({ sharedAxes: sharedAxes && [...sharedAxes] });
    layer.build([4, 3]);
    expect(layer.alpha!.shape).toEqual(alphaShape);
    await checkOp({
      name: 'prelu',
      inputs: [{ shape: [5, 4, 3], lo: -2, hi: 2 }, { shape: [...alphaShape], lo: 0, hi: 0.5 }],
      gpu: ([x, alpha]) => {
        layer.alpha = alpha;
        return layer.call(x);
      },
      ref: ([x, alpha]) => R.zip(x, alpha, (v, s) => (v >= 0 ? v : s * v)),
    });
    layer.dispose();
  });

  test('a shared axis outside the input is a named error', () => {
    expect(() => new PReLU({ sharedAxes: 3 }).build([4, 3])).toThrow(/shared axis 3 is not an axis of input \[batch, 4, 3\]/);
  });
});

describe('gelu (erf form), silu, hard_sigmoid', () => {
  test('the float64 erfc reference matches known values', () => {
    expect(R.erfc(0.5)).toBeCloseTo(0.4795001221869535, 14);
    expect(R.erfc(1)).toBeCloseTo(0.15729920705028513, 14);
    expect(R.erfc(3.5) / 7.430983723414128e-7).toBeCloseTo(1, 12);
    expect(R.erfc(-2)).toBeCloseTo(1.9953222650189528, 14);
  });

  test("gelu keeps its relative precision in the tail and is Keras's erf form, not the tanh approximation", async () => {
    // 1 + erf(x) would give 0 below x ~ -5.5; erfc keeps the tail to f32's rounding of x^2/2 in exp.
    const xs = [-9, -6, -4, -1, -0.25, 0, 0.5, 2, 5];
    expectClose(await ops.gelu(tensor(xs)).data(), xs.map(R.unaryRef.gelu), { atol: 1e-30, rtol: 1e-5 }, 'gelu');
    // At x = -3 the tanh approximation is -0.00363739; the erf form -0.00404951.
    expect((await ops.gelu(tensor([-3])).data())[0]).toBeCloseTo(-0.00404951, 6);
  });

  test('hard_sigmoid: Keras 3 saturates at +-3, tf.keras 2 at +-2.5', async () => {
    const x = tensor([-3, -2.5, 0, 2.5, 3]);
    expectClose(await ops.hardSigmoid(x).data(), [0, 1 / 12, 0.5, 11 / 12, 1], { atol: 1e-7 });
    expectClose(await ops.unary('hard_sigmoid_keras2', x).data(), [0, 0, 0.5, 1, 1], { atol: 1e-7 });
  });

  test('names as Keras spells them, swish being silu', () => {
    expect(activationName('swish')).toBe('silu');
    expect(activationName('leaky_relu')).toBe('leaky_relu');
    expect(activationName('hardSigmoid')).toBe('hard_sigmoid');
    for (const a of ['gelu', 'silu', 'elu', 'softplus', 'hard_sigmoid', 'leaky_relu'] as const) expect(typeof activations[a]).toBe('function');
  });

  // One applied after the product, one fused into it (each fused activation compiles a matmul).
  for (const act of ['gelu', 'leaky_relu'] as const) {
    test(`Dense(3, {activation: '${act}'}) is the activation of x W + b`, async () => {
      const d = new Dense(3, { activation: act });
      const x = tensor([-2, -0.5, 0.3, 1, 2.5, -1.2], [2, 3]);
      d.build([3]);
      const [w, b] = await d.getWeights();
      const xd = await x.data();
      const want: number[] = [];
      for (let i = 0; i < 2; i++) {
        for (let j = 0; j < 3; j++) {
          let s = b.data[j];
          for (let k = 0; k < 3; k++) s += xd[i * 3 + k] * w.data[k * 3 + j];
          want.push(R.unaryRef[act](s));
        }
      }
      expectClose(await d.apply(x, false).data(), want, { atol: 1e-6, rtol: 1e-5 }, act);
      d.dispose();
    });
  }
});
