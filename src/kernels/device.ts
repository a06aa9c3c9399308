// Acquires the one WebGPU device webgrad uses: navigator.gpu in a browser, Dawn (the
// `webgpu` npm package, handed over by the Node entry through host.ts) in Node. Lost
// devices and uncaptured errors are recorded here and turned into thrown errors by the
// runtime (runtime.ts), so nothing hangs or fails silently.
// Read next: buffers.ts (memory), runtime.ts (dispatch and readback).

import { hasNodeHost, nodeHost } from './host.ts';

export interface AdapterDescription {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  /** Where the device came from: 'dawn-node' or 'browser'. */
  host: 'dawn-node' | 'browser';
}

/**
 * The adapter as reports name it. Browsers may leave `description` empty (Chromium on
 * SwiftShader does), so it falls back to vendor, architecture and device: never empty.
 */
export function describeAdapter(
  info: Pick<GPUAdapterInfo, 'vendor' | 'architecture' | 'device' | 'description'>,
  host: AdapterDescription['host'],
): AdapterDescription {
  const { vendor, architecture, device, description } = info;
  return { vendor, architecture, device, description: description.trim() || [vendor, architecture, device].filter((s) => s.trim()).join(' ') || 'unnamed WebGPU adapter', host };
}

export interface Gpu {
  device: GPUDevice;
  /**
   * The GPU instance and adapter the device came from. NOTE: kept referenced on purpose:
   * in dawn.node, a garbage-collected instance frees what its pending callbacks still use
   * (a crash in ProcessEvents at the next mapAsync).
   */
  instance: GPU;
  gpuAdapter: GPUAdapter;
  adapter: AdapterDescription;
  limits: GPUSupportedLimits;
  /**
   * The adapter's subgroup sizes when the device has the 'subgroups' feature (lavapipe:
   * 8 and 8), else null. matmul-tuned.ts (defaultMatmulKernel) picks its subgroup kernel from this.
   */
  subgroupSizes: { min: number; max: number } | null;
  /** Set when the device is lost; every later GPU call throws it. */
  lost: DeviceLostError | null;
  /** The first uncaptured validation/out-of-memory error, thrown at the next flush. */
  pendingError: Error | null;
}

/** Thrown when the device is lost (driver crash, `device.destroy()`, tab backgrounded). */
export class DeviceLostError extends Error {
  override name = 'DeviceLostError';
}

/** Thrown for WGSL/validation/out-of-memory errors reported by WebGPU. */
export class GpuError extends Error {
  override name = 'GpuError';
}

/**
 * Thrown when a buffer would exceed the adapter's limits (checked before anything is
 * created or dispatched) or WebGPU reports it is out of memory. Nothing is left allocated.
 */
export class GpuMemoryError extends GpuError {
  override name = 'GpuMemoryError';
}

let gpu: Gpu | null = null;
let acquiring: Promise<Gpu> | null = null;
/** Why the last device went away, so later calls say "lost" rather than "not ready". */
let lastLoss: DeviceLostError | null = null;

/** Marks `state` lost (once) and forgets it as the current device: the next ready() makes a new one. */
function markLost(state: Gpu, error: DeviceLostError): void {
  state.lost ??= error;
  if (gpu !== state) return;
  gpu = null;
  lastLoss = state.lost;
}

async function navigatorGpu(): Promise<{ gpu: GPU; host: AdapterDescription['host'] }> {
  const nav = (globalThis as { navigator?: { gpu?: GPU } }).navigator;
  if (nav?.gpu) return { gpu: nav.gpu, host: 'browser' };
  // Node: Dawn, through the Node entry (src/node.ts); a browser without WebGPU lands here too.
  if (!hasNodeHost()) {
    throw new DeviceLostError(
      "webgrad: no WebGPU here (navigator.gpu is missing): in a browser, use one with WebGPU in a secure context (https or http://localhost); in Node, load webgrad through its Node entry (a plain `import ... from 'webgrad.js'` does)",
    );
  }
  return { gpu: await nodeHost('WebGPU in Node').gpu(), host: 'dawn-node' };
}

