// The GPU runtime: records every dispatch into ONE open command encoder and submits only
// when a result is read or a caller ends a step with flush(). Pipelines come from the cache
// (pipelines.ts), storage buffers from the pool (buffers.ts); small parameter blocks (shapes,
// scalars) become uniform buffers cached by content, so a training step that repeats its
// shapes creates no new GPU objects. WEBGRAD_DEBUG=1 prints every dispatch, WEBGRAD_DEBUG=2
// also each new pipeline's WGSL (env.ts). The fast layer (src/fast/) plugs in at two named
// points, `recorder` (step capture) and `dryRun` (compiling ahead); both are null on the
// plain path. Read next: src/tensor/tensor.ts (who calls this), wgsl/*.wgsl (what runs).

import { BufferPool, type MemoryInfo } from './buffers.ts';
import { currentGpu, DeviceLostError, GpuError, type Gpu } from './device.ts';
import { debugLevel, envFlag } from './env.ts';
import { type CachedPipeline, type Kernel, PipelineCache, type PipelineTime } from './pipelines.ts';
import { type KernelTime, Profiler } from './profiler.ts';
import { waitIdle, waitPolled, type WaitWork } from './wait.ts';

export type { Kernel, PipelineTime };

export interface RuntimeStats {
  dispatches: number;
  submits: number;
  /** Pipelines created, the asynchronous ones (compiling ahead) included. */
  pipelines: number;
  /** Of those, the ones created ahead with createComputePipelineAsync (src/fast/compile-ahead.ts). */
  pipelinesAsync: number;
  uniformBuffers: number;
  /** Captured steps replayed (src/fast/capture.ts). */
  replays: number;
}

/** A recorded command: a dispatch, or a buffer-to-buffer copy. */
export type Command =
  | { pipeline: GPUComputePipeline; bindGroup: GPUBindGroup; x: number; y: number; z: number }
  | { src: GPUBuffer; srcOffset: number; dst: GPUBuffer; dstOffset: StepOffset; bytes: number };

/** A copy's destination offset: fixed, or read per step (predict's output row). */
export type StepOffset = number | (() => number);

/**
 * What step capture (src/fast/capture.ts) hears from the encoder, and the data that changes
 * from one step to the next (a batch offset, dropout seeds, optimizer scalars), which a
 * replay must produce again. With no recorder (the plain path) that data is simply uploaded.
 */
export interface Recorder {
  command(c: Command, buffers: readonly GPUBuffer[]): void;
  /** Gives up the step being recorded, if any (a submit, a host upload mid-step). */
  abort(reason: string): void;
  /** A cached uniform buffer is about to be destroyed: captures binding it die. */
  forget(buf: GPUBuffer): void;
  stepUniform(make: () => Uint8Array): GPUBuffer;
  stepData(buffer: GPUBuffer, make: () => Float32Array): void;
}

const MAX_UNIFORMS = 4096;
const MAX_BIND_GROUPS = 8192;

/** Per-device state: everything here dies with the device. */
class Runtime {
  readonly pool: BufferPool;
  readonly pipelines: PipelineCache;
  private uniforms = new Map<string, GPUBuffer>();
  private bindGroups = new Map<string, GPUBindGroup>();
  private bufferIds = new WeakMap<GPUBuffer, number>();
  private nextBufferId = 1;
  private doomed: GPUBuffer[] = [];
  private encoder: GPUCommandEncoder | null = null;
  private pass: GPUComputePassEncoder | null = null;
  readonly stats: Omit<RuntimeStats, 'pipelines'> = { dispatches: 0, submits: 0, pipelinesAsync: 0, uniformBuffers: 0, replays: 0 };
  readonly debug = debugLevel();
  profiler: Profiler | null = null;
  /** The fast layer's step capture, once it is used on this device (src/fast/capture.ts). */
  recorder: Recorder | null = null;
  /** While set, a dispatch only names its kernel to it: nothing is recorded, copies are
   * skipped, and a submit throws (a dry run: src/fast/compile-ahead.ts). */
  dryRun: ((k: Kernel) => void) | null = null;
  /** How many dispatches (stats.dispatches) are known finished, and the number of the last one
   * that ran a new pipeline: a wait covering it includes its compile (wait.ts). */
  doneUpTo = 0;
  compiledAt = 0;
  /** The last submit that a drain (read, idle) waited for: all work up to it is done. */
  drainedSubmit = 0;

