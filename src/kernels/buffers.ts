// The GPU buffer pool: storage buffers are recycled by exact (16-byte rounded) size, since
// a training step asks for the same sizes every time. A buffer released while commands
// that use it are still being recorded only returns to the pool after they are submitted:
// reusing it earlier could let a queue.writeBuffer (which runs at submit time) overwrite
// data an unsubmitted dispatch still reads. Caps keep the pool bounded.

import { GpuMemoryError } from './device.ts';

// Read lazily: in Node the GPUBufferUsage global exists only once Dawn is loaded.
const storageUsage = () => GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;
/** Pooled buffers kept per size, and pooled bytes kept in all. */
const MAX_PER_SIZE = 64;
const MAX_POOLED_BYTES = 512 * 1024 * 1024;

export interface MemoryInfo {
  /** Bytes held by live tensors and other owners (not counting the pool or the constant cache). */
  bytesInUse: number;
  /** Buffers held by live owners. */
  buffersInUse: number;
  /** Bytes kept in the pool for reuse. */
  bytesPooled: number;
  /**
   * Bytes of cached op constants (src/tensor/create.ts `constant`): at most 256 scalars per
   * device, filled as new values appear (an epoch's short last batch adds its size once).
   */
  bytesCached: number;
  /** Bytes in the arenas of captured steps (capture.ts): a step's intermediates, kept while its capture lives. */
  bytesCaptured: number;
}

/**
 * Throws a GpuMemoryError when `bytes` exceed what one buffer may hold (`maxBytes`); called
 * before anything is allocated, on the host or the GPU. `advice` says how to get under it.
 */
export function checkBufferSize(bytes: number, maxBytes: number, what: string, advice = 'split it (smaller batches, or a uint8 dataset)'): void {
  if (bytes <= maxBytes) return;
  throw new GpuMemoryError(
    `webgrad: ${what} needs ${bytes.toLocaleString('en-US')} bytes, more than this adapter allows in one buffer (${maxBytes.toLocaleString('en-US')} bytes, its maxBufferSize/maxStorageBufferBindingSize); ${advice} — nothing was allocated`,
  );
}

export class BufferPool {
  private free = new Map<number, GPUBuffer[]>();
  private waiting: GPUBuffer[] = [];
  private pooledBytes = 0;
  private cached = new Set<GPUBuffer>();
  private cachedBytes = 0;
  private capturedBytes = 0;
  bytesInUse = 0;
  buffersInUse = 0;
  /** Capture hooks (capture.ts): told of each acquire; a release it keeps (true) skips the pool. */
  onAcquire: ((buf: GPUBuffer) => void) | null = null;
  onRelease: ((buf: GPUBuffer) => boolean) | null = null;

  constructor(private device: GPUDevice) {}

  static roundSize(bytes: number): number {
    return Math.max(16, Math.ceil(bytes / 16) * 16);
  }

  /** A buffer of at least `bytes`; `what` names its use in the error when it exceeds `maxBytes`. */
  acquire(bytes: number, maxBytes: number, what = 'a buffer'): GPUBuffer {
    const size = BufferPool.roundSize(bytes);
    checkBufferSize(size, maxBytes, what);
    const list = this.free.get(size);
    let buf = list?.pop();
    if (buf) this.pooledBytes -= size;
    else buf = this.device.createBuffer({ size, usage: storageUsage() });
    this.bytesInUse += size;
    this.buffersInUse++;
    this.onAcquire?.(buf);
    return buf;
  }

  /** Counts an acquired buffer as part of a bounded cache rather than in use (see MemoryInfo). */
  cache(buf: GPUBuffer): void {
    if (this.cached.has(buf)) return;
    this.cached.add(buf);
    this.bytesInUse -= buf.size;
    this.buffersInUse--;
    this.cachedBytes += buf.size;
  }

  /** Gives a buffer back; it becomes reusable after the next submit (see `submitted`). */
  release(buf: GPUBuffer): void {
    if (this.cached.delete(buf)) this.cachedBytes -= buf.size;
    else {
      this.bytesInUse -= buf.size;
      this.buffersInUse--;
    }
    if (this.onRelease?.(buf)) this.capturedBytes += buf.size;
    else this.waiting.push(buf);
  }

  /** Takes back buffers already released (a dropped capture's arena), reusable after the next submit. */
  reclaim(bufs: GPUBuffer[]): void {
    for (const buf of bufs) this.capturedBytes -= buf.size;
    this.waiting.push(...bufs);
  }

  /** Called by the runtime right after a submit: released buffers may now be reused. */
  submitted(): void {
    for (const buf of this.waiting) {
      const list = this.free.get(buf.size) ?? [];
      if (list.length >= MAX_PER_SIZE || this.pooledBytes + buf.size > MAX_POOLED_BYTES) {
        buf.destroy();
        continue;
      }
      list.push(buf);
      this.free.set(buf.size, list);
      this.pooledBytes += buf.size;
    }
    this.waiting = [];
  }

  info(): MemoryInfo {
    const { bytesInUse, buffersInUse, pooledBytes: bytesPooled, cachedBytes: bytesCached, capturedBytes: bytesCaptured } = this;
    return { bytesInUse, buffersInUse, bytesPooled, bytesCached, bytesCaptured };
  }
}
