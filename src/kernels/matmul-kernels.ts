// The matmul kernels, assembled: an interface (wgsl/matmul-io.wgsl: a product with bias,
// activation and column sums; or wgsl/dense-sgd-io.wgsl: a Dense layer's weight gradient
// applied with plain SGD) followed by a kernel that reads it. matmul-naive.wgsl is the
// specification, one loop per element; matmul.wgsl ('blocked', 'blocked-8x8') and
// matmul-subgroups.wgsl compute the same with register blocking, their main() written out here.
// Read next: wgsl/matmul-naive.wgsl, then autograd/matmul.ts (who dispatches these).

import { currentGpu, type Gpu } from './device.ts';
import { envFlag } from './env.ts';
import { ACTIVATIONS_WGSL } from './op-names.ts';
import { STEP_WGSL } from './optim-step.ts';
import denseSgdIoWgsl from './wgsl/dense-sgd-io.wgsl?raw';
import matmulIoWgsl from './wgsl/matmul-io.wgsl?raw';
import matmulNaiveWgsl from './wgsl/matmul-naive.wgsl?raw';
import matmulParamsWgsl from './wgsl/matmul-params.wgsl?raw';
import matmulSubgroupsWgsl from './wgsl/matmul-subgroups.wgsl?raw';
import matmulWgsl from './wgsl/matmul.wgsl?raw';
import nanWgsl from './wgsl/nan.wgsl?raw';

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

/**
 * main() of matmul.wgsl for a workgroup of wg x wg invocations, each owning tr rows and tv
 * vec4 column groups: invocation (x, y) owns rows r0 + i (i < tr) and the column groups
 * c0 + 4·wg·j .. c0 + 4·wg·j + 3 (j < tv); per k it loads tr values of A and 4·tv of B into
 * a{i}, b{j} and updates acc{i}_{j}. Written out, not looped: see matmul.wgsl.
 */
function blockedMain(wg: number, tr: number, tv: number): string {
  const [rows, groups] = [tr, tv].map((n) => Array.from({ length: n }, (_, i) => i));
  const each = (f: (i: number, j: number) => string) => rows.flatMap((i) => groups.map((j) => f(i, j)));
  return [
    `const WG: u32 = ${wg}u;`,
    '@compute @workgroup_size(WG, WG)',
    'fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_id) lid: vec3u) {',
    `  let r0 = (wid.y * WG + lid.y) * ${tr}u;`,
    `  let c0 = (wid.x * WG * ${tv}u + lid.x) * 4u;`,
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

/** matmul.wgsl's kernel for a wg x wg workgroup of tr x 4·tv blocks. */
const blocked = (wg: number, tr: number, tv: number) => ({ body: matmulWgsl + blockedMain(wg, tr, tv), tileM: wg * tr, tileN: wg * tv * 4 });

/** Each kernel's body (after the interface) and output block (rows x columns of C) per workgroup. */
const BODIES = {
  naive: { body: matmulNaiveWgsl, tileM: 8, tileN: 8 },
  blocked: blocked(8, 4, 2),
  // SwiftShader's: 8 x 8 per invocation, 16 invocations. Model A in headless Chromium (a sweep
  // of wg x tr x tv, 2026-12-02): 2,000 / 3,050 samples/s at batch 32 / 256 against
  // 'blocked''s 1,500 / 2,200; 4 x 8 x 4 and 2 x 8 x 2 came within the noise of it, and
  // 4 x 4 x 2, 4 x 4 x 4, 8 x 2 x 1, 8 x 4 x 1, 8 x 8 x 2, 2 x 8 x 4, 4 x 16 x 1 trailed it.
  'blocked-8x8': blocked(4, 8, 2),
  subgroups: { body: matmulSubgroupsWgsl + subgroupMain(), tileM: SG_TM, tileN: 32 },
};
export type MatmulKernelName = keyof typeof BODIES;
const NAMES = Object.keys(BODIES) as MatmulKernelName[];

/** What precedes a kernel body: the product interface, or the dense-backward-with-SGD one. */
const INTERFACES = {
  product: nanWgsl + ACTIVATIONS_WGSL + matmulParamsWgsl + matmulIoWgsl,
  'dense-sgd': `alias V = f32;\n${STEP_WGSL}${matmulParamsWgsl}${denseSgdIoWgsl}`,
};
export type MatmulInterface = keyof typeof INTERFACES;

export interface MatmulKernel {
  /** The assembled WGSL, built once (the pipeline cache keys on the string). */
  code: string;
  tileM: number;
  tileN: number;
}

function assemble(name: MatmulKernelName, io: MatmulInterface): MatmulKernel {
  const { body, tileM, tileN } = BODIES[name];
  // `enable` must precede every declaration.
  const enable = name === 'subgroups' ? 'enable subgroups;\n' : '';
  return { code: enable + INTERFACES[io] + body, tileM, tileN };
}

const ASSEMBLED = Object.fromEntries(
  NAMES.map((n) => [n, { product: assemble(n, 'product'), 'dense-sgd': assemble(n, 'dense-sgd') }]),
) as Record<MatmulKernelName, Record<MatmulInterface, MatmulKernel>>;

/**
 * The kernel an adapter runs by default: 'subgroups' where subgroups are exactly 8 lanes (a
 * workgroup of 8 is then one subgroup: lavapipe), 'blocked-8x8' on SwiftShader, else
 * 'blocked' (real GPUs vary).
 */
export function defaultMatmulKernel(architecture: string, subgroupSizes: Gpu['subgroupSizes']): MatmulKernelName {
  const eightLanes = subgroupSizes?.min === 8 && subgroupSizes.max === 8;
  return eightLanes ? 'subgroups' : architecture === 'swiftshader' ? 'blocked-8x8' : 'blocked';
}

/** The kernel the current device runs: WEBGRAD_MATMUL when set (env.ts), else its default. */
export function matmulKernelName(): MatmulKernelName {
  const { adapter, subgroupSizes: s } = currentGpu();
  const asked = envFlag('WEBGRAD_MATMUL');
  if (asked === undefined) return defaultMatmulKernel(adapter.architecture, s);
  if (!NAMES.includes(asked as MatmulKernelName)) {
    throw new RangeError(`webgrad: WEBGRAD_MATMUL=${asked} names no matmul kernel; use one of ${NAMES.join(', ')}`);
  }
  if (asked === 'subgroups' && defaultMatmulKernel('', s) !== 'subgroups') throw new RangeError('webgrad: WEBGRAD_MATMUL=subgroups needs subgroups of exactly 8 lanes, which this device lacks');
  return asked as MatmulKernelName;
}

/** The assembled kernel `name` (default: the device's) behind interface `io`. */
export function matmulKernel(io: MatmulInterface, name = matmulKernelName()): MatmulKernel {
  return ASSEMBLED[name][io];
}