  constructor(readonly gpu: Gpu) {
    this.pool = new BufferPool(gpu.device);
    this.pipelines = new PipelineCache(gpu, this.debug);
    if (envFlag('WEBGRAD_PROFILE')) this.profile(true);
  }

  /** Turns per-kernel timestamp profiling on or off (needs the 'timestamp-query' feature). */
  profile(on: boolean): void {
    if (on && !this.gpu.device.features.has('timestamp-query')) {
      throw new GpuError("webgrad: profiling needs the adapter's 'timestamp-query' feature, which this adapter lacks");
    }
    this.flush();
    this.profiler = on ? new Profiler(this.gpu.device) : null;
  }

  private pipeline(k: Kernel): CachedPipeline & { pipeline: GPUComputePipeline } {
    const hit = this.pipelines.get(k);
    // A pipeline's first run holds its compile on lavapipe, which compiles lazily (wait.ts).
    if (!hit.ran) {
      hit.ran = true;
      this.compiledAt = this.stats.dispatches + 1; // the dispatch about to be recorded
    }
    return hit;
  }

  /** Names a kernel a step will dispatch (an optimizer's, before its slots exist): only a dry run listens. */
  prepare(k: Kernel): void {
    this.dryRun?.(k);
  }

  /** A uniform buffer holding `bytes`, shared by every dispatch with the same contents. */
  uniform(bytes: Uint8Array): GPUBuffer {
    // Param blocks are whole u32/f32 words: 2 bytes per key character.
    const key = String.fromCharCode(...new Uint16Array(bytes.buffer, bytes.byteOffset, bytes.length >> 1));
    let buf = this.uniforms.get(key);
    if (buf) {
      // Map keeps insertion order: re-inserting makes this the most recently used.
      this.uniforms.delete(key);
      this.uniforms.set(key, buf);
      return buf;
    }
    buf = this.gpu.device.createBuffer({
      size: Math.max(16, Math.ceil(bytes.length / 16) * 16),
      usage: GPUBufferUsage.UNIFORM,
      mappedAtCreation: true,
    });
    new Uint8Array(buf.getMappedRange()).set(bytes);
    buf.unmap();
    this.uniforms.set(key, buf);
    this.stats.uniformBuffers++;
    if (this.uniforms.size > MAX_UNIFORMS) {
      const [oldKey, old] = this.uniforms.entries().next().value as [string, GPUBuffer];
      this.uniforms.delete(oldKey);
      this.recorder?.forget(old);
      this.doomed.push(old); // destroyed after the next submit: a pending dispatch may use it
    }
    return buf;
  }

  private unused: GPUBuffer | null = null;

  /** A tiny storage buffer for a binding a kernel variant never touches (it must be bound,
   * and must not alias another writable binding of the dispatch). */
  unusedStorage(): GPUBuffer {
    this.unused ??= this.gpu.device.createBuffer({ size: 16, usage: GPUBufferUsage.STORAGE });
    return this.unused;
  }

  private id(buf: GPUBuffer): number {
    let id = this.bufferIds.get(buf);
    if (id === undefined) {
      id = this.nextBufferId++;
      this.bufferIds.set(buf, id);
    }
    return id;
  }

  private bindGroup(pipeline: GPUComputePipeline, pipelineId: number, buffers: GPUBuffer[]): GPUBindGroup {
    let key = String(pipelineId);
    for (const b of buffers) key += `,${this.id(b)}`;
    let bg = this.bindGroups.get(key);
    if (bg) return bg;
    bg = this.gpu.device.createBindGroup({
      layout: pipeline.getBindGroupLayout(0),
      entries: buffers.map((buffer, binding) => ({ binding, resource: { buffer } })),
    });
    if (this.bindGroups.size >= MAX_BIND_GROUPS) this.bindGroups.clear();
    this.bindGroups.set(key, bg);
    return bg;
  }

