// The tensor ops, in one namespace for users (`import { ops } from 'webgrad.js'`).
// Each lives with its backward rule and kernel in src/autograd/<family>.ts.

export * from './autograd/elementwise.ts';
export { matmul, dense } from './autograd/matmul.ts';
export { sum, mean, max, min, argmax, argmin, sumTo } from './autograd/reduce.ts';
export { reshape, transpose, broadcastTo } from './autograd/layout.ts';
export { concat } from './autograd/concat.ts';
export { softmax, logSoftmax } from './autograd/softmax.ts';
export {
  sparseCategoricalCrossentropy,
  categoricalCrossentropy,
  binaryCrossentropy,
  meanSquaredError,
  meanAbsoluteError,
} from './autograd/losses.ts';
export { dropout, alphaDropout } from './autograd/dropout.ts';
export { batchNormTraining, batchNormInference } from './autograd/batch-norm.ts';
export { leakyRelu, eluAlpha } from './autograd/param-activation.ts';
