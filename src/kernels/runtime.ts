// The GPU runtime: compiles each WGSL pipeline once, records every dispatch into ONE open
// command encoder, and submits only when a result is read or a caller ends a step with
// flush(). Storage buffers come from the pool (buffers.ts); small parameter blocks
// (shapes, scalars) become uniform buffers cached by content, so a training step that
// repeats its shapes creates no new GPU objects. WEBGRAD_DEBUG=1 prints every dispatch,
// WEBGRAD_DEBUG=2 also each new pipeline's WGSL (env.ts).
// Read next: src/tensor/tensor.ts (who calls this), wgsl/*.wgsl (what runs).

import { BufferPool, type MemoryInfo } from './buffers.ts';
import { Captures, type Command, type Encoding, type StepOffset } from './capture.ts';
import { type KernelTime, Profiler } from './profiler.ts';
import { currentGpu, DeviceLostError, GpuError, type Gpu } from './device.ts';
import { debugLevel, envFlag } from './env.ts';
import { waitFence, waitIdle, waitPolled, type WaitWork } from './wait.ts';

/** A compute shader entry point; `constants` fill WGSL `override` declarations. */
export interface Kernel {
  label: string;
  /** Build it once (a module constant): a string concatenated per dispatch is re-hashed
   * for the pipeline lookup every time (~8 µs for a few KB of WGSL). */
  code: string;
  entry?: string;
  constants?: Record<string, number>;
}

export interface RuntimeStats {
  dispatches: number;
  submits: number;
  /** Pipelines created, the asynchronous ones (prepare) included. */
  pipelines: number;
  /** Of those, the ones created ahead with createComputePipelineAsync (nn/precompile.ts). */
  pipelinesAsync: number;
  uniformBuffers: number;
  /** Captured steps replayed (kernels/capture.ts). */
  replays: number;
}

/** A cached pipeline: `pipeline` is null while its asynchronous creation is under way; `ran` once dispatched. */
interface CachedPipeline {
  pipeline: GPUComputePipeline | null;
  id: number;
  ran: boolean;
}
type Ready = CachedPipeline & { pipeline: GPUComputePipeline };

const MAX_UNIFORMS = 4096;
const MAX_BIND_GROUPS = 8192;

/** Per-device state: everything here dies with the device. */
class Runtime implements Encoding {
  readonly pool: BufferPool;
  /** Pipelines by WGSL text, then by entry point and constants. NOTE: keyed on the code
   * string itself (V8 caches a string's hash), never on a string built per dispatch: that
   * would hash kilobytes of WGSL for every dispatch. */
  private pipelines = new Map<string, Map<string, CachedPipeline>>();
  private uniforms = new Map<string, GPUBuffer>();
  private bindGroups = new Map<string, GPUBindGroup>();
  private bufferIds = new WeakMap<GPUBuffer, number>();
  private nextBufferId = 1;
  private doomed: GPUBuffer[] = [];
  /** Pipeline error scopes not yet settled: reads await them so a compile error is reported as such. */
  private compiling = new Set<Promise<void>>();
  /** Asynchronous creations (prepare) not yet awaited by pipelinesReady: each settles to its error or null. */
  private preparing = new Set<Promise<GpuError | null>>();
  /** While > 0, a dispatch only prepares its pipeline, and nothing is recorded (collectPipelines). */
  collecting = 0;
  /** How many of the dispatches so far (stats.dispatches) are known finished, the count at the
   * last throttle() fence, and at the last dispatch that ran a new pipeline: a wait covering
   * that one includes its compile (wait.ts). */
  private doneUpTo = 0;
  private markedAt = 0;
  private compiledAt = 0;
  /** The fence of the last throttle() round, not waited for yet, with its count and work. */
  private lastMark: { fence: GPUBuffer; dispatches: number; submit: number; round: number; work: WaitWork } | null = null;
  private rounds = 0;
  /** What a fence copies, and a fence buffer done with, kept for the next round (none made per round). */
  private fenceSource: GPUBuffer | null = null;
  private spareFence: GPUBuffer | null = null;
  private encoder: GPUCommandEncoder | null = null;
  private pass: GPUComputePassEncoder | null = null;
  readonly stats: RuntimeStats = { dispatches: 0, submits: 0, pipelines: 0, pipelinesAsync: 0, uniformBuffers: 0, replays: 0 };
  /** Every pipeline created, in order, with the host time its creation took. */
  readonly made: Omit<PipelineTime, 'firstRunMs'>[] = [];
  readonly debug = debugLevel();
  profiler: Profiler | null = null;