  private openPass(timestampWrites?: GPUComputePassTimestampWrites): GPUComputePassEncoder {
    this.encoder ??= this.gpu.device.createCommandEncoder();
    this.pass ??= this.encoder.beginComputePass(timestampWrites ? { timestampWrites } : {});
    return this.pass;
  }

  private closePass(): GPUCommandEncoder {
    if (this.pass) {
      this.pass.end();
      this.pass = null;
    }
    this.encoder ??= this.gpu.device.createCommandEncoder();
    return this.encoder;
  }

  dispatch(k: Kernel, buffers: GPUBuffer[], workgroups: readonly number[]): void {
    this.check();
    const [x, y = 1, z = 1] = workgroups;
    // WebGPU would only report this later, as a validation error at the submit; a clear error
    // now leaves nothing half-recorded.
    const max = this.gpu.limits.maxComputeWorkgroupsPerDimension;
    if (x > max || y > max || z > max) {
      throw new GpuError(
        `webgrad: kernel '${k.label}' needs [${x},${y},${z}] workgroups, more than this adapter's ${max} per dimension; its grid must be split (see grid() in runtime.ts)`,
      );
    }
    if (this.dryRun) return this.dryRun(k);
    const p = this.pipeline(k);
    if (this.profiler) this.closePass(); // one pass per dispatch, so each gets its timestamps
    const pass = this.openPass(this.profiler?.passTimestamps(k.label, p.id));
    const bindGroup = this.bindGroup(p.pipeline, p.id, buffers);
    pass.setPipeline(p.pipeline);
    pass.setBindGroup(0, bindGroup);
    pass.dispatchWorkgroups(x, y, z);
    this.recorder?.command({ pipeline: p.pipeline, bindGroup, x, y, z }, buffers);
    this.stats.dispatches++;
    if (this.debug >= 1) console.log(`[webgrad] dispatch ${k.label} [${x},${y},${z}] ${JSON.stringify(k.constants ?? {})}`);
  }

  copy(src: GPUBuffer, dst: GPUBuffer, bytes: number, srcOffset = 0, dstOffset: StepOffset = 0): void {
    this.check();
    if (this.dryRun) return;
    this.closePass().copyBufferToBuffer(src, srcOffset, dst, typeof dstOffset === 'number' ? dstOffset : dstOffset(), bytes);
    this.recorder?.command({ src, srcOffset, dst, dstOffset, bytes }, [src, dst]);
  }

  /** Submits everything recorded so far (one command buffer). */
  flush(): void {
    this.check();
    if (this.dryRun) throw new GpuError('webgrad: a dry run (compiling ahead) submits and reads nothing');
    this.recorder?.abort('the step submits (a readback or a wait mid-step)');
    if (this.encoder) {
      const collect = this.profiler?.resolve(this.closePass());
      const cmd = this.closePass().finish();
      this.encoder = null;
      this.gpu.device.queue.submit([cmd]);
      this.stats.submits++;
      collect?.();
    }
    this.pool.submitted();
    for (const b of this.doomed) b.destroy();
    this.doomed = [];
  }

  /** Throws the device's loss or a recorded WebGPU error instead of going on. */
  check(): void {
    if (this.gpu.lost) throw this.gpu.lost;
    const err = this.gpu.pendingError;
    if (err) {
      this.gpu.pendingError = null;
      // Drop what was recorded: an encoder holding a broken dispatch would fail every
      // later submit, and the good work recorded after it, with this same error.
      this.pass = null;
      this.encoder = null;
      throw err;
    }
  }

