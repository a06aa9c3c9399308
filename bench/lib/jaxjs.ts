// jax-js (@jax-js/jax) as a benchmark peer: model A written in its own idiom, one jitted
// training step (forward, softmax cross-entropy, backward and the SGD update traced into
// one program by jit(valueAndGrad)), on its Wasm backend or its WebGPU backend (in Node
// pointed at Dawn's adapter, as lib/tfjs.ts does for TensorFlow.js). Used by
// lib/model-a.ts (model A training) and the bench page (examples/web/bench/).

import type * as jaxType from '@jax-js/jax';

export type JaxDevice = 'webgpu' | 'wasm';
type Jax = typeof jaxType;
type JArray = jaxType.Array;
/** Model A's weights: one [in, out] kernel and one [out] bias per Dense layer. */
type Params = { w: JArray; b: JArray }[];

/**
 * jax-js with `device` started (and made the default device). Node has no navigator:
 * for webgpu it is pointed at `gpu` (Dawn's instance); jax-js also reads
 * navigator.userAgent. Throws when the backend does not start, so nothing times the
 * wrong backend.
 */
export async function loadJax(device: JaxDevice, gpu?: GPU): Promise<Jax> {
  const g = globalThis as { navigator?: { gpu?: GPU } };
  if (device === 'webgpu' && gpu && !g.navigator?.gpu) {
    Object.defineProperty(globalThis, 'navigator', { value: { gpu, userAgent: 'node' }, configurable: true });
  }
  const jax = await import('@jax-js/jax');
  if (!(await jax.init(device)).includes(device)) throw new Error(`jax-js backend ${device} failed to start`);
  jax.defaultDevice(device);
  return jax;
}

/** Keras's glorot_uniform kernels and zero biases, for layer widths `units` (input first). */
export function initParams(jax: Jax, units: number[], seed: number): Params {
  const keys = jax.random.split(jax.random.key(seed), units.length - 1);
  const params: Params = [];
  for (let i = 0; i + 1 < units.length; i++) {
    const limit = Math.sqrt(6 / (units[i] + units[i + 1]));
    const k = keys.ref.slice(i);
    params.push({ w: jax.random.uniform(k, [units[i], units[i + 1]], { minval: -limit, maxval: limit }), b: jax.numpy.zeros([units[i + 1]]) });
  }
  keys.dispose();
  return params;
}

/**
 * The jitted SGD step of an MLP with SELU hidden layers and a softmax output trained on
 * sparse categorical cross-entropy: (params, x [batch, in], y [batch] int32) ->
 * [mean loss, updated params]. It owns its arguments (jax-js's reference rules); the
 * caller gets new params each step. jit caches by argument shapes, so one step function
 * serves every batch of one size on the device it was traced on.
 */
export function sgdStep(jax: Jax, learningRate: number) {
  const { numpy: np, nn } = jax;
  const loss = (params: Params, x: JArray, y: JArray): JArray => {
    let h = x;
    params.forEach(({ w, b }, i) => {
      const z = np.matmul(h, w).add(b);
      h = i + 1 < params.length ? nn.selu(z) : z;
    });
    // Cross-entropy of softmax(h) at the labels, from log-softmax (JAX's idiom).
    const classes = h.shape[1];
    const logp = nn.logSoftmax(h, -1);
    return np.mean(np.sum(logp.mul(nn.oneHot(y, classes)), -1)).mul(-1);
  };
  const lossAndGrad = jax.valueAndGrad(loss);
  return jax.jit((params: Params, x: JArray, y: JArray): [JArray, Params] => {
    const [value, grads] = lossAndGrad(params.map((p) => ({ w: p.w.ref, b: p.b.ref })), x, y);
    const next = params.map((p, i) => ({ w: p.w.sub(grads[i].w.mul(learningRate)), b: p.b.sub(grads[i].b.mul(learningRate)) }));
    return [value, next];
  });
}
