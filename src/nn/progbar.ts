// Keras's progress output for fit(): "Epoch 3/20" then
// `1375/1375 [==============================] - 6s 4ms/step - loss: 0.2156 - accuracy: 0.9259 - val_loss: ...`
// redrawn in place on a terminal, one line per epoch otherwise (and in the browser).

import { Callback, type Logs } from '../optim/callback.ts';

const isTTY = () => typeof process !== 'undefined' && !!process.stdout?.isTTY;

export function formatLogs(logs: Logs): string {
  return Object.entries(logs)
    .filter(([k]) => k !== 'batch' && k !== 'size')
    .map(([k, v]) => ` - ${k}: ${Math.abs(v) < 1e-3 && v !== 0 ? v.toExponential(4) : v.toFixed(4)}`)
    .join('');
}

export class ProgbarLogger extends Callback {
  private start = 0;
  private lastDraw = 0;

  constructor(
    private readonly steps: number,
    private readonly epochs: number,
    private readonly write: (s: string) => void = (s) => (isTTY() ? process.stdout.write(s) : console.log(s.replace(/^\r/, '').trimEnd())),
    private readonly live = isTTY(),
  ) {
    super();
  }

  private line(step: number, logs: Logs): string {
    const width = 30;
    const done = Math.min(width, Math.floor((width * step) / this.steps));
    const bar = step >= this.steps ? '='.repeat(width) : `${'='.repeat(Math.max(0, done - 1))}>${'.'.repeat(width - done)}`;
    const secs = (performance.now() - this.start) / 1000;
    const per = step ? (secs * 1000) / step : 0;
    const time = step >= this.steps ? `${Math.round(secs)}s ${per.toFixed(0)}ms/step` : `ETA: ${Math.round((this.steps - step) * per / 1000)}s`;
    const pad = String(this.steps).length;
    return `${String(step).padStart(pad)}/${this.steps} [${bar}] - ${time}${formatLogs(logs)}`;
  }

  override onEpochBegin(epoch: number): void {
    this.start = performance.now();
    this.write(`Epoch ${epoch + 1}/${this.epochs}${this.live ? '\n' : ''}`);
  }

  override onBatchEnd(batch: number, logs: Logs = {}): void {
    if (!this.live) return;
    const now = performance.now();
    if (now - this.lastDraw < 100 && batch + 1 < this.steps) return;
    this.lastDraw = now;
    this.write(`\r${this.line(batch + 1, logs)}`);
  }

  override onEpochEnd(_epoch: number, logs: Logs = {}): void {
    this.write(`${this.live ? '\r' : ''}${this.line(this.steps, logs)}${this.live ? '\n' : ''}`);
  }
}
