// The Optimizer base class, shaped like Keras 3's BaseOptimizer (base_optimizer.py): a
// learning rate (number or schedule read at `iterations`), slots built lazily per variable,
// and apply_gradients' order: clip, decay weights (w −= w·wd·lr), the rule, iterations += 1,
// as ONE fused in-place dispatch per variable. A subclass is one rule, shaped like Keras's
// adam.py: its slots (build), its WGSL (update.wgsl runs it), and its step's named scalars
// (updateStep). Read next: sgd.ts and sgd.wgsl (the smallest rule), kernels.ts (the dispatches).

import { keep } from '../tensor/memory.ts';
import { fill, tensor, zeros } from '../tensor/create.ts';
import { sameShape, shapeStr } from '../tensor/shape.ts';
import type { Tensor } from '../tensor/tensor.ts';
import { type OptimizerConfig, optionsFromConfig } from './config.ts';
import { type Hyper, prepareUpdates, recordNorm, recordUpdate, type StepSource, type UpdateRule, uploadStep } from './kernels.ts';
import { LearningRateSchedule } from './schedule.ts';
import { integer, nonNegative, optionalPositive, positive } from './validate.ts';

export interface OptimizerOptions {
  /** A number > 0 or a schedule evaluated at every step. */
  learningRate?: number | LearningRateSchedule;
  name?: string;
  /** Decoupled weight decay: w −= w·weightDecay·lr before each update. */
  weightDecay?: number | null;
  /** Clip each gradient to this L2 norm. */
  clipnorm?: number | null;
  /** Clip each gradient element to ±clipvalue. */
  clipvalue?: number | null;
  /** Scale all gradients together so their joint L2 norm is at most this. */
  globalClipnorm?: number | null;
  /**
   * tf.keras 2's legacy time-based decay (the book's power scheduling): each step uses
   * lr / (1 + decay·iterations), for the rule and the weight decay alike; `learningRate` stays
   * the undecayed value, as tf.keras 2's `optimizer.lr` did.
   */
  decay?: number;
}

/** A piece of optimizer state as `getWeights()` returns it, in Keras's `variables` order. */
export interface OptimizerWeightSpec {
  name: string;
  shape: number[];
}

/** A scalar state variable besides the slots (Nadam's u_product), saved with the weights. */
export interface ScalarState {
  name: string;
  value: number;
}

interface VariableState {
  variable: Tensor;
  /** All of this variable's slots in one buffer: slot k at [k·n, (k+1)·n). */
  slots: Tensor | null;
}

export abstract class Optimizer {
  /** Updates applied so far (Keras's `iterations`). */
  iterations = 0;
  readonly className: string;
  readonly name: string;
  readonly weightDecay: number | null;
  readonly clipnorm: number | null;
  readonly clipvalue: number | null;
  readonly globalClipnorm: number | null;
  readonly decay: number;
  private lr: number | LearningRateSchedule;
  /** Insertion order is build order, which fixes the order of the saved slots. */
  private states = new Map<Tensor, VariableState>();
  /** Clip-by-norm factors (and Σg² per tensor for the global norm); see clip-norm.wgsl. */
  private clipScratch: Tensor | null = null;
  /** rule(), asked at the first step (a subclass's constructor has set its options by then). */
  private updateRule: UpdateRule | null = null;

  protected constructor(
    options: OptimizerOptions,
    defaults: { className: string; name: string; learningRate: number },
  ) {
    const owner = defaults.className;
    this.className = owner;
    this.name = options.name ?? defaults.name;
    const lr = options.learningRate ?? defaults.learningRate;
    this.lr = lr instanceof LearningRateSchedule ? lr : positive(owner, 'learning_rate', lr);
    this.weightDecay = options.weightDecay == null ? null : nonNegative(owner, 'weight_decay', options.weightDecay);
    this.clipnorm = optionalPositive(owner, 'clipnorm', options.clipnorm);
    this.clipvalue = optionalPositive(owner, 'clipvalue', options.clipvalue);
    this.globalClipnorm = optionalPositive(owner, 'global_clipnorm', options.globalClipnorm);
    this.decay = nonNegative(owner, 'decay', options.decay ?? 0);
    const clips = [this.clipnorm, this.clipvalue, this.globalClipnorm].filter((c) => c !== null);
    if (clips.length > 1) {
      throw new RangeError(
        `${owner}: only one of clipnorm, clipvalue and global_clipnorm can be set, got clipnorm=${this.clipnorm}, clipvalue=${this.clipvalue}, global_clipnorm=${this.globalClipnorm}`,
      );
    }
  }

