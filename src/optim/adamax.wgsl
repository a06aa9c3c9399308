// Adamax's rule (keras/src/optimizers/adamax.py), after update.wgsl has clipped g and
// decayed w into x. Slots: momentum m, norm u.
//   m += (g − m)(1−β1);  u = max(β2·u, |g|);  w = x − lr·m / ((1−β1^t)(u + ε)).
// Read next: adamax.ts (its host side), nadam.wgsl.

struct Hyper { one_minus_beta_1: f32, beta_2: f32, epsilon: f32, one_minus_beta_1_power: f32 }

fn update(i: u32, g: V, x: V) -> V {
  let h = st.hyper;
  let m = s[i] + (g - s[i]) * h.one_minus_beta_1;
  let u = max(h.beta_2 * s[slot(1u, i)], abs(g));
  s[i] = m;
  s[slot(1u, i)] = u;
  return x - (st.step.lr * m) / (h.one_minus_beta_1_power * (u + h.epsilon));
}
