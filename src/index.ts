// webgrad's public entry: works unchanged in Node (Dawn, via the `webgpu` package) and in
// the browser (navigator.gpu). Start with `await ready()`, or call fit/predict, which do.

export { ready, adapterInfo, releaseDevice, DeviceLostError, GpuError } from './kernels/device.ts';
export type { AdapterDescription } from './kernels/device.ts';
export { flush, memory, runtimeStats } from './kernels/runtime.ts';
export { Tensor } from './tensor/tensor.ts';
export { tensor, tensorU8, zeros, ones, fill, scalar, randomUniform, randomNormal, truncatedNormal } from './tensor/create.ts';
export { tidy, keep } from './tensor/memory.ts';
export { setSeed } from './tensor/random.ts';
export { backward, grad } from './autograd/backward.ts';
export { noGrad } from './autograd/tape.ts';
export * as ops from './ops.ts';
export { NDArray, ndarray } from './data/ndarray.ts';
