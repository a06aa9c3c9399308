// Matrix products: matmul (with transpose flags, so backward needs no transpose copies)
// and dense (matmul + bias + activation in one kernel: the forward of a Dense layer).
// Kernels: wgsl/matmul.wgsl, or wgsl/matmul-subgroups.wgsl where subgroups are 8 lanes
// (tilings explained there).

import { currentGpu } from '../kernels/device.ts';
import { params, rt } from '../kernels/runtime.ts';
import activationsWgsl from '../kernels/wgsl/activations.wgsl?raw';
import matmulSubgroupsWgsl from '../kernels/wgsl/matmul-subgroups.wgsl?raw';
import matmulIoWgsl from '../kernels/wgsl/matmul-io.wgsl?raw';
import matmulWgsl from '../kernels/wgsl/matmul.wgsl?raw';
import nanWgsl from '../kernels/wgsl/nan.wgsl?raw';
import { shapeStr } from '../tensor/shape.ts';
import { emptyTensor, type Tensor } from '../tensor/tensor.ts';
import { unaryGrad } from './elementwise.ts';
import { fusedUpdateOf } from './fused-update.ts';
import { type Activation, UNARY_OPS } from './op-names.ts';
import { sum } from './reduce.ts';
import type { Rules } from './registry-types.ts';
import { needsGrad, record } from './tape.ts';

/** Rows of C per workgroup in the subgroup kernel: 4 loads of A per lane, 8 lanes. */
const SG_TM = 32;

/**
 * main() of matmul-subgroups.wgsl, written out because subgroupBroadcast takes a constant
 * lane: per k, lane l loads row 8q + l of the tile (a_q), and every lane gets row 8q + i as
 * subgroupBroadcast(a_q, i) for its vec4f of 4 columns (acc{i} is row i). Straight-line
 * code: the same tiling with loops measured ~30% slower on lavapipe (accumulator arrays).
 */
function subgroupMain(): string {
  const quads = Array.from({ length: SG_TM / 8 }, (_, q) => q);
  const rows = Array.from({ length: SG_TM }, (_, i) => i);
  return [
    '@compute @workgroup_size(LANES)',
    'fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_id) lid: vec3u) {',
    `  let r0 = wid.y * ${SG_TM}u;`,
    '  let c0 = wid.x * LANES * 4u + lid.x;',
    ...quads.map((q) => `  let ra${q} = min(r0 + ${8 * q}u + lid.x, out_rows() - 1u);`),
    '  let cb = min(vec4u(c0) + vec4u(0u, 8u, 16u, 24u), vec4u(p.N - 1u));',
    ...rows.map((i) => `  var acc${i} = vec4f();`),
    '  for (var k = 0u; k < p.K; k++) {',
    ...quads.map((q) => `    let a${q} = a_at(ra${q}, k);`),
    '    let b = vec4f(b_at(k, cb.x), b_at(k, cb.y), b_at(k, cb.z), b_at(k, cb.w));',
    ...rows.map((i) => `    acc${i} = fma(vec4f(subgroupBroadcast(a${i >> 3}, ${i & 7}u)), b, acc${i});`),
    '  }',
    // A loop, not 32 calls: each store_row inlines 4 stores, and llvmpipe compiles their
    // loads/stores per lane: written out, the epilogue cost seconds of compile per variant.
    `  var acc = array<vec4f, ${SG_TM}>(${rows.map((i) => `acc${i}`).join(', ')});`,
    `  for (var i = 0u; i < min(${SG_TM}u, out_rows() - r0); i++) { store_row(r0 + i, c0, acc[i]); }`,
    '}',
  ].join('\n');
}

/** Rows and vec4 column groups per invocation in matmul.wgsl (8 x 8 invocations: a 32 x 64 tile). */
const TILED_TR = 4;
const TILED_TV = 2;

/**
 * main() of matmul.wgsl: invocation (x, y) owns rows r0 + i (i < 4) and the column groups
 * c0 + 32j .. c0 + 32j + 3 (j < 2); per k it loads 4 values of A and 8 of B into a{i}, b{j}
 * and updates acc{i}_{j}. Written out, not looped: see matmul.wgsl.
 */