  /** Keras's slot names in build order ('momentum', 'velocity', ...). */
  protected abstract slotNames(): readonly string[];
  /** The rule's WGSL and the options it is compiled with; asked once. */
  protected abstract rule(): UpdateRule;
  /**
   * The host's half of Keras's update_step: this step's scalars, named as the rule's
   * `struct Hyper`, in float64 (bias corrections, schedules); `t` = iterations + 1
   * (Keras's local_step). Called once per step.
   */
  protected abstract updateStep(lr: number, t: number): Hyper;
  /** The rule's own config entries, snake_case as Keras writes them. */
  protected abstract ruleConfig(): OptimizerConfig;
  /** The value every slot starts at (Adagrad's initial_accumulator_value). */
  protected slotInitialValue(): number {
    return 0;
  }
  /** Scalar state saved after the slots. */
  protected scalarState(): ScalarState[] {
    return [];
  }
  /** Whether every step is w −= w·wd·lr + lr·g, stateless (plain SGD): see plainSgdScalars. */
  protected isPlainDescent(): boolean {
    return false;
  }

  /** The learning rate now: the schedule at `iterations`, or the number. */
  get learningRate(): number {
    return typeof this.lr === 'number' ? this.lr : this.lr.call(this.iterations);
  }

  set learningRate(v: number | LearningRateSchedule) {
    if (v instanceof LearningRateSchedule) {
      this.lr = v;
      return;
    }
    if (this.lr instanceof LearningRateSchedule) {
      throw new TypeError(
        `${this.className}: this optimizer was created with a LearningRateSchedule (${this.lr.className}), so its learning rate cannot be set to a number; create the optimizer with a numeric learningRate to change it during training`,
      );
    }
    this.lr = positive(this.className, 'learning_rate', v);
  }

  /** The schedule driving the learning rate, or null for a fixed number. */
  get schedule(): LearningRateSchedule | null {
    return this.lr instanceof LearningRateSchedule ? this.lr : null;
  }

  /** The rate this step uses: the learning rate, with the legacy `decay` applied. */
  private stepLearningRate(): number {
    const lr = this.learningRate / (1 + this.decay * this.iterations);
    if (!Number.isFinite(lr) || lr < 0) {
      throw new RangeError(
        `${this.className}: the learning rate at step ${this.iterations} is ${lr}; it must be a finite number >= 0`,
      );
    }
    return lr;
  }

  /** Creates the slots of variables not seen before (Keras's `build`); applyGradients calls it. */
  build(variables: readonly Tensor[]): void {
    const k = this.slotNames().length;
    for (const variable of variables) {
      if (this.states.has(variable)) continue;
      if (variable.dtype !== 'float32') {
        throw new TypeError(
          `${this.className}: variable ${variable.describe()} is ${variable.dtype}; only float32 variables can be trained`,
        );
      }
      const slots = k === 0 ? null : keep(fill([k * variable.size], this.slotInitialValue()));
      this.states.set(variable, { variable, slots });
    }
  }

  /**
   * The coming step's scalars when its update is plain SGD without clipping, so a kernel
   * that computes a gradient may apply it at once (fast/fused-sgd.ts); else null.
   * The caller disposes them after recording the step's other updates (recordUpdates), and
   * counts the step (countStep).
   */
  plainSgdScalars(): Tensor | null {
    if (!this.isPlainDescent() || this.clipnorm !== null || this.clipvalue !== null || this.globalClipnorm !== null) return null;
    return uploadStep(this.kernelRule(), () => this.stepScalars(null));
  }

