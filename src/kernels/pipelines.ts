// The pipeline cache: each WGSL kernel is compiled once per device, keyed by its text, entry
// point and constants. Creation runs inside a validation error scope, so a shader that does
// not compile is reported with the compiler's message and the kernel's name. The fast layer's
// compiling ahead (src/fast/compile-ahead.ts) fills the same cache asynchronously.
// Read next: runtime.ts (who asks for pipelines), then wgsl/matmul-naive.wgsl (a kernel).

import { GpuError, type Gpu } from './device.ts';

/** A compute shader entry point; `constants` fill WGSL `override` declarations. */
export interface Kernel {
  label: string;
  /** Build it once (a module constant): a string concatenated per dispatch is re-hashed
   * for the pipeline lookup every time (~8 µs for a few KB of WGSL). */
  code: string;
  entry?: string;
  constants?: Record<string, number>;
}

/** A cached pipeline: `pipeline` is null while an asynchronous creation is under way; `ran` once dispatched. */
export interface CachedPipeline {
  pipeline: GPUComputePipeline | null;
  id: number;
  ran: boolean;
}

/** A pipeline: its kernel, variant (entry point and constants), and what it cost to make. */
export interface PipelineTime {
  id: number;
  label: string;
  variant: string;
  /** Host time of creating it (WGSL to driver pipeline, on the main thread); when `async`,
   * of starting its createComputePipelineAsync only. */
  createMs: number;
  /** Created ahead, asynchronously (src/fast/compile-ahead.ts), or at its first dispatch. */
  async: boolean;
  /** GPU time of its first dispatch when profiling was on, else null. NOTE: lavapipe compiles
   * a pipeline to machine code only when it first runs, so this holds most of its compile. */
  firstRunMs: number | null;
}

export class PipelineCache {
  /** Pipelines by WGSL text, then by entry point and constants. NOTE: keyed on the code
   * string itself (V8 caches a string's hash), never on a string built per dispatch: that
   * would hash kilobytes of WGSL for every dispatch. */
  private byCode = new Map<string, Map<string, CachedPipeline>>();
  /** Error scopes not yet settled: reads await them so a compile error is reported as such. */
  readonly compiling = new Set<Promise<void>>();
  /** Every pipeline created, in order, with the host time its creation took. */
  readonly made: Omit<PipelineTime, 'firstRunMs'>[] = [];
  count = 0;

  constructor(
    private readonly gpu: Gpu,
    private readonly debug: number,
  ) {}

  /** The cache slot of k's variant (entry point and constants): its map, and its key there. */
  slot(k: Kernel): [Map<string, CachedPipeline>, string] {
    let variant = k.entry ?? 'main';
    for (const name in k.constants) variant += `;${name}=${k.constants[name]}`;
    let byVariant = this.byCode.get(k.code);
    if (!byVariant) this.byCode.set(k.code, (byVariant = new Map()));
    return [byVariant, variant];
  }

  /** k's pipeline, created now if it is not cached (or still being created asynchronously). */
  get(k: Kernel): CachedPipeline & { pipeline: GPUComputePipeline } {
    const [byVariant, variant] = this.slot(k);
    const hit = byVariant.get(variant);
    if (hit?.pipeline) return hit as CachedPipeline & { pipeline: GPUComputePipeline };
    const { device } = this.gpu;
    const t0 = performance.now();
    const made = this.begin(k, byVariant, variant);
    made.pipeline = device.createComputePipeline(this.descriptor(k));
    const gpu = this.gpu;
    const scope = device.popErrorScope().then((err) => {
      // The compile error is the root cause: it replaces the "invalid due to a previous
      // error" that using the pipeline may have reported first.
      if (err) gpu.pendingError = this.failed(k, err);
    });
    this.compiling.add(scope);
    void scope.finally(() => this.compiling.delete(scope));
    this.end(made, k, variant, false, t0);
    return made as CachedPipeline & { pipeline: GPUComputePipeline };
  }

  /** Opens the error scope and caches the (not yet made) entry. */
  begin(k: Kernel, byVariant: Map<string, CachedPipeline>, variant: string): CachedPipeline {
    if (this.debug >= 2) console.log(`[webgrad] compile ${k.label} (${variant})\n${k.code}`);
    this.gpu.device.pushErrorScope('validation');
    const made: CachedPipeline = { pipeline: null, id: ++this.count, ran: false };
    byVariant.set(variant, made);
    return made;
  }

  /** Records what making it cost (host time since `t0`), for pipelineReport. */
  end(made: CachedPipeline, k: Kernel, variant: string, async: boolean, t0: number): void {
    this.made.push({ id: made.id, label: k.label, variant, createMs: performance.now() - t0, async });
  }

  descriptor(k: Kernel): GPUComputePipelineDescriptor {
    const module = this.gpu.device.createShaderModule({ label: k.label, code: k.code });
    return { label: k.label, layout: 'auto', compute: { module, entryPoint: k.entry ?? 'main', constants: k.constants } };
  }

  failed(k: Kernel, err: GPUError): GpuError {
    return new GpuError(`webgrad: kernel '${k.label}' failed to compile: ${err.message}`);
  }
}
