// The names of the elementwise ops and activations, with the numeric ids their WGSL
// kernels switch on (`override OP: u32`). Keep ids in step with wgsl/unary.wgsl and
// wgsl/binary.wgsl.

export const UNARY_OPS = {
  linear: 0, neg: 1, abs: 2, sign: 3, exp: 4, log: 5, sqrt: 6, square: 7,
  relu: 8, elu: 9, selu: 10, sigmoid: 11, tanh: 12, softplus: 13,
  leaky_relu: 14, gelu: 15, silu: 16, hard_sigmoid: 17, hard_sigmoid_keras2: 18,
} as const;
export type UnaryOp = keyof typeof UNARY_OPS;

/** Activations usable in a fused Dense (their derivative is a function of the output). */
export const ACTIVATIONS = [
  'linear', 'relu', 'elu', 'selu', 'sigmoid', 'tanh', 'softplus', 'leaky_relu', 'hard_sigmoid', 'hard_sigmoid_keras2',
] as const;
export type Activation = (typeof ACTIVATIONS)[number];
/** Activations whose derivative needs the input: applied after a Dense's fused product. */
export const INPUT_ACTIVATIONS = ['gelu', 'silu'] as const;

export const BINARY_OPS = {
  add: 0, sub: 1, mul: 2, div: 3, pow: 4, maximum: 5, minimum: 6,
  equal: 7, notEqual: 8, less: 9, lessEqual: 10, greater: 11, greaterEqual: 12,
} as const;
export type BinaryOp = keyof typeof BINARY_OPS;
export const COMPARISONS: readonly BinaryOp[] = ['equal', 'notEqual', 'less', 'lessEqual', 'greater', 'greaterEqual'];