  /**
   * Keras's apply_gradients: records this step's updates (recordUpdates) and counts the
   * step. Pairs are (gradient, variable). No pairs: nothing happens, as in Keras.
   */
  applyGradients(pairs: ReadonlyArray<readonly [grad: Tensor, variable: Tensor]>): void {
    if (pairs.length === 0) return;
    this.recordUpdates(pairs);
    this.countStep();
  }

  /** Ends a step: `iterations` += 1 (the schedule and Adam's bias corrections read it). */
  countStep(): void {
    this.iterations++;
  }

  /**
   * Starts compiling the kernels recordUpdates would run for `variables`, changing no state:
   * no slots, no step counted (src/fast/precompile.ts's dry run, before the first real step).
   */
  prepareUpdates(variables: readonly Tensor[]): void {
    if (variables.length === 0) return;
    prepareUpdates(this.kernelRule(), variables, (this.clipnorm ?? this.globalClipnorm) !== null);
  }

  /**
   * Records one fused update per variable into the runtime's open command encoder (plus one
   * norm dispatch per gradient when clipping by norm); reads nothing back and does not count
   * the step (countStep does, once per step however its updates ran).
   */
  recordUpdates(pairs: ReadonlyArray<readonly [grad: Tensor, variable: Tensor]>): void {
    if (pairs.length === 0) return;
    pairs.forEach(([g, v], i) => this.checkPair(g, v, i));
    this.build(pairs.map(([, v]) => v));
    const rule = this.kernelRule();
    const scalars = uploadStep(rule, () => this.stepScalars(this.clipvalue));
    const clip = this.scratch(pairs.length + 1);
    const byNorm = this.clipnorm ?? this.globalClipnorm;
    if (byNorm !== null) {
      pairs.forEach(([gradient], index) =>
        recordNorm({
          gradient,
          out: clip,
          index,
          clipnorm: byNorm,
          mode: this.clipnorm !== null ? 'tensor' : 'global',
          finalize: index === pairs.length - 1,
          count: pairs.length,
        }),
      );
    }
    pairs.forEach(([gradient, variable], index) => {
      const clipIndex = byNorm === null ? -1 : this.clipnorm !== null ? index : pairs.length;
      const slots = this.states.get(variable)?.slots ?? null;
      recordUpdate({ rule, scalars, variable, gradient, slots, clip, clipIndex, clipByValue: this.clipvalue !== null });
    });
    // Released now, reused only after the submit that runs these dispatches (buffers.ts).
    scalars.dispose();
  }

  /** This step's scalars (a captured step's replay computes them again). */
  private stepScalars(clipValue: number | null): StepSource {
    const lr = this.stepLearningRate();
    return { lr, wdLr: (this.weightDecay ?? 0) * lr, clipValue, hyper: this.updateStep(lr, this.iterations + 1) };
  }

  private kernelRule(): UpdateRule {
    return (this.updateRule ??= this.rule());
  }

  private checkPair(g: Tensor, v: Tensor, i: number): void {
    const what = `${this.className}.applyGradients: pair ${i}`;
    if (g.isDisposed || v.isDisposed) throw new Error(`${what}: the gradient or the variable was disposed`);
    if (!sameShape(g.shape, v.shape)) {
      throw new RangeError(`${what}: gradient ${shapeStr(g.shape)} does not match variable ${v.describe()}`);
    }
    if (g.dtype !== 'float32') throw new TypeError(`${what}: gradient is ${g.dtype}, expected float32`);
    if (g.buffer === v.buffer) throw new Error(`${what}: the gradient and the variable share one buffer`);
  }

  /** A kept buffer of at least `n` floats for the norm factors. */
  private scratch(n: number): Tensor {
    if (!this.clipScratch || this.clipScratch.size < n) {
      this.clipScratch?.dispose();
      this.clipScratch = keep(zeros([n]));
    }
    return this.clipScratch;
  }

  private variableName(v: Tensor, i: number): string {
    return (v.name ?? `variable_${i}`).replace(/[/:]/g, '_');
  }

