// The ops' names, one ordered list per kernel family: a name's index in its list is the id
// its WGSL kernel switches on (`override OP: u32`). No id is written by hand, in TS or WGSL:
// wgslIds() turns a list into constants (`const UNARY_RELU: u32 = 8u;`) that the kernel's
// text starts with, and the WGSL's switch names them. Adding an op is a name here and its
// case in the WGSL (tests/core/op-names.test.ts checks the two agree).
// Read next: wgsl/activations.wgsl (the unary ops), then autograd/elementwise.ts.

import activationsWgsl from './wgsl/activations.wgsl?raw';

/** wgsl/activations.wgsl: unary.wgsl, unary-grad.wgsl and the matmul epilogue (ACT). */
export const UNARY_OP_NAMES = [
  'linear', 'neg', 'abs', 'sign', 'exp', 'log', 'sqrt', 'square', 'relu', 'elu', 'selu', 'sigmoid', 'tanh',
  'softplus', 'leaky_relu', 'gelu', 'silu', 'hard_sigmoid', 'hard_sigmoid_keras2'] as const;
export type UnaryOp = (typeof UNARY_OP_NAMES)[number];

/** Activations usable in a fused Dense (their derivative is a function of the output). */
export const ACTIVATIONS = [
  'linear', 'relu', 'elu', 'selu', 'sigmoid', 'tanh', 'softplus', 'leaky_relu', 'hard_sigmoid', 'hard_sigmoid_keras2'] as const satisfies readonly UnaryOp[];
export type Activation = (typeof ACTIVATIONS)[number];
/** Activations whose derivative needs the input: applied after a Dense's fused product. */
export const INPUT_ACTIVATIONS = ['gelu', 'silu'] as const satisfies readonly UnaryOp[];

/** wgsl/binary.wgsl. */
export const BINARY_OP_NAMES = [
  'add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum', 'equal', 'notEqual', 'less', 'lessEqual', 'greater', 'greaterEqual'] as const;
export type BinaryOp = (typeof BINARY_OP_NAMES)[number];
export const COMPARISONS: readonly BinaryOp[] = ['equal', 'notEqual', 'less', 'lessEqual', 'greater', 'greaterEqual'];

/** wgsl/reduce.wgsl: argmax/argmin give the first index of the extreme. */
export const REDUCE_OP_NAMES = ['sum', 'max', 'min', 'argmax', 'argmin'] as const;
export type ReduceOp = (typeof REDUCE_OP_NAMES)[number];

/** wgsl/param-activation.wgsl: activations with a scalar parameter (Keras's LeakyReLU, ELU layers). */
export const PARAM_ACTIVATION_NAMES = ['leaky_relu', 'elu'] as const;
export type ParamActivation = (typeof PARAM_ACTIVATION_NAMES)[number];

/** Each family's name in WGSL (its constants' prefix) and its list. */
export const OP_FAMILIES = { UNARY: UNARY_OP_NAMES, BINARY: BINARY_OP_NAMES, REDUCE: REDUCE_OP_NAMES, PARAM: PARAM_ACTIVATION_NAMES };
type Family = keyof typeof OP_FAMILIES;

/** The id of op `name` in `family`: its index in the list, the value of the kernel's OP. */
export function opId<F extends Family>(family: F, name: (typeof OP_FAMILIES)[F][number]): number {
  return (OP_FAMILIES[family] as readonly string[]).indexOf(name);
}

/** A family's ids as WGSL constants, one per name: `const UNARY_LEAKY_RELU: u32 = 14u;`. */
export function wgslIds(family: Family): string {
  const constName = (n: string) => `${family}_${n.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;
  return OP_FAMILIES[family].map((n, i) => `const ${constName(n)}: u32 = ${i}u;\n`).join('');
}

/** activations.wgsl preceded by the unary ids it switches on (nan.wgsl goes before it too). */
export const ACTIVATIONS_WGSL = wgslIds('UNARY') + activationsWgsl;
