// Per-kernel GPU time with timestamp queries (WEBGRAD_PROFILE=1, or profile(true)): each
// dispatch gets its own compute pass with begin/end timestamps; at every submit the
// timestamps are resolved and read back in the background, then summed per kernel label.
// Profiling changes timing (one pass per dispatch): use it to see where time goes, not
// to measure throughput.

const MAX_QUERIES = 2048; // dispatches profiled per submit (WebGPU allows 4,096 queries per set)

export interface KernelTime {
  label: string;
  count: number;
  ms: number;
}

export class Profiler {
  private readonly querySet: GPUQuerySet;
  private labels: string[] = [];
  /** The pipeline of each profiled dispatch, parallel to `labels`. */
  private pipelineIds: number[] = [];
  private pending: Promise<void>[] = [];
  readonly totals = new Map<string, { count: number; ns: number }>();
  /** Each pipeline's first dispatch (ns): on lavapipe it includes the pipeline's compile. */
  readonly firstRun = new Map<number, number>();

  constructor(private readonly device: GPUDevice) {
    this.querySet = device.createQuerySet({ type: 'timestamp', count: MAX_QUERIES * 2 });
  }

  /** Timestamp writes for the pass of the next dispatch (none once the set is full). */
  passTimestamps(label: string, pipelineId: number): GPUComputePassTimestampWrites | undefined {
    const i = this.labels.length;
    if (i >= MAX_QUERIES) return undefined;
    this.labels.push(label);
    this.pipelineIds.push(pipelineId);
    return { querySet: this.querySet, beginningOfPassWriteIndex: 2 * i, endOfPassWriteIndex: 2 * i + 1 };
  }

  /** Records the resolve into `encoder`; after submit, `collect` reads it back. */
  resolve(encoder: GPUCommandEncoder): (() => void) | null {
    const n = this.labels.length;
    if (!n) return null;
    const bytes = n * 16;
    const resolved = this.device.createBuffer({ size: bytes, usage: GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC });
    const staging = this.device.createBuffer({ size: bytes, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    encoder.resolveQuerySet(this.querySet, 0, 2 * n, resolved, 0);
    encoder.copyBufferToBuffer(resolved, 0, staging, 0, bytes);
    const [labels, ids] = [this.labels, this.pipelineIds];
    [this.labels, this.pipelineIds] = [[], []];
    return () => {
      this.pending.push(
        staging.mapAsync(GPUMapMode.READ).then(() => {
          const t = new BigUint64Array(staging.getMappedRange());
          labels.forEach((label, i) => {
            const e = this.totals.get(label) ?? { count: 0, ns: 0 };
            const ns = Number(t[2 * i + 1] - t[2 * i]);
            e.count++;
            e.ns += ns;
            if (!this.firstRun.has(ids[i])) this.firstRun.set(ids[i], ns);
            this.totals.set(label, e);
          });
          staging.unmap();
          staging.destroy();
          resolved.destroy();
        }),
      );
    };
  }

  /** Kernel times so far, slowest first. */
  async report(): Promise<KernelTime[]> {
    await Promise.all(this.pending);
    this.pending = [];
    return [...this.totals].map(([label, v]) => ({ label, count: v.count, ms: v.ns / 1e6 })).sort((a, b) => b.ms - a.ms);
  }
}
