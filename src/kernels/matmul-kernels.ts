// The matmul kernels, assembled: an interface (wgsl/matmul-io.wgsl: a product with bias,
// activation and column sums; the fast layer brings its own, src/fast/act-grads.ts and
// fused-sgd.ts) followed by a kernel that reads it. matmul-naive.wgsl is the specification,
// one loop per element; the adapter-tuned kernels (matmul-tuned.ts) compute the same with
// register blocking, and the device runs the one tuned for its adapter (WEBGRAD_MATMUL
// picks another). Read next: wgsl/matmul-naive.wgsl, then autograd/matmul.ts (who
// dispatches these), then matmul-tuned.ts.

import { currentGpu } from './device.ts';
import { envFlag } from './env.ts';
import { defaultMatmulKernel, TUNED } from './matmul-tuned.ts';
import { ACTIVATIONS_WGSL } from './op-names.ts';
import { params, rt } from './runtime.ts';
import matmulIoWgsl from './wgsl/matmul-io.wgsl?raw';
import matmulNaiveWgsl from './wgsl/matmul-naive.wgsl?raw';
import matmulParamsWgsl from './wgsl/matmul-params.wgsl?raw';
import nanWgsl from './wgsl/nan.wgsl?raw';

/** Each kernel's body (after the interface) and output block (rows x columns of C) per workgroup. */
const BODIES = { naive: { body: matmulNaiveWgsl, tileM: 8, tileN: 8 }, ...TUNED };
export type MatmulKernelName = keyof typeof BODIES;
const NAMES = Object.keys(BODIES) as MatmulKernelName[];

/** The plain product's interface (matmul-io.wgsl and what it calls); a module constant, so
 * the kernels assembled behind it are found by identity of the string. */
export const PRODUCT_IO = nanWgsl + ACTIVATIONS_WGSL + matmulParamsWgsl + matmulIoWgsl;
/** Params p, which every interface declares first (matmul-params.wgsl). */
export const MATMUL_PARAMS_WGSL = matmulParamsWgsl;

export interface MatmulKernel {
  /** The assembled WGSL, built once (the pipeline cache keys on the string). */
  code: string;
  tileM: number;
  tileN: number;
}

function assemble(name: MatmulKernelName, io: string): MatmulKernel {
  const { body, tileM, tileN } = BODIES[name];
  // `enable` must precede every declaration.
  const enable = name === 'subgroups' ? 'enable subgroups;\n' : '';
  return { code: enable + io + body, tileM, tileN };
}

/** Each interface's kernels, assembled on first use. */
const ASSEMBLED = new Map<string, Partial<Record<MatmulKernelName, MatmulKernel>>>();

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

/** The device's kernel behind interface `io`. */
function matmulKernel(io: string): MatmulKernel {
  const name = matmulKernelName();
  let byName = ASSEMBLED.get(io);
  if (!byName) ASSEMBLED.set(io, (byName = {}));
  return (byName[name] ??= assemble(name, io));
}

/**
 * Dispatches the device's kernel behind `io` over a result of `rows` (M, plus a row of column
 * sums where the interface appends one) x N, inner dimension K: `buffers` follow the params.
 */
export function runMatmul(label: string, io: string, [M, N, K]: readonly number[], buffers: GPUBuffer[], constants?: Record<string, number>, rows = M): void {
  const r = rt();
  const { code, tileM, tileN } = matmulKernel(io);
  r.dispatch({ label, code, constants }, [r.uniform(params([M, N, K])), ...buffers], [Math.ceil(N / tileN), Math.ceil(rows / tileM)]);
}
