// Capturing a step and replaying it (CUDA graphs' idea). While a step is recorded, every
// dispatch and copy is also kept (pipeline, bind group, workgroups); the buffers the step
// frees are its intermediates, and the capture keeps them out of the pool (its arena), so
// every recorded bind group stays valid. A replay writes only the per-step data (batch row
// offset, dropout seeds, optimizer scalars: producers registered through stepUniform /
// stepData, called again in the same order) and re-encodes the list into one encoder.
// A step that reads back, submits, uploads other host data, or leaves a new buffer alive is
// not captured (the caller runs it eagerly); a capture whose outside buffers are freed dies.
// It plugs into the runtime as its `recorder` the first time a loop captures on a device.
// Read next: kernels/runtime.ts (the Recorder hooks that feed this), captured-steps.ts (who uses it).

import { type Command, type Recorder, rt, type Runtime } from '../kernels/runtime.ts';

/** What a replay redoes on the host, in recording order: refill a buffer with its producer's data. */
type Refill = { buffer: GPUBuffer; make: () => Uint8Array | Float32Array };

export class StepCapture {
  readonly commands: Command[] = [];
  readonly refills: Refill[] = [];
  /** Buffers the step released (its intermediates), kept for the replays. */
  readonly arena: GPUBuffer[] = [];
  /** Per-step uniform buffers made for this capture (destroyed with it). */
  readonly owned: GPUBuffer[] = [];
  /** Buffers acquired during the recording and not released yet. */
  readonly born = new Set<GPUBuffer>();
  valid = true;
  constructor(readonly label: string) {}
}

export class Captures implements Recorder {
  private recording: StepCapture | null = null;
  /** Why the current recording was given up (it then records nothing more). */
  private failed: string | null = null;
  /** Outside buffers (weights, optimizer slots, cached uniforms) → the live captures using them. */
  private users = new Map<GPUBuffer, Set<StepCapture>>();
  /** Why the last recording that failed was not captured (for tests and debugging). */
  lastFailure: string | null = null;

  private readonly device: GPUDevice;

  constructor(private readonly r: Runtime) {
    this.device = r.gpu.device;
    r.pool.onAcquire = (buf) => this.recording?.born.add(buf);
    r.pool.onRelease = (buf) => this.released(buf);
  }

  get recordingNow(): boolean {
    return this.recording !== null && this.failed === null;
  }

  begin(label: string): void {
    this.recording = new StepCapture(label);
    this.failed = null;
  }

  /** Gives the recording up (the step itself runs on unaffected). */
  abort(reason: string): void {
    if (this.recording && this.failed === null) this.failed = reason;
  }

  /** Ends the recording: the capture, or null (with a debug message) when it could not be made. */
  end(): StepCapture | null {
    const cap = this.recording;
    if (!cap) return null;
    this.recording = null;
    if (this.failed === null && cap.born.size) this.failed = `${cap.born.size} buffer(s) created during the step stay alive (state made on a first step)`;
    if (this.failed !== null) {
      this.lastFailure = this.failed;
      if (this.r.debug >= 1) console.log(`[webgrad] capture of ${cap.label} not made: ${this.failed}; this step ran eagerly`);
      this.free(cap);
      return null;
    }
    if (this.r.debug >= 1) console.log(`[webgrad] captured ${cap.label}: ${cap.commands.length} commands, ${cap.arena.length} arena buffers`);
    return cap;
  }

  /** Records a command and the buffers it uses (a dispatch's bindings, a copy's ends). */
  command(c: Command, buffers: readonly GPUBuffer[]): void {
    const cap = this.recording;
    if (!cap || this.failed !== null) return;
    cap.commands.push(c);
    // Every buffer counts as outside until the step releases it: then it joins the arena
    // and leaves `users` (released()).
    for (const b of buffers) this.use(b, cap);
  }

  /** The pool's release hook: true when the recording keeps `buf` in its arena. */
  private released(buf: GPUBuffer): boolean {
    this.forget(buf);
    const cap = this.recording;
    if (!cap) return false;
    cap.born.delete(buf);
    cap.arena.push(buf);
    return true;
  }

  /** A buffer some owner freed or destroyed: captures that use it from outside die. */
  forget(buf: GPUBuffer): void {
    const caps = this.users.get(buf);
    if (!caps) return;
    this.users.delete(buf);
    for (const cap of caps) {
      if (cap === this.recording) continue; // its own intermediate, now in its arena
      if (this.r.debug >= 1 && cap.valid) console.log(`[webgrad] capture of ${cap.label} dropped: a buffer it uses was freed`);
      this.drop(cap);
    }
  }

  private use(buf: GPUBuffer, cap: StepCapture): void {
    let set = this.users.get(buf);
    if (!set) this.users.set(buf, (set = new Set()));
    set.add(cap);
  }

  /** Frees a capture: its arena back to the pool, its own uniforms destroyed. */
  drop(cap: StepCapture): void {
    if (!cap.valid) return;
    cap.valid = false;
    for (const [buf, set] of this.users) if (set.delete(cap) && !set.size) this.users.delete(buf);
    this.free(cap);
  }

  private free(cap: StepCapture): void {
    cap.valid = false;
    this.r.pool.reclaim(cap.arena.splice(0));
    for (const b of cap.owned.splice(0)) this.r.doom(b);
  }

  /** A uniform block that changes every step: cached by content when not recording. */
  stepUniform(make: () => Uint8Array): GPUBuffer {
    const bytes = make();
    const cap = this.recording;
    if (!cap || this.failed !== null) return this.r.uniform(bytes);
    const buffer = this.device.createBuffer({
      size: Math.max(16, Math.ceil(bytes.length / 16) * 16),
      usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST,
    });
    this.device.queue.writeBuffer(buffer, 0, bytes.buffer, bytes.byteOffset, bytes.byteLength);
    cap.owned.push(buffer);
    cap.refills.push({ buffer, make });
    return buffer;
  }

  /** Uploads `make()` into `buffer` now, and again at each replay. */
  stepData(buffer: GPUBuffer, make: () => Float32Array): void {
    const data = make();
    this.device.queue.writeBuffer(buffer, 0, data.buffer, data.byteOffset, data.byteLength);
    if (this.recordingNow) this.recording!.refills.push({ buffer, make });
  }

  /** Runs a capture again: per-step data first, then its commands into the open encoder. */
  replay(cap: StepCapture): void {
    if (!cap.valid) throw new Error(`webgrad: replay of a dropped capture (${cap.label})`);
    this.r.flushPending();
    for (const e of cap.refills) {
      const data = e.make();
      this.device.queue.writeBuffer(e.buffer, 0, data.buffer, data.byteOffset, data.byteLength);
    }
    this.r.encodeCaptured(cap.commands);
  }
}

const byRuntime = new WeakMap<Runtime, Captures>();

/** The current device's captures, made (and plugged into its runtime) on first use. */
export function captures(): Captures {
  const r = rt();
  let c = byRuntime.get(r);
  if (!c) {
    byRuntime.set(r, (c = new Captures(r)));
    r.recorder = c;
  }
  return c;
}
