// RMSprop's rule (keras/src/optimizers/rmsprop.py), after update.wgsl has clipped g and
// decayed w into x:  v = ρ·v + (1−ρ)·g²;  inc = lr·g / sqrt(v + ε), or centered, with
// a = ρ·a + (1−ρ)·g, lr·g / sqrt(v − a² + ε);  w = x − inc, or with momentum
// m = μ·m + inc, w = x − m. Slots, as Keras builds them: velocity, then momentum (if μ > 0),
// then average_gradient (if centered). Read next: rmsprop.ts (its host side), adam.wgsl.

struct Hyper { rho: f32, one_minus_rho: f32, momentum: f32, epsilon: f32 }

override centered: bool;
override has_momentum: bool;

fn update(i: u32, g: V, x: V) -> V {
  let h = st.hyper;
  let v = h.rho * s[i] + h.one_minus_rho * (g * g);
  s[i] = v;
  var denominator = v + h.epsilon;
  let mom = slot(1u, i);
  let avg = slot(select(1u, 2u, has_momentum), i);
  if (centered) {
    let a = h.rho * s[avg] + h.one_minus_rho * g;
    s[avg] = a;
    // NOTE: v >= a² in exact arithmetic; f32 rounding can make v − a² slightly negative,
    // and sqrt of a negative is NaN, so clamp it at 0 (where Keras's value is finite, the
    // same; tfjs's centered RMSprop subtracts ε and is NaN for zero gradients).
    denominator = max(v - a * a, V(0.0)) + h.epsilon;
  }
  let inc = (st.step.lr * g) / sqrt(denominator);
  if (has_momentum) {
    let m = h.momentum * s[mom] + inc;
    s[mom] = m;
    return x - m;
  }
  return x - inc;
}