async function acquire(): Promise<Gpu> {
  const { gpu: navGpu, host } = await navigatorGpu();
  const adapter = await navGpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) {
    throw new DeviceLostError(
      host === 'dawn-node'
        ? 'webgrad: no WebGPU adapter. In Node, Dawn needs a Vulkan driver: on Debian/Ubuntu run `sudo bash scripts/setup-system.sh` (Mesa lavapipe >= 24).'
        : 'webgrad: no WebGPU adapter in this browser (enable WebGPU, or use a secure context such as http://localhost).',
    );
  }
  // Ask for the adapter's largest buffers: datasets are uploaded once and bound whole.
  // timestamp-query only serves the profiler (profiler.ts), subgroups the matmul kernel
  // (matmul-tuned.ts); take each when offered. NOTE: the cast is there because the DOM
  // typings in use lack 'subgroups' in GPUFeatureName.
  const wanted = new Set(['timestamp-query', 'subgroups']);
  const requiredFeatures = [...adapter.features].filter((f) => wanted.has(f)) as GPUFeatureName[];
  const device = await adapter.requestDevice({
    requiredFeatures,
    requiredLimits: {
      maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
      maxBufferSize: adapter.limits.maxBufferSize,
      maxComputeWorkgroupStorageSize: adapter.limits.maxComputeWorkgroupStorageSize,
      maxComputeInvocationsPerWorkgroup: adapter.limits.maxComputeInvocationsPerWorkgroup,
      maxComputeWorkgroupSizeX: adapter.limits.maxComputeWorkgroupSizeX,
      maxStorageBuffersPerShaderStage: adapter.limits.maxStorageBuffersPerShaderStage,
    },
  });
  const info = adapter.info;
  const state: Gpu = {
    device,
    instance: navGpu,
    gpuAdapter: adapter,
    adapter: describeAdapter(info, host),
    limits: device.limits,
    subgroupSizes:
      device.features.has('subgroups') && info.subgroupMinSize !== undefined && info.subgroupMaxSize !== undefined
        ? { min: info.subgroupMinSize, max: info.subgroupMaxSize }
        : null,
    lost: null,
    pendingError: null,
  };
  void device.lost.then((e) =>
    markLost(
      state,
      new DeviceLostError(
        `webgrad: the GPU device was lost (${e.reason}): ${e.message || 'no message'}. Tensors and models on it are gone: \`await ready()\` for a new device, then reload the model (e.g. from a ModelCheckpoint file)`,
      ),
    ),
  );
  device.addEventListener('uncapturederror', (ev) => {
    const err = (ev as GPUUncapturedErrorEvent).error;
    // An object "invalid due to a previous error" is a consequence: the cause was reported
    // already (a compile error through its error scope, see runtime.ts).
    if (err.message.includes('due to a previous error')) return;
    // NOTE: compared by name: dawn.node and browsers do not share the GPUOutOfMemoryError class.
    state.pendingError ??=
      err.constructor.name === 'GPUOutOfMemoryError'
        ? new GpuMemoryError(`webgrad: the GPU is out of memory: ${err.message}; free tensors (dispose/tidy) or use smaller batches`)
        : new GpuError(`webgrad: WebGPU error: ${err.message}`);
  });
  return state;
}

/** Acquires the device once per process/page. Every async entry point awaits this. */
export async function ready(): Promise<Gpu> {
  if (gpu) return gpu;
  acquiring ??= acquire().then(
    (g) => {
      gpu = g;
      lastLoss = null;
      acquiring = null;
      return g;
    },
    (e: unknown) => {
      acquiring = null;
      throw e;
    },
  );
  return acquiring;
}

/** The ready device, for synchronous code (ops). Throws a clear error before `ready()` or after a loss. */
export function currentGpu(): Gpu {
  if (!gpu) {
    if (lastLoss) throw new DeviceLostError(lastLoss.message, { cause: lastLoss });
    throw new DeviceLostError(
      'webgrad: no GPU device yet: `await ready()` first (fit/evaluate/predict/loadModel do it for you).',
    );
  }
  return gpu;
}

/** The adapter of the current device, for reports ("which adapter ran this?"). */
export async function adapterInfo(): Promise<AdapterDescription> {
  return (await ready()).adapter;
}

/** Destroys the device (tests and scripts call this before exiting; a later ready() makes a new one). */
export function releaseDevice(): void {
  const g = gpu;
  if (!g) return;
  markLost(g, new DeviceLostError('webgrad: the GPU device was released (releaseDevice()); `await ready()` for a new one'));
  g.device.destroy();
}

/** The `GPU` object (navigator.gpu, or Dawn's in Node), e.g. to run TensorFlow.js beside webgrad on the same adapter. */
export function currentGpuInstance(): GPU {
  return currentGpu().instance;
}
