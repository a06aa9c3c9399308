// Float64 reference of Keras 3's optimizer rules, written from keras/src/optimizers/*.py and
// base_optimizer.py (clip → weight decay → rule → iterations += 1), independent of the WGSL.
// The tests run the same gradients through webgrad on WebGPU and compare every step.

export type RefRule = 'sgd' | 'adagrad' | 'rmsprop' | 'adam' | 'adamax' | 'nadam';

export interface RefOptions {
  rule: RefRule;
  /** A number, or the learning rate as a function of the step count before the update. */
  lr: number | ((iterations: number) => number);
  decay?: number;
  momentum?: number;
  nesterov?: boolean;
  initialAccumulatorValue?: number;
  epsilon?: number;
  rho?: number;
  centered?: boolean;
  beta1?: number;
  beta2?: number;
  amsgrad?: boolean;
  weightDecay?: number;
  clipnorm?: number;
  clipvalue?: number;
  globalClipnorm?: number;
}

const sumSq = (g: number[]) => g.reduce((a, x) => a + x * x, 0);

function clip(o: RefOptions, grads: number[][]): number[][] {
  if (o.clipnorm !== undefined) {
    const c = o.clipnorm;
    return grads.map((g) => {
      const norm = Math.sqrt(sumSq(g));
      return g.map((x) => (x * c) / Math.max(norm, c));
    });
  }
  if (o.globalClipnorm !== undefined) {
    const c = o.globalClipnorm;
    const norm = Math.sqrt(grads.reduce((a, g) => a + sumSq(g), 0));
    const scale = c * Math.min(1 / norm, 1 / c);
    return grads.map((g) => g.map((x) => x * scale));
  }
  if (o.clipvalue !== undefined) {
    const c = o.clipvalue;
    return grads.map((g) => g.map((x) => Math.min(Math.max(x, -c), c)));
  }
  return grads;
}

/** Runs the rule over `grads[step][variable][element]`; returns the weights after every step. */
export function referenceTrajectory(o: RefOptions, init: number[][], grads: number[][][]): number[][][] {
  const eps = o.epsilon ?? 1e-7;
  const b1 = o.beta1 ?? 0.9;
  const b2 = o.beta2 ?? 0.999;
  const rho = o.rho ?? 0.9;
  const mu = o.momentum ?? 0;
  const w = init.map((v) => [...v]);
  const slot = (fill = 0) => init.map((v) => v.map(() => fill));
  const m = slot();
  const v = slot();
  const vhat = slot();
  const avg = slot();
  const acc = slot(o.initialAccumulatorValue ?? 0.1);
  let uProduct = 1;
  const out: number[][][] = [];
  grads.forEach((stepGrads, it) => {
    const t = it + 1;
    const base = typeof o.lr === 'number' ? o.lr : o.lr(it);
    const lr = base / (1 + (o.decay ?? 0) * it);
    const gs = clip(o, stepGrads);
    const u = (s: number) => b1 * (1 - 0.5 * 0.96 ** s);
    if (o.rule === 'nadam') uProduct *= u(t);
    gs.forEach((g, k) => {
      const W = w[k];
      if (o.weightDecay !== undefined) for (let i = 0; i < W.length; i++) W[i] -= W[i] * o.weightDecay * lr;
      for (let i = 0; i < W.length; i++) {
        const gi = g[i];
        switch (o.rule) {
          case 'sgd':
            if (mu === 0) W[i] -= lr * gi;
            else {
              m[k][i] = mu * m[k][i] - lr * gi;
              W[i] += o.nesterov ? mu * m[k][i] - lr * gi : m[k][i];
            }
            break;
          case 'adagrad':
            acc[k][i] += gi * gi;
            W[i] -= (lr * gi) / Math.sqrt(acc[k][i] + eps);
            break;
          case 'rmsprop': {
            v[k][i] = rho * v[k][i] + (1 - rho) * gi * gi;
            let denominator = v[k][i] + eps;
            if (o.centered) {
              avg[k][i] = rho * avg[k][i] + (1 - rho) * gi;
              denominator = v[k][i] - avg[k][i] ** 2 + eps;
            }
            const inc = (lr * gi) / Math.sqrt(denominator);
            if (mu > 0) {
              m[k][i] = mu * m[k][i] + inc;
              W[i] -= m[k][i];
            } else W[i] -= inc;
            break;
          }
          case 'adam': {
            const alpha = (lr * Math.sqrt(1 - b2 ** t)) / (1 - b1 ** t);
            m[k][i] += (gi - m[k][i]) * (1 - b1);
            v[k][i] += (gi * gi - v[k][i]) * (1 - b2);
            let vv = v[k][i];
            if (o.amsgrad) vv = vhat[k][i] = Math.max(vhat[k][i], vv);
            W[i] -= (m[k][i] * alpha) / (Math.sqrt(vv) + eps);
            break;
          }
          case 'adamax':
            m[k][i] += (gi - m[k][i]) * (1 - b1);
            v[k][i] = Math.max(b2 * v[k][i], Math.abs(gi));
            W[i] -= (lr * m[k][i]) / ((1 - b1 ** t) * (v[k][i] + eps));
            break;
          case 'nadam': {
            const ut = u(t);
            const ut1 = u(t + 1);
            m[k][i] += (gi - m[k][i]) * (1 - b1);
            v[k][i] += (gi * gi - v[k][i]) * (1 - b2);
            const mHat = (ut1 * m[k][i]) / (1 - uProduct * ut1) + ((1 - ut) * gi) / (1 - uProduct);
            const vHat = v[k][i] / (1 - b2 ** t);
            W[i] -= (mHat * lr) / (Math.sqrt(vHat) + eps);
            break;
          }
        }
      }
    });
    out.push(w.map((x) => [...x]));
  });
  return out;
}