  /** Names and shapes of the state, in Keras's `optimizer.variables` order. */
  weightSpecs(): OptimizerWeightSpec[] {
    const specs: OptimizerWeightSpec[] = [{ name: 'iteration', shape: [] }];
    if (typeof this.lr === 'number') specs.push({ name: 'learning_rate', shape: [] });
    const states = [...this.states.values()];
    for (const slot of this.slotNames()) {
      states.forEach(({ variable }, i) =>
        specs.push({ name: `${this.variableName(variable, i)}_${slot}`, shape: [...variable.shape] }),
      );
    }
    for (const s of this.scalarState()) specs.push({ name: s.name, shape: [] });
    return specs;
  }

  /** The state's values, in `weightSpecs()` order (one readback per variable with slots). */
  async getWeights(): Promise<Float32Array[]> {
    const out: Float32Array[] = [Float32Array.of(this.iterations)];
    if (typeof this.lr === 'number') out.push(Float32Array.of(this.lr));
    const states = [...this.states.values()];
    const packed: Float32Array[] = [];
    for (const s of states) packed.push(s.slots ? await s.slots.data() : new Float32Array(0));
    this.slotNames().forEach((_, k) => {
      states.forEach(({ variable }, i) => out.push(packed[i].slice(k * variable.size, (k + 1) * variable.size)));
    });
    for (const s of this.scalarState()) out.push(Float32Array.of(s.value));
    return out;
  }

  /** Restores state from `getWeights()` values; the variables must have been built (applyGradients or build). */
  setWeights(weights: ReadonlyArray<ArrayLike<number>>): void {
    const specs = this.weightSpecs();
    if (weights.length !== specs.length) {
      throw new RangeError(
        `${this.className}.setWeights: expected ${specs.length} arrays (${specs.map((s) => s.name).join(', ')}), got ${weights.length}; call build(variables) first if the optimizer has not been used yet`,
      );
    }
    specs.forEach((spec, i) => {
      const want = spec.shape.reduce((a, b) => a * b, 1);
      if (weights[i].length !== want) {
        throw new RangeError(
          `${this.className}.setWeights: '${spec.name}' needs ${want} values (shape ${shapeStr(spec.shape)}), got ${weights[i].length}`,
        );
      }
    });
    let at = 0;
    this.iterations = integer(this.className, 'iteration', weights[at++][0]);
    if (typeof this.lr === 'number') this.learningRate = weights[at++][0];
    const states = [...this.states.values()];
    const k = this.slotNames().length;
    const packed = states.map(({ variable }) => new Float32Array(k * variable.size));
    for (let slot = 0; slot < k; slot++) {
      states.forEach(({ variable }, i) => packed[i].set(Array.from(weights[at++]), slot * variable.size));
    }
    states.forEach((s, i) => {
      if (!s.slots) return;
      s.slots.dispose();
      s.slots = keep(tensor(packed[i], [packed[i].length]));
    });
    for (const s of this.scalarState()) s.value = weights[at++][0];
  }

  /** Keras's JSON config (snake_case keys, as `optimizer.get_config()` writes them). */
  getConfig(): OptimizerConfig {
    const config: OptimizerConfig = {
      name: this.name,
      learning_rate: typeof this.lr === 'number' ? this.lr : this.lr.serialize(),
      weight_decay: this.weightDecay,
      clipnorm: this.clipnorm,
      global_clipnorm: this.globalClipnorm,
      clipvalue: this.clipvalue,
      use_ema: false,
      ema_momentum: 0.99,
      ema_overwrite_frequency: null,
      loss_scale_factor: null,
      gradient_accumulation_steps: null,
      ...this.ruleConfig(),
    };
    // Keras 3 has no `decay` (it warns and ignores it): write it only when it is used.
    if (this.decay !== 0) config.decay = this.decay;
    return config;
  }

  /** The optimizer a Keras config describes (without state, as Keras's from_config). */
  static fromConfig<T extends Optimizer>(this: new (options: never) => T, config: OptimizerConfig): T {
    const probe = new this({} as never);
    return new this(optionsFromConfig(probe.className, config, Object.keys(probe.getConfig())) as never);
  }

  /** Frees the slots (GPU memory); a later applyGradients starts them afresh. */
  dispose(): void {
    for (const s of this.states.values()) s.slots?.dispose();
    this.states.clear();
    this.clipScratch?.dispose();
    this.clipScratch = null;
  }
}
