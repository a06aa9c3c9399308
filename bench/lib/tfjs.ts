// TensorFlow.js in the same Node process, on the same adapter: webgpu (needs navigator.gpu,
// which we point at Dawn), wasm (SIMD, files from node_modules) and cpu. Used by the
// benchmarks as the reference to beat.

import type * as tfType from '@tensorflow/tfjs-core';

export type TfBackend = 'webgpu' | 'wasm' | 'cpu';

export async function loadTf(backend: TfBackend, gpu?: GPU): Promise<typeof tfType> {
  const tf = await import('@tensorflow/tfjs-core');
  if (backend === 'webgpu') {
    if (gpu && !(globalThis as { navigator?: { gpu?: GPU } }).navigator?.gpu) {
      Object.defineProperty(globalThis, 'navigator', { value: { gpu, userAgent: 'node' }, configurable: true });
    }
    await import('@tensorflow/tfjs-backend-webgpu');
  } else if (backend === 'wasm') {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    wasm.setWasmPaths(new URL('../../node_modules/@tensorflow/tfjs-backend-wasm/dist/', import.meta.url).pathname);
  } else {
    await import('@tensorflow/tfjs-backend-cpu');
  }
  await tf.setBackend(backend);
  await tf.ready();
  return tf;
}
