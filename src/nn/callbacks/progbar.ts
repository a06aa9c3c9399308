// Keras's progress output for fit() (tf.keras 2's Progbar, the book's): "Epoch 3/20" then
// `1375/1375 [==============================] - 6s 4ms/step - loss: 0.2156 - accuracy: 0.9259 - val_loss: ...`
// redrawn in place on a terminal, one line per epoch otherwise (and in the browser).
// Number and time formats follow keras/utils/generic_utils.py (Progbar.update, _format_time).

import { Callback, type Logs } from '../../optim/callback.ts';

const isTTY = () => typeof process !== 'undefined' && !!process.stdout?.isTTY;

/** Python's `f"{v:.4f}"` above 1e-3 in magnitude, `f"{v:.4e}"` below (exponent with 2+ digits). */
export function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  if (Math.abs(v) > 1e-3) return v.toFixed(4);
  const [mantissa, exp] = v.toExponential(4).split('e');
  const e = Number(exp);
  return `${mantissa}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
}

export function formatLogs(logs: Logs): string {
  return Object.entries(logs)
    .filter(([k]) => k !== 'batch' && k !== 'size')
    .map(([k, v]) => ` - ${k}: ${formatValue(v)}`)
    .join('');
}

/** Keras's _format_time: "4ms/step", "120us/step" or "2s/step". */
export function formatTime(secondsPerUnit: number, unit: string): string {
  if (secondsPerUnit >= 1 || secondsPerUnit === 0) return `${secondsPerUnit.toFixed(0)}s/${unit}`;
  if (secondsPerUnit >= 1e-3) return `${(secondsPerUnit * 1e3).toFixed(0)}ms/${unit}`;
  return `${(secondsPerUnit * 1e6).toFixed(0)}us/${unit}`;
}

/** "42s", "1:05" or "1:01:05", as Keras's ETA. */
function formatEta(s: number): string {
  const two = (n: number) => String(Math.floor(n)).padStart(2, '0');
  if (s > 3600) return `${Math.floor(s / 3600)}:${two((s % 3600) / 60)}:${two(s % 60)}`;
  if (s > 60) return `${Math.floor(s / 60)}:${two(s % 60)}`;
  return `${Math.floor(s)}s`;
}

export class ProgbarLogger extends Callback {
  private start = 0;
  /** When the first step ended: Keras leaves that step (pipeline compiles) out of the time per step. */
  private afterFirstStep: number | null = null;
  private lastDraw = 0;
  private width = 0;

  constructor(
    private readonly steps: number,
    private readonly epochs: number,
    private readonly write: (s: string) => void = (s) => (isTTY() ? process.stdout.write(s) : console.log(s.replace(/^\r/, '').trimEnd())),
    private readonly live = isTTY(),
  ) {
    super();
  }

  private secondsPerStep(step: number, now: number): number {
    if (!step) return 0;
    if (this.afterFirstStep !== null && step > 1) return (now - this.afterFirstStep) / 1000 / (step - 1);
    return (now - this.start) / 1000 / step;
  }

  private line(step: number, logs: Logs): string {
    const barWidth = 30;
    const done = Math.floor((barWidth * step) / this.steps);
    const bar = done > 0 ? `${'='.repeat(done - 1)}${step < this.steps ? '>' : '='}${'.'.repeat(barWidth - done)}` : '.'.repeat(barWidth);
    const now = performance.now();
    const per = this.secondsPerStep(step, now);
    const time =
      step >= this.steps
        ? `${((now - this.start) / 1000).toFixed(0)}s ${formatTime(per, 'step')}`
        : `ETA: ${formatEta(per * (this.steps - step))}`;
    const count = `${String(step).padStart(String(this.steps).length)}/${this.steps}`;
    return `${count} [${bar}] - ${time}${formatLogs(logs)}`;
  }

  /** Writes a line over the previous one (padded so no old characters remain) or as a new line. */
  private draw(text: string, final: boolean): void {
    if (!this.live) {
      this.write(text);
      return;
    }
    const padded = text.padEnd(this.width);
    this.width = text.length;
    this.write(`\r${padded}${final ? '\n' : ''}`);
  }

  override onEpochBegin(epoch: number): void {
    this.start = performance.now();
    this.afterFirstStep = null;
    this.width = 0;
    // Keras prints the epoch header only when there is more than one epoch.
    if (this.epochs > 1) this.write(`Epoch ${epoch + 1}/${this.epochs}${this.live ? '\n' : ''}`);
  }

  override onBatchEnd(batch: number, logs: Logs = {}): void {
    const now = performance.now();
    if (batch === 0) this.afterFirstStep = now;
    if (!this.live || (now - this.lastDraw < 100 && batch + 1 < this.steps)) return;
    this.lastDraw = now;
    this.draw(this.line(batch + 1, logs), false);
  }

  override onEpochEnd(_epoch: number, logs: Logs = {}): void {
    this.draw(this.line(this.steps, logs), true);
  }
}
