// webgrad's Node entry (the "node" condition of package.json's exports): everything the
// browser entry (index.ts) exports, plus the Node host: Dawn's WebGPU from the `webgpu`
// package (an optional peer dependency, imported here and nowhere else), files on disk
// and the Fashion-MNIST finder. Read next: src/kernels/host.ts, src/index.ts.

import { DeviceLostError } from './kernels/device.ts';
import { setNodeHost } from './kernels/host.ts';

/** Dawn's navigator.gpu; a clear error when the optional `webgpu` package is not installed. */
async function dawnGpu(): Promise<GPU> {
  let dawn: typeof import('webgpu');
  try {
    dawn = await import('webgpu');
  } catch (e) {
    const missing = (e as { code?: string }).code === 'ERR_MODULE_NOT_FOUND' && String(e).includes("'webgpu'");
    throw new DeviceLostError(
      missing
        ? "webgrad: WebGPU in Node comes from Dawn's `webgpu` package, which is not installed: run `npm install webgpu` (an optional peer dependency of webgrad; browsers do not need it)"
        : `webgrad: Dawn's \`webgpu\` package failed to load: ${e instanceof Error ? e.message : String(e)}`,
      { cause: e },
    );
  }
  Object.assign(globalThis, dawn.globals);
  return dawn.create([]);
}

setNodeHost({ gpu: dawnGpu, files: () => import('./io/node-files.ts'), locate: () => import('./data/locate.ts') });

export * from './index.ts';