function tiledMain(): string {
  const rows = Array.from({ length: TILED_TR }, (_, i) => i);
  const groups = Array.from({ length: TILED_TV }, (_, j) => j);
  const each = (f: (i: number, j: number) => string) => rows.flatMap((i) => groups.map((j) => f(i, j)));
  return [
    '@compute @workgroup_size(WG, WG)',
    'fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_id) lid: vec3u) {',
    `  let r0 = (wid.y * WG + lid.y) * ${TILED_TR}u;`,
    `  let c0 = (wid.x * WG * ${TILED_TV}u + lid.x) * 4u;`,
    ...rows.map((i) => `  let ra${i} = min(r0 + ${i}u, out_rows() - 1u);`),
    ...groups.map((j) => `  let cb${j} = min(vec4u(c0 + ${j}u * WG * 4u) + vec4u(0u, 1u, 2u, 3u), vec4u(p.N - 1u));`),
    ...each((i, j) => `  var acc${i}_${j} = vec4f();`),
    '  for (var k = 0u; k < p.K; k++) {',
    ...groups.map((j) => `    let b${j} = vec4f(b_at(k, cb${j}.x), b_at(k, cb${j}.y), b_at(k, cb${j}.z), b_at(k, cb${j}.w));`),
    ...rows.map((i) => `    let a${i} = vec4f(a_at(ra${i}, k));`),
    ...each((i, j) => `    acc${i}_${j} = fma(a${i}, b${j}, acc${i}_${j});`),
    '  }',
    ...each((i, j) => `  store4(r0 + ${i}u, c0 + ${j}u * WG * 4u, acc${i}_${j});`),
    '}',
  ].join('\n');
}

const PREFIX = nanWgsl + activationsWgsl + matmulIoWgsl;
/** Each kernel's WGSL and output tile (rows x columns of C) per workgroup. */
const KERNELS = {
  tiled: { code: PREFIX + matmulWgsl + tiledMain(), tileM: 8 * TILED_TR, tileN: 8 * TILED_TV * 4 },
  // `enable` must precede every declaration, so it goes before the shared prefix.
  subgroups: { code: `enable subgroups;\n${PREFIX}${matmulSubgroupsWgsl}${subgroupMain()}`, tileM: SG_TM, tileN: 32 },
};
export type MatmulKernelName = keyof typeof KERNELS;

/**
 * The kernel the current device runs: 'subgroups' where its subgroups are exactly 8 lanes
 * (a workgroup of 8 is then one subgroup: lavapipe), else 'tiled' (SwiftShader reports 4).
 */
export function matmulKernelName(): MatmulKernelName {
  const s = currentGpu().subgroupSizes;
  return s?.min === 8 && s.max === 8 ? 'subgroups' : 'tiled';
}

/**
 * The backward extras of a product (matmul-io.wgsl): the column sums of op(B) go to
 * `colSums`; with `scalars` (fused-update.ts) the product is not stored: `into` and
 * `colSums` are a weight and its bias, and receive plain SGD with those step scalars.
 */
interface Extras {
  colSums: Tensor;
  into?: Tensor;
  scalars?: Tensor;
}

function product(
  op: string,
  a: Tensor,
  b: Tensor,
  transA: boolean,
  transB: boolean,
  bias: Tensor | null,
  activation: Activation,
  extras?: Extras,
): Tensor {
  if (a.rank !== 2 || b.rank !== 2) {
    throw new RangeError(`${op}: expected 2-D operands, got ${shapeStr(a.shape)} x ${shapeStr(b.shape)}`);
  }
  const [M, Ka] = transA ? [a.shape[1], a.shape[0]] : [a.shape[0], a.shape[1]];
  const [Kb, N] = transB ? [b.shape[1], b.shape[0]] : [b.shape[0], b.shape[1]];
  if (Ka !== Kb) {
    const t = (s: boolean) => (s ? 'ᵀ' : '');
    throw new RangeError(
      `${op}: ${shapeStr(a.shape)}${t(transA)} x ${shapeStr(b.shape)}${t(transB)}: inner dimensions ${Ka} != ${Kb}`,
    );
  }
  if (bias && (bias.rank !== 1 || bias.shape[0] !== N)) {
    throw new RangeError(`${op}: bias ${shapeStr(bias.shape)} does not match ${N} output units`);
  }
  const colSums = extras?.colSums ?? null;
  const update = extras?.scalars ?? null;
  const out = extras?.into ?? emptyTensor([M, N]);
  if (M && N) {
    const r = rt();
    const { code, tileM, tileN } = KERNELS[matmulKernelName()];
    const constants = {
      TRANS_A: Number(transA),
      TRANS_B: Number(transB),
      HAS_BIAS: Number(!!bias),
      ACT: UNARY_OPS[activation],
      COL_SUMS: Number(!!colSums),
      UPDATE: Number(!!update),
    };
    // Bindings a variant does not touch get a buffer that aliases no writable one.
    const buffers = [r.uniform(params([M, N, Ka])), a.buffer, b.buffer, (bias ?? a).buffer, out.buffer];
    buffers.push(colSums?.buffer ?? r.unusedStorage(), (update ?? a).buffer);
    r.dispatch({ label: op, code, constants }, buffers, [Math.ceil(N / tileN), Math.ceil((M + (colSums ? 1 : 0)) / tileM)]);
  }
  return out;
}