  /**
   * Copies `bytes` of `src` to the host. Submits pending work; never spins the CPU. `polled`:
   * a read nobody blocks on (fit's progress read), which polls its map (wait.ts waitPolled).
   */
  async read(src: GPUBuffer, bytes: number, kind = 'read', polled = false): Promise<ArrayBuffer> {
    try {
      return await this.copyOut(src, bytes, kind, polled);
    } catch (e) {
      // A kernel that failed to compile first shows up as "invalid due to a previous
      // error"; report the compiler's message instead once its error scope has settled.
      if (this.pipelines.compiling.size) await Promise.all(this.pipelines.compiling);
      const root = this.gpu.pendingError;
      if (root) {
        this.gpu.pendingError = null;
        throw root;
      }
      throw e;
    }
  }

  private async copyOut(src: GPUBuffer, bytes: number, kind: string, polled: boolean): Promise<ArrayBuffer> {
    const size = Math.ceil(bytes / 4) * 4;
    const staging = this.gpu.device.createBuffer({ size, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    this.copy(src, staging, size);
    this.flush();
    const submit = this.stats.submits;
    const map = () => staging.mapAsync(GPUMapMode.READ);
    try {
      if (polled) await waitPolled(kind, this.drainWork(), () => this.pollMap(staging), map);
      else await waitIdle(kind, this.drainWork(), map);
    } catch (e) {
      staging.destroy();
      return this.waitFailed(e, 'reading a result back');
    }
    this.drainedSubmit = Math.max(this.drainedSubmit, submit);
    const out = staging.getMappedRange().slice(0, bytes);
    staging.unmap();
    staging.destroy();
    await this.settled();
    return out;
  }

  /** Resolves when all submitted work is done (after a flush), without spinning. */
  async idle(kind = 'idle'): Promise<void> {
    this.flush();
    const submit = this.stats.submits;
    try {
      await waitIdle(kind, this.drainWork(), () => this.gpu.device.queue.onSubmittedWorkDone());
    } catch (e) {
      return this.waitFailed(e, 'waiting for the GPU');
    }
    this.drainedSubmit = Math.max(this.drainedSubmit, submit);
    await this.settled();
  }

  /**
   * Whether the submit that writes `fence` (a fence or a readback's staging buffer) is done,
   * found within ~1 ms: then it is mapped; if not, the map is aborted (no spin).
   */
  async pollMap(fence: GPUBuffer): Promise<boolean> {
    this.check();
    let aborted = false;
    const mapped = fence.mapAsync(GPUMapMode.READ).then(
      () => true,
      (e: unknown) => {
        if (aborted) return false;
        throw e;
      },
    );
    const soon = new Promise<false>((r) => setTimeout(r, 1, false));
    if (await Promise.race([mapped, soon])) return true;
    aborted = true;
    fence.unmap();
    return mapped;
  }

  /** The work a drain (a wait for everything submitted) covers. */
  private drainWork(): WaitWork {
    const end = this.stats.dispatches;
    const work = { dispatches: end - this.doneUpTo, compiled: this.compiledAt > this.doneUpTo };
    this.doneUpTo = end;
    return work;
  }

  /** Throws any error of the work so far, once pending pipeline compiles have reported. */
  async settled(): Promise<void> {
    if (this.pipelines.compiling.size) await Promise.all(this.pipelines.compiling);
    this.check();
  }

  /**
   * A failed map or wait usually means the device was lost: give its `lost` promise a moment
   * to settle, so the error says why (device.ts records it), else name what failed.
   */
  async waitFailed(e: unknown, what: string): Promise<never> {
    await Promise.race([this.gpu.device.lost, new Promise((r) => setTimeout(r, 100))]);
    this.check();
    throw new DeviceLostError(`webgrad: ${what} failed: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }

  /** Uploads host data into a buffer (a step being captured gives up: it would not replay it). */
  write(buf: GPUBuffer, data: ArrayBufferView): void {
    this.recorder?.abort('host data was uploaded during the step');
    this.gpu.device.queue.writeBuffer(buf, 0, data.buffer, data.byteOffset, data.byteLength);
  }

  /** A uniform block that changes every step (a batch offset, a dropout seed). */
  stepUniform(make: () => Uint8Array): GPUBuffer {
    return this.recorder ? this.recorder.stepUniform(make) : this.uniform(make());
  }

  /** Uploads `make()` into `buffer`: data that changes every step (an optimizer's scalars). */
  stepData(buffer: GPUBuffer, make: () => Float32Array): void {
    if (this.recorder) this.recorder.stepData(buffer, make);
    else this.write(buffer, make());
  }

  // ---- For step capture's replay (src/fast/capture.ts) ----

  /** Encodes recorded commands into the open encoder, as dispatch/copy would. */
  encodeCaptured(commands: readonly Command[]): void {
    this.check();
    for (const c of commands) {
      if ('pipeline' in c) {
        const pass = this.openPass();
        pass.setPipeline(c.pipeline);
        pass.setBindGroup(0, c.bindGroup);
        pass.dispatchWorkgroups(c.x, c.y, c.z);
        this.stats.dispatches++;
      } else {
        const dstOffset = typeof c.dstOffset === 'number' ? c.dstOffset : c.dstOffset();
        this.closePass().copyBufferToBuffer(c.src, c.srcOffset, c.dst, dstOffset, c.bytes);
      }
    }
    this.stats.replays++;
    if (this.debug >= 1) console.log(`[webgrad] replay ${commands.length} commands`);
  }

  /** Submits what is recorded, if anything (so a replay's uploads cannot overtake it). */
  flushPending(): void {
    if (this.encoder) this.flush();
  }

  /** Destroys `buf` after the next submit (a pending dispatch may still use it). */
  doom(buf: GPUBuffer): void {
    this.doomed.push(buf);
  }
}

let runtime: Runtime | null = null;

/** The runtime of the current device (created on first use, replaced after a device loss). */
export function rt(): Runtime {
  const gpu = currentGpu();
  if (!runtime || runtime.gpu !== gpu) runtime = new Runtime(gpu);
  return runtime;
}

/** Bytes and buffers held by live tensors (and the pool), for leak tests. */
export function memory(): MemoryInfo {
  return rt().pool.info();
}

/** Dispatch/submit/pipeline counters, for tests and benchmarks. */
export function runtimeStats(): Readonly<RuntimeStats> {
  const r = rt();
  return { ...r.stats, pipelines: r.pipelines.count };
}

/** Per-kernel GPU times since profiling began (WEBGRAD_PROFILE=1 or profile(true)). */
export async function profileReport(): Promise<KernelTime[]> {
  const p = rt().profiler;
  if (!p) throw new Error('webgrad: profiling is off: set WEBGRAD_PROFILE=1 or call profile(true) first');
  rt().flush();
  return p.report();
}

/** Every pipeline made on this device and its cost (bench/compile.ts prints them). */
export async function pipelineReport(): Promise<PipelineTime[]> {
  const r = rt();
  if (r.profiler) await profileReport();
  return r.pipelines.made.map((m) => {
    const ns = r.profiler?.firstRun.get(m.id);
    return { ...m, firstRunMs: ns === undefined ? null : ns / 1e6 };
  });
}

/** Turns per-kernel GPU timing on or off. */
export function profile(on = true): void {
  rt().profile(on);
}

/** Submits all recorded work now (fit() calls this once per training step). */
export function flush(): void {
  rt().flush();
}

/** Number of workgroups for `threads` invocations of size `wg`, split over x and y past 65,535. */
export function grid(threads: number, wg: number): [number, number] {
  const groups = Math.max(1, Math.ceil(threads / wg));
  if (groups <= 65535) return [groups, 1];
  const y = Math.ceil(groups / 65535);
  return [Math.ceil(groups / y), y];
}

/** Packs a uniform block: u32 fields then f32 fields, as the WGSL structs declare them. */
export function params(u32: readonly number[], f32: readonly number[] = []): Uint8Array {
  const buf = new ArrayBuffer((u32.length + f32.length) * 4);
  new Uint32Array(buf, 0, u32.length).set(u32);
  new Float32Array(buf, u32.length * 4, f32.length).set(f32);
  return new Uint8Array(buf);
}

export type { Runtime };
