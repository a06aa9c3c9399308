// The Tensor: a shape, a dtype and a GPU buffer it owns, plus what autograd needs (the
// tape node that produced it, its gradient). Values live on the GPU only; `await data()`
// copies them back. Ops are plain functions (src/autograd/*.ts) rather than methods, so
// each op family keeps its forward, backward and kernel together.
// Read next: memory.ts (who disposes tensors), create.ts (how they are made).

import { checkBufferSize } from '../kernels/buffers.ts';
import { DeviceLostError } from '../kernels/device.ts';
import { rt, type Runtime } from '../kernels/runtime.ts';
import type { TapeNodeOf } from '../autograd/tape-node.ts';
import { type Shape, shapeStr, sizeOf } from './shape.ts';
import { track, untrack } from './memory.ts';

/**
 * 'float32' is the compute type. 'uint8' holds datasets compactly (4 bytes per u32 word,
 * value = byte * scale) so 60,000 Fashion-MNIST images fit one storage binding; the only
 * op that reads it is gatherRows (batching), which turns it into float32.
 */
export type DType = 'float32' | 'uint8';

/**
 * A GPU buffer shared by tensors that view it (reshape); freed when the last view goes,
 * back to the runtime (device) it came from, which may since have been lost.
 */
export interface Storage {
  buffer: GPUBuffer;
  refs: number;
  owner: Runtime;
}

let nextId = 1;

export class Tensor {
  readonly id = nextId++;
  readonly shape: readonly number[];
  readonly size: number;
  /** For uint8 tensors: the value of byte b is b * scale. */
  readonly scale: number;
  requiresGrad = false;
  grad: Tensor | null = null;
  /** The op that produced this tensor, when it was recorded on the tape (autograd/tape-node.ts says why `Of<Tensor>`). */
  node: TapeNodeOf<Tensor> | null = null;
  /** A name for error messages and weights ("dense/kernel"). */
  name: string | undefined;
  private storage: Storage | null;

  constructor(storage: Storage, shape: Shape, readonly dtype: DType = 'float32', scale = 1) {
    this.storage = storage;
    this.shape = [...shape];
    this.size = sizeOf(shape);
    this.scale = scale;
    track(this);
  }

  get buffer(): GPUBuffer {
    const s = this.storage;
    if (!s) throw new Error(`webgrad: tensor ${this.describe()} was disposed and cannot be used`);
    const lost = s.owner.gpu.lost;
    if (lost) {
      throw new DeviceLostError(`webgrad: tensor ${this.describe()} lived on a GPU device that is gone (${lost.message.replace(/^webgrad: /, '')})`, { cause: lost });
    }
    return s.buffer;
  }

  get isDisposed(): boolean {
    return this.storage === null;
  }

  get rank(): number {
    return this.shape.length;
  }

  /** Another tensor on the same buffer (a view): used by reshape, which copies nothing. */
  view(shape: Shape): Tensor {
    const s = this.storage;
    if (!s) throw new Error(`webgrad: tensor ${this.describe()} was disposed`);
    s.refs++;
    return new Tensor(s, shape, this.dtype, this.scale);
  }

  /** Copies the values to the host: float32 in row-major order. */
  async data(): Promise<Float32Array> {
    if (this.dtype === 'uint8') {
      const bytes = new Uint8Array(await rt().read(this.buffer, this.size));
      return Float32Array.from(bytes, (b) => b * this.scale);
    }
    return new Float32Array(await rt().read(this.buffer, this.size * 4));
  }

  /** The values as nested arrays (like tf.Tensor.array()). */
  async array(): Promise<unknown> {
    const flat = Array.from(await this.data());
    if (this.rank === 0) return flat[0];
    const build = (dim: number, offset: number): unknown[] => {
      const n = this.shape[dim];
      const inner = sizeOf(this.shape.slice(dim + 1));
      return Array.from({ length: n }, (_, i) =>
        dim === this.rank - 1 ? flat[offset + i] : build(dim + 1, offset + i * inner),
      );
    };
    return build(0, 0);
  }

  /** The single value of a one-element tensor. */
  async item(): Promise<number> {
    if (this.size !== 1) throw new RangeError(`item(): tensor ${this.describe()} has ${this.size} elements, not 1`);
    return (await this.data())[0];
  }

  /** Frees the GPU buffer now (when no other view holds it). Safe to call twice. */
  dispose(): void {
    const s = this.storage;
    if (!s) return;
    this.storage = null;
    this.node = null;
    untrack(this);
    if (--s.refs === 0) s.owner.pool.release(s.buffer);
  }

  [Symbol.dispose](): void {
    this.dispose();
  }

  describe(): string {
    return `${this.name ? `'${this.name}' ` : ''}${shapeStr(this.shape)}${this.dtype === 'float32' ? '' : ` ${this.dtype}`}`;
  }

  toString(): string {
    return `Tensor${this.describe()}`;
  }
}

/** The most bytes one tensor may hold on the current device (one storage buffer). */
export function maxTensorBytes(): number {
  const { maxBufferSize, maxStorageBufferBindingSize } = rt().gpu.limits;
  return Math.min(maxBufferSize, maxStorageBufferBindingSize);
}

const tensorBytes = (shape: Shape, dtype: DType) => (dtype === 'uint8' ? Math.ceil(sizeOf(shape) / 4) * 4 : sizeOf(shape) * 4);

/**
 * Throws a GpuMemoryError naming `what` when a tensor of `shape` would not fit one buffer
 * on this device, before any host array or GPU buffer is made for it (layers check their
 * weights with it, random tensors their host values).
 */
export function checkTensorFits(shape: Shape, what: string, advice?: string, dtype: DType = 'float32'): void {
  checkBufferSize(tensorBytes(shape, dtype), maxTensorBytes(), what, advice);
}

/** A new tensor with its own (uninitialised) buffer: the output of a kernel. */
export function emptyTensor(shape: Shape, dtype: DType = 'float32', scale = 1): Tensor {
  const r = rt();
  const buffer = r.pool.acquire(tensorBytes(shape, dtype), maxTensorBytes(), `a tensor ${shapeStr(shape)}`);
  return new Tensor({ buffer, refs: 1, owner: r }, shape, dtype, scale);
}