  /** Step capture and replay (capture.ts). */
  readonly captures: Captures;

  constructor(readonly gpu: Gpu) {
    this.pool = new BufferPool(gpu.device);
    this.captures = new Captures(gpu.device, this.pool, this, this.debug);
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

  /** The cache slot of k's variant (entry point and constants): its map, and its key there. */
  private slot(k: Kernel): [Map<string, CachedPipeline>, string] {
    let variant = k.entry ?? 'main';
    for (const name in k.constants) variant += `;${name}=${k.constants[name]}`;
    let byVariant = this.pipelines.get(k.code);
    if (!byVariant) this.pipelines.set(k.code, (byVariant = new Map()));
    return [byVariant, variant];
  }

  pipeline(k: Kernel): Ready {
    const [byVariant, variant] = this.slot(k);
    let hit = byVariant.get(variant);
    // Still being created asynchronously (prepare, not awaited): a dispatch cannot wait, so
    // create it here; the asynchronous one, when it comes, is dropped.
    if (!hit?.pipeline) hit = this.create(k, byVariant, variant, false);
    // A pipeline's first run holds its compile on lavapipe, which compiles lazily (wait.ts).
    if (!hit.ran) {
      hit.ran = true;
      this.compiledAt = this.stats.dispatches + 1; // the dispatch about to be recorded
    }
    return hit as Ready;
  }

  /**
   * Starts creating k's pipeline with createComputePipelineAsync unless it exists or is on its
   * way (a dry run's dispatches call this: collectPipelines); pipelinesReady() awaits it.
   */
  prepare(k: Kernel): void {
    const [byVariant, variant] = this.slot(k);
    if (!byVariant.has(variant)) this.create(k, byVariant, variant, true);
  }

  /** Creates k's pipeline and caches it, under an error scope so a compile error names the kernel. */
  private create(k: Kernel, byVariant: Map<string, CachedPipeline>, variant: string, async: boolean): CachedPipeline {
    const device = this.gpu.device;
    const t0 = performance.now();
    if (this.debug >= 2) console.log(`[webgrad] compile ${k.label} (${variant})\n${k.code}`);
    device.pushErrorScope('validation');
    const module = device.createShaderModule({ label: k.label, code: k.code });
    const desc: GPUComputePipelineDescriptor = {
      label: k.label,
      layout: 'auto',
      compute: { module, entryPoint: k.entry ?? 'main', constants: k.constants },
    };
    const made: CachedPipeline = { pipeline: null, id: ++this.stats.pipelines, ran: false };
    byVariant.set(variant, made);
    const failed = (err: GPUError) => new GpuError(`webgrad: kernel '${k.label}' failed to compile: ${err.message}`);
    if (async) {
      this.stats.pipelinesAsync++;
      const creating = device.createComputePipelineAsync(desc).then((p) => void (made.pipeline ??= p), (e: GPUError) => e);
      // The compiler's message (the scope's) is the root cause; the rejection only repeats
      // "invalid due to a previous error". A failed entry leaves the cache: a dispatch then
      // creates it again, synchronously, and reports it as below.
      const outcome = Promise.all([device.popErrorScope(), creating]).then(([err, rejected]) => {
        const why = err ?? rejected;
        if (why && byVariant.get(variant) === made) byVariant.delete(variant);
        return why ? failed(why) : null;
      });
      this.preparing.add(outcome);
    } else {
      made.pipeline = device.createComputePipeline(desc);
      const gpu = this.gpu;
      const scope = device.popErrorScope().then((err) => {
        // The compile error is the root cause: it replaces the "invalid due to a previous
        // error" that using the pipeline may have reported first.
        if (err) gpu.pendingError = failed(err);
      });
      this.compiling.add(scope);
      void scope.finally(() => this.compiling.delete(scope));
    }
    this.made.push({ id: made.id, label: k.label, variant, createMs: performance.now() - t0, async });
    return made;
  }

  /** Resolves when every pipeline prepare() started is created; throws the first that failed. */
  async pipelinesReady(): Promise<void> {
    const waiting = [...this.preparing];
    const errors = await Promise.all(waiting);
    for (const p of waiting) this.preparing.delete(p);
    const err = errors.find((e) => e !== null);
    this.check(); // a lost device fails every creation: say that instead
    if (err) throw err;
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
      this.captures.invalidateUsers(old);
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
    if (this.collecting) return this.prepare(k);
    const p = this.pipeline(k);
    if (this.profiler) this.closePass(); // one pass per dispatch, so each gets its timestamps
    const pass = this.openPass(this.profiler?.passTimestamps(k.label, p.id));
    const bindGroup = this.bindGroup(p.pipeline, p.id, buffers);
    pass.setPipeline(p.pipeline);
    pass.setBindGroup(0, bindGroup);
    pass.dispatchWorkgroups(x, y, z);
    this.captures.command({ pipeline: p.pipeline, bindGroup, x, y, z }, buffers);
    this.stats.dispatches++;
    if (this.debug >= 1) console.log(`[webgrad] dispatch ${k.label} [${x},${y},${z}] ${JSON.stringify(k.constants ?? {})}`);
  }

  copy(src: GPUBuffer, dst: GPUBuffer, bytes: number, srcOffset = 0, dstOffset: StepOffset = 0): void {
    this.check();
    if (this.collecting) return;
    this.closePass().copyBufferToBuffer(src, srcOffset, dst, typeof dstOffset === 'number' ? dstOffset : dstOffset(), bytes);
    this.captures.command({ src, srcOffset, dst, dstOffset, bytes }, [src, dst]);
  }

  /** Submits everything recorded so far (one command buffer). */
  flush(): void {
    this.check();
    if (this.collecting) throw new GpuError('webgrad: a dry run (collectPipelines) submits and reads nothing');
    this.captures.abort('the step submits (a readback or a wait mid-step)');
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
      if (this.compiling.size) await Promise.all(this.compiling);
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
    this.drained(submit);
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
    this.drained(submit);
    await this.settled();
  }

  /**
   * Keeps the host at most two rounds of work ahead of the GPU without ever draining it:
   * submits what is recorded with a fence after it, then waits for the fence of the previous
   * round. The GPU still has this round queued while the host sleeps, so the wait may sleep
   * its whole expected time (wait.ts FencePacer) instead of spinning the end of it.
   */
  async throttle(kind: string): Promise<void> {
    // A fence is a 4-byte copy into a mappable buffer: mapping it waits for this submit only.
    this.fenceSource ??= this.gpu.device.createBuffer({ size: 4, usage: GPUBufferUsage.COPY_SRC });
    const fence = this.spareFence ?? this.gpu.device.createBuffer({ size: 4, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    this.spareFence = null;
    this.closePass().copyBufferToBuffer(this.fenceSource, 0, fence, 0, 4);
    this.flush();
    const prev = this.lastMark;
    const dispatches = this.stats.dispatches;
    // A round's work is its own dispatches, whatever reads happened meanwhile (wait.ts learns from it).
    const work = { dispatches: dispatches - this.markedAt, compiled: this.compiledAt > this.markedAt };
    this.lastMark = { fence, dispatches, submit: this.stats.submits, round: ++this.rounds, work };
    this.markedAt = dispatches;
    if (!prev) return;
    const done = () => prev.fence.mapAsync(GPUMapMode.READ);
    try {
      await waitFence(kind, prev.round, prev.work, () => this.pollMap(prev.fence), done);
    } catch (e) {
      prev.fence.destroy();
      return this.waitFailed(e, 'waiting for the GPU');
    }
    this.spare(prev.fence);
    this.doneUpTo = Math.max(this.doneUpTo, prev.dispatches);
    await this.settled();
  }

  /**
   * After a drain of submits up to number `submit` (a read, which fit may run in the background):
   * the last throttle round's fence, if submitted by then, is done: dropped, so the next round
   * waits for nothing and starts a new chain.
   */
  private drained(submit: number): void {
    if (this.lastMark && this.lastMark.submit <= submit) {
      this.spare(this.lastMark.fence);
      this.lastMark = null;
    }
  }

  /** Keeps a fence whose submit is done for the next round (one spare; others are destroyed). */
  private spare(fence: GPUBuffer): void {
    fence.unmap(); // a no-op when it is not mapped
    if (this.spareFence) fence.destroy();
    else this.spareFence = fence;
  }

  /**
   * Whether the submit that writes `fence` (a fence or a readback's staging buffer) is done,
   * found within ~1 ms: then it is mapped; if not, the map is aborted (no spin).
   */
  private async pollMap(fence: GPUBuffer): Promise<boolean> {
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
  private async settled(): Promise<void> {
    if (this.compiling.size) await Promise.all(this.compiling);
    this.check();
  }

  /**
   * A failed map or wait usually means the device was lost: give its `lost` promise a moment
   * to settle, so the error says why (device.ts records it), else name what failed.
   */
  private async waitFailed(e: unknown, what: string): Promise<never> {
    await Promise.race([this.gpu.device.lost, new Promise((r) => setTimeout(r, 100))]);
    this.check();
    throw new DeviceLostError(`webgrad: ${what} failed: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }

  // ---- Capture/replay hooks (capture.ts drives them) ----

  /** Encodes a captured step's commands into the open encoder, as dispatch/copy would. */
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

  flushPending(): void {
    if (this.encoder) this.flush();
  }

  doom(buf: GPUBuffer): void {
    this.doomed.push(buf);
  }

  /** Uploads host data into a buffer (every upload goes through the capture's check). */
  write(buf: GPUBuffer, data: ArrayBufferView): void {
    this.captures.write(buf, data);
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
  return { ...rt().stats };
}

/** Per-kernel GPU times since profiling began (WEBGRAD_PROFILE=1 or profile(true)). */
export async function profileReport(): Promise<KernelTime[]> {
  const p = rt().profiler;
  if (!p) throw new Error('webgrad: profiling is off: set WEBGRAD_PROFILE=1 or call profile(true) first');
  rt().flush();
  return p.report();
}

/** A pipeline: its kernel, variant (entry point and constants), and what it cost to make. */
export interface PipelineTime {
  id: number;
  label: string;
  variant: string;
  /** Host time of creating it (WGSL to driver pipeline, on the main thread); when `async`,
   * of starting its createComputePipelineAsync only. */
  createMs: number;
  /** Created ahead, asynchronously (nn/precompile.ts), or at its first dispatch. */
  async: boolean;
  /** GPU time of its first dispatch when profiling was on, else null. NOTE: lavapipe compiles
   * a pipeline to machine code only when it first runs, so this holds most of its compile. */
  firstRunMs: number | null;
}

/** Every pipeline made on this device and its cost (bench/compile.ts prints them). */
export async function pipelineReport(): Promise<PipelineTime[]> {
  const r = rt();
  if (r.profiler) await profileReport();
  return r.made.map((m) => {
    const ns = r.profiler?.firstRun.get(m.id);
    return { ...m, firstRunMs: ns === undefined ? null : ns / 1e6 };
  });
}

/**
 * Runs `fn` as a dry run: its dispatches record nothing and only start their pipelines'
 * asynchronous creation (copies are skipped; a submit or read throws). nn/precompile.ts.
 */
export function collectPipelines<T>(fn: () => T): T {
  const r = rt();
  r.collecting++;
  try {
    return fn();
  } finally {
    r.collecting--;
  }
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
