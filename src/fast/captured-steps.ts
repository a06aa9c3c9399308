// The captured steps of one loop (an epoch of fit, one evaluate or predict), one per batch
// size: the first step of a size is recorded while it runs eagerly (src/fast/capture.ts), the
// later ones replay it. A step that cannot be captured runs eagerly (twice tried, then
// given up for this loop); WEBGRAD_PLAIN=capture (or WEBGRAD_CAPTURE=0), profiling, or a layer whose class does not
// declare itself capturable (layer.ts: a custom layer) runs every step eagerly. A change of
// the graph's inputs (the optimizer object, a layer's trainable flag) drops the captures.
// Read next: loop.ts (its one user), capture.ts (the mechanism).

import { type Captures, captures, type StepCapture } from '../fast/capture.ts';
import { speedupOn } from '../kernels/env.ts';
import { rt } from '../kernels/runtime.ts';
import { isCapturable, type Layer } from '../nn/layers/layer.ts';

/** Recordings tried per batch size before a loop gives up capturing it. */
const MAX_TRIES = 2;

export class CapturedSteps {
  private byKey = new Map<string, { cap: StepCapture | null; tries: number; result?: unknown }>();
  private graph = '';
  /** The device runtime's captures these were made by (a lost device's die with it). */
  private owner: Captures | null = null;

  /** Whether this loop captures: every layer of the model may be, and the switch is on (read once per loop). */
  private readonly on: boolean;

  /** `what` names the loop in debug messages; `layers` are the model's. */
  constructor(
    private what: string,
    layers: readonly Layer[],
  ) {
    const custom = layers.filter((l) => !isCapturable(l));
    this.on = custom.length === 0 && speedupOn('capture');
    if (custom.length && rt().debug >= 1) {
      console.log(`[webgrad] ${what}: steps run eagerly: layer(s) ${custom.map((l) => `'${l.name}'`).join(', ')} do not declare static capturable = true`);
    }
  }

  /**
   * Runs one step: replays its capture, or runs `eager` (recording it when it may).
   * `key` names what fixes the step's commands (the batch size); `graph` what else may
   * change between steps and, when it does, drops every capture of this loop. Returns what
   * `eager` returned (a replay: what the recorded run returned, as its commands are fixed).
   */
  run<T>(key: string, graph: string, eager: () => T): T {
    // Off, or profiling (a replay would skip the per-dispatch timestamps): every step eagerly,
    // and no capture is ever made (the runtime gets no recorder).
    if (!this.on || rt().profiler) return eager();
    const caps = captures();
    if (caps !== this.owner) {
      this.byKey.clear();
      this.owner = caps;
    }
    if (graph !== this.graph) {
      this.dispose();
      this.graph = graph;
    }
    let entry = this.byKey.get(key);
    if (!entry) this.byKey.set(key, (entry = { cap: null, tries: 0 }));
    if (entry.cap?.valid) {
      caps.replay(entry.cap);
      return entry.result as T;
    }
    if (entry.tries >= MAX_TRIES) return eager();
    entry.tries++;
    caps.begin(`${this.what} step (${key})`);
    try {
      entry.result = eager();
    } catch (e) {
      caps.abort('the step threw');
      caps.end();
      throw e;
    }
    entry.cap = caps.end();
    return entry.result as T;
  }

  /** Frees every capture (their arenas go back to the pool). */
  dispose(): void {
    for (const e of this.byKey.values()) if (e.cap) this.owner?.drop(e.cap);
    this.byKey.clear();
  }
}
