// TensorFlow.js in the same Node process or page, on the same adapter: webgpu (needs
// navigator.gpu, which in Node we point at Dawn), wasm (SIMD, files from node_modules), cpu,
// and in a page webgl. Used by the benchmarks as the reference to beat.

import type * as tfType from '@tensorflow/tfjs-core';

export type TfBackend = 'webgpu' | 'wasm' | 'webgl' | 'cpu';

/** File name -> URL of TF.js's .wasm files, where a bundler placed them (the site's bench page). */
let wasmFiles: Record<string, string> | null = null;

/** Loads TF.js's Wasm backend from these URLs instead of node_modules' folder. */
export function useTfWasmFiles(files: Record<string, string>): void {
  wasmFiles = files;
}

export async function loadTf(backend: TfBackend, gpu?: GPU): Promise<typeof tfType> {
  const tf = await import('@tensorflow/tfjs-core');
  if (backend === 'webgpu') {
    if (gpu && !(globalThis as { navigator?: { gpu?: GPU } }).navigator?.gpu) {
      Object.defineProperty(globalThis, 'navigator', { value: { gpu, userAgent: 'node' }, configurable: true });
    }
    await import('@tensorflow/tfjs-backend-webgpu');
  } else if (backend === 'wasm') {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    // The folder with the .wasm files: a path in Node, a URL path on Vite's dev server. In a
    // variable, because Vite rewrites new URL('<literal>', import.meta.url) and would turn
    // the folder into its index.js.
    const dist = '../../node_modules/@tensorflow/tfjs-backend-wasm/dist/';
    wasm.setWasmPaths(wasmFiles ?? new URL(dist, import.meta.url).pathname);
  } else if (backend === 'webgl') {
    await import('@tensorflow/tfjs-backend-webgl');
  } else {
    await import('@tensorflow/tfjs-backend-cpu');
  }
  // tfjs quietly keeps the previous backend when one fails to start: fail, not time the wrong one.
  if (!(await tf.setBackend(backend))) throw new Error(`TensorFlow.js backend ${backend} failed to start`);
  await tf.ready();
  return tf;
}