/** op(a) · op(b) where op transposes when the flag is set. */
export function matmul(a: Tensor, b: Tensor, transA = false, transB = false): Tensor {
  return record('matmul', [a, b], product('matmul', a, b, transA, transB, null, 'linear'), { transA, transB });
}

/**
 * [aᵀ · b, the column sums of b] in one dispatch (matmul-io.wgsl's COL_SUMS): a Dense
 * layer's weight and bias gradients, xᵀ·dz and Σ_rows dz. Backward only: not recorded.
 */
export function matmulColumnSums(a: Tensor, b: Tensor): [Tensor, Tensor] {
  const colSums = emptyTensor([b.shape[1] ?? 0]);
  return [product('matmul', a, b, true, false, null, 'linear', { colSums }), colSums];
}

/**
 * Plain SGD on a Dense layer's weight w and bias, from their gradients aᵀ · b and the
 * column sums of b, without storing the gradients (the UPDATE variant of matmulColumnSums;
 * `scalars` from optim/kernels.ts uploadStep). Backward only.
 */
export function sgdFromColumnSums(a: Tensor, b: Tensor, w: Tensor, bias: Tensor, scalars: Tensor): void {
  const N = b.shape[1];
  if (w.rank !== 2 || w.shape[0] !== a.shape[1] || w.shape[1] !== N || bias.rank !== 1 || bias.shape[0] !== N) {
    throw new RangeError(`sgdFromColumnSums: weight ${shapeStr(w.shape)} and bias ${shapeStr(bias.shape)} do not fit ${shapeStr(a.shape)}ᵀ x ${shapeStr(b.shape)}`);
  }
  product('matmul', a, b, true, false, null, 'linear', { colSums: bias, into: w, scalars });
}

/** activation(x · w + b): a Dense layer's forward in one dispatch. */
export function dense(x: Tensor, w: Tensor, b: Tensor | null, activation: Activation = 'linear'): Tensor {
  const y = product('dense', x, w, false, false, b, activation);
  return record('dense', b ? [x, w, b] : [x, w], y, { activation });
}

export const matmulRules: Rules<'matmul' | 'dense'> = {
  // C = op(A) op(B): dA and dB are again products with transposes, never transpose copies.
  matmul: (dC, n) => {
    const [A, B] = n.inputs;
    const { transA, transB } = n.attrs;
    const dA = !needsGrad(A) ? null : transA ? matmul(B, dC, transB, true) : matmul(dC, B, false, !transB);
    const dB = !needsGrad(B) ? null : transB ? matmul(dC, A, true, transA) : matmul(A, dC, !transA, false);
    return [dA, dB];
  },
  // y = act(x W + b): dz = dy * act'(y) (from the output alone), then three products.
  dense: (dy, n) => {
    const [x, w, b] = n.inputs;
    const act = n.attrs.activation;
    const dz = act === 'linear' ? dy : unaryGrad(act, n.output, n.output, dy);
    // The first layer's input (the data) needs no gradient: skip its product.
    const dx = needsGrad(x) ? matmul(dz, w, false, true) : null;
    const [wantW, wantB] = [needsGrad(w), !!b && needsGrad(b)];
    // fit's plain SGD, applied here: dx above already read w (fused-update.ts).
    const scalars = wantW && wantB ? fusedUpdateOf(w) : null;
    if (b && scalars && fusedUpdateOf(b) === scalars) {
      sgdFromColumnSums(x, dz, w, b, scalars);
      return [dx, null, null];
    }
    if (wantW && wantB) return [dx, ...matmulColumnSums(x, dz)]; // dW and db in one dispatch
    const grads = [dx, wantW ? matmul(x, dz, true, false) : null];
    return b ? [...grads, wantB ? sum(dz, 0) : null] : grads;
  },
};
