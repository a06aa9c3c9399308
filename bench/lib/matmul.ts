// Square matmul GFLOP/s, webgrad against TensorFlow.js-webgpu's matMul on the same adapter,
// shared by bench/matmul.ts (Node, Dawn) and the Chromium page (bench/web); and any one
// peer's (TF.js on any backend, jax-js) for the site's bench page (examples/web/bench). Each sample is
// the wall time of one call: dispatch, submit, wait until the queue is done (not GPU time
// alone), both libraries waiting the same way (src/kernels/wait.ts: sleeping in Node,
// awaiting the promise in a browser).

import type { Deferred } from 'benchmark';
import Benchmark from './benchmark.ts';
import { matmul } from '../../src/autograd/matmul.ts';
import { currentGpuInstance } from '../../src/kernels/device.ts';
import { rt } from '../../src/kernels/runtime.ts';
import { waitIdle } from '../../src/kernels/wait.ts';
import { randomUniform } from '../../src/tensor/create.ts';
import type { BenchTable } from './results.ts';
import { type JaxDevice, loadJax } from './jaxjs.ts';
import { loadTf, type TfBackend } from './tfjs.ts';

/**
 * Mean seconds per call of `op` (an async function), by benchmark.js with deferred timing
 * for about `seconds`, after two untimed calls (pipeline compilation, and the wait's first
 * estimate).
 */
async function secondsPerOp(name: string, seconds: number, op: () => Promise<void>): Promise<number> {
  await op();
  await op();
  return new Promise((resolve, reject) => {
    const bench = new Benchmark(name, {
      defer: true,
      // benchmark.js inlines fn's source when it can; calling a closure makes it call fn.
      fn: (deferred: Deferred) => {
        op().then(() => deferred.resolve(), reject);
      },
      minSamples: 5,
      maxTime: seconds,
      onComplete: () => resolve(bench.stats.mean),
      onError: () => reject(bench.error),
    });
    bench.run({ async: true });
  });
}

const gflops = (n: number, seconds: number) => (2 * n ** 3) / seconds / 1e9;

/** webgrad's n x n matmul, GFLOP/s. */
export async function webgradGflops(n: number, seconds: number): Promise<number> {
  const a = randomUniform([n, n], -1, 1, 1);
  const b = randomUniform([n, n], -1, 1, 2);
  const r = rt();
  const perOp = await secondsPerOp(`webgrad ${n}`, seconds, async () => {
    matmul(a, b).dispose();
    await r.idle(`bench-matmul-${n}`);
  });
  a.dispose();
  b.dispose();
  return gflops(n, perOp);
}

// Other processes share the CPU that is the adapter: each figure is the best of ROUNDS
// benchmark.js runs, alternating the contenders so both see the same conditions.
export const ROUNDS = 2;

type Tf = Awaited<ReturnType<typeof loadTf>>;

/** TensorFlow.js's n x n matMul on its current backend, GFLOP/s. */
async function tfjsGflops(tf: Tf, n: number, seconds: number): Promise<number> {
  const a = tf.randomUniform([n, n], -1, 1, 'float32', 1);
  const b = tf.randomUniform([n, n], -1, 1, 'float32', 2);
  const name = `tfjs-${tf.getBackend()} ${n}`;
  let perOp: number;
  if (tf.getBackend() === 'webgpu') {
    const tfBackend = tf.backend() as unknown as { device: GPUDevice; ensureCommandEncoderReady(): void; endComputePassEncoder(): void; submitQueue(): void };
    perOp = await secondsPerOp(name, seconds, async () => {
      const c = tf.matMul(a, b);
      // What tfjs does before a readback: close the pass and submit.
      tfBackend.ensureCommandEncoderReady();
      tfBackend.endComputePassEncoder();
      tfBackend.submitQueue();
      await waitIdle(`bench-tfjs-${n}`, { dispatches: 1, compiled: false }, () => tfBackend.device.queue.onSubmittedWorkDone()); // learn the cost per call
      c.dispose();
    });
  } else {
    // No public wait on webgl or wasm: reading one element of the product waits for it.
    perOp = await secondsPerOp(name, seconds, async () => {
      const c = tf.matMul(a, b);
      const corner = tf.slice(c, [0, 0], [1, 1]);
      await corner.data();
      tf.dispose([c, corner]);
    });
  }
  tf.dispose([a, b]);
  return gflops(n, perOp);
}

/** jax-js's n x n matmul on its default device, GFLOP/s (blockUntilReady waits, reads nothing). */
async function jaxjsGflops(jax: Awaited<ReturnType<typeof loadJax>>, n: number, seconds: number): Promise<number> {
  const [ka, kb] = [jax.random.key(1), jax.random.key(2)];
  const a = jax.random.uniform(ka, [n, n], { minval: -1, maxval: 1 });
  const b = jax.random.uniform(kb, [n, n], { minval: -1, maxval: 1 });
  const perOp = await secondsPerOp(`jaxjs-${jax.defaultDevice()} ${n}`, seconds, async () => {
    const c = jax.numpy.matmul(a.ref, b.ref);
    await c.blockUntilReady();
    c.dispose();
  });
  a.dispose();
  b.dispose();
  return gflops(n, perOp);
}

/** A contender of the bench page's matmul sweep. */
export type MatmulPeer = 'webgrad' | `tfjs-${TfBackend}` | `jaxjs-${JaxDevice}`;

/** `peer`'s n x n matmul, GFLOP/s (each library waiting for its own result, as above). */
export async function peerGflops(peer: MatmulPeer, n: number, seconds: number): Promise<number> {
  if (peer === 'webgrad') return webgradGflops(n, seconds);
  const [lib, backend] = peer.split('-');
  if (lib === 'tfjs') return tfjsGflops(await loadTf(backend as TfBackend, currentGpuInstance()), n, seconds);
  return jaxjsGflops(await loadJax(backend as JaxDevice, currentGpuInstance()), n, seconds);
}

/** webgrad and tfjs-webgpu at each size in `sizes`, GFLOP/s, and their table. */
export async function compareMatmul(sizes: number[], seconds: number) {
  const tf = await loadTf('webgpu', currentGpuInstance());
  const tfBackend = tf.backend() as unknown as { device: GPUDevice };
  const figures: { n: number; webgradGflops: number; tfjsGflops: number; ratio: number }[] = [];
  for (const n of sizes) {
    let w = 0;
    let t = 0;
    for (let i = 0; i < ROUNDS; i++) {
      w = Math.max(w, await webgradGflops(n, seconds));
      t = Math.max(t, await tfjsGflops(tf, n, seconds));
    }
    figures.push({ n, webgradGflops: w, tfjsGflops: t, ratio: w / t });
    console.log(`${n}^2: webgrad ${w.toFixed(2)} GFLOP/s, tfjs-webgpu ${t.toFixed(2)} GFLOP/s, ratio ${(w / t).toFixed(2)}`);
  }
  tf.engine().reset();
  tfBackend.device.destroy();
  const table: BenchTable = {
    title: 'Square matmul, GFLOP/s of wall time per call, dispatch to queue done (ratio = webgrad / tfjs-webgpu)',
    columns: ['n', 'webgrad', 'tfjs-webgpu', 'ratio'],
    rows: figures.map((s) => [s.n, s.webgradGflops, s.tfjsGflops, s.ratio]),
  };
  return { sizes: figures, table };
}
