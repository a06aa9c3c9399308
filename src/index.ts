// webgrad's public entry: works unchanged in Node (Dawn, via the `webgpu` package) and in
// the browser (navigator.gpu). Start with `await ready()`, or call fit/predict, which do.
// The Node entry (node.ts) adds Dawn; the references below go into the published types,
// which name WebGPU's types (GPUDevice, ...) and Symbol.dispose.
/// <reference types="@webgpu/types" preserve="true" />
/// <reference lib="esnext.disposable" preserve="true" />

export { ready, adapterInfo, releaseDevice, currentGpuInstance, DeviceLostError, GpuError, GpuMemoryError } from './kernels/device.ts';
export type { AdapterDescription } from './kernels/device.ts';
export { flush, memory, runtimeStats, profile, profileReport, pipelineReport, type PipelineTime } from './kernels/runtime.ts';
export { SPEEDUPS, type Speedup } from './kernels/env.ts';
export { Tensor } from './tensor/tensor.ts';
export { tensor, tensorU8, zeros, ones, fill, scalar, randomUniform, randomNormal, truncatedNormal } from './tensor/create.ts';
export { tidy, keep } from './tensor/memory.ts';
export { setSeed } from './tensor/random.ts';
export { backward, grad } from './autograd/backward.ts';
export { noGrad } from './autograd/tape.ts';
export * as ops from './ops.ts';
export { NDArray, ndarray } from './data/ndarray.ts';
export { DatasetError, type DatasetErrorCode } from './data/errors.ts';
export { Sequential, type CompileArgs } from './nn/model/sequential.ts';
export { Model, type ModelArgs } from './nn/model/model.ts';
export { Network } from './nn/model/network.ts';
export type { Compiled, CompiledOutput, PerOutput } from './nn/model/compile.ts';
export { Input, InputLayer, type InputArgs } from './nn/layers/input-layer.ts';
export { SymbolicTensor, type GraphNode } from './nn/layers/layer.ts';
export { Normalization, type NormalizationArgs } from './nn/layers/normalization.ts';
export { Concatenate, Add, Subtract, Multiply, Average, Maximum, Minimum } from './nn/layers/merge.ts';
export type { SummaryOptions } from './nn/model/functional-summary.ts';
export type { Inputs } from './nn/model/data-feed.ts';
export { Layer, type Weight, type LayerArgs } from './nn/layers/layer.ts';
export { Dense, type DenseArgs } from './nn/layers/dense.ts';
export { Flatten } from './nn/layers/flatten.ts';
export { Dropout, AlphaDropout, MCDropout, MCAlphaDropout } from './nn/layers/dropout.ts';
export { Activation } from './nn/layers/activation.ts';
export { BatchNormalization, type BatchNormalizationArgs } from './nn/layers/batch-normalization.ts';
export { LeakyReLU, ELU, PReLU, type LeakyReLUArgs, type ELUArgs, type PReLUArgs } from './nn/layers/activation-layers.ts';
export { withDefaults } from './nn/layers/defaults.ts';
export { activations } from './nn/layers/activations.ts';
export { initializers, getInitializer, type Initializer } from './nn/layers/initializers.ts';
export { regularizers, l1, l2, l1l2, Regularizer } from './nn/layers/regularizers.ts';
export { constraints, maxNorm, nonNeg, unitNorm, type Constraint } from './nn/layers/constraints.ts';
export { History } from './nn/callbacks/history.ts';
export type { FitOptions, FitContext } from './nn/model/training.ts';
export type { EvaluateOptions, PredictOptions } from './nn/model/inference.ts';
export * from './optim/index.ts';
export { EarlyStopping, type EarlyStoppingOptions, TerminateOnNaN, LambdaCallback, type LambdaCallbackHooks } from './nn/callbacks/callbacks.ts';
export { mcPredict, type MCPredictOptions, type MCPrediction } from './nn/model/mc-dropout.ts';
export { loadModel } from './io/load-model.ts';
export type { LoadModelOptions, ModelSource, SaveFormat } from './io/model-files.ts';
export { cloneModel } from './nn/model/clone.ts';
export { ModelCheckpoint, type ModelCheckpointOptions } from './io/checkpoint.ts';
export { ModelFileError, type ModelFileErrorCode } from './io/errors.ts';
export { loadFashionMnist, type FashionMnist, type FashionMnistOptions } from './data/fashion-mnist.ts';
export { splitDataset, splitDataset3rdEdition, transferLearningSplits, type Dataset, type TransferLearningSplits } from './data/split.ts';
