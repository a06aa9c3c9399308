// Adam's rule (keras/src/optimizers/adam.py), after update.wgsl has clipped g and decayed w
// into x. Slots: momentum m, velocity v, and velocity_hat v̂ with amsgrad.
//   m += (g − m)(1−β1);  v += (g² − v)(1−β2);  amsgrad: v̂ = max(v̂, v) replaces v;
//   w = x − α·m / (sqrt(v) + ε), with α = lr·sqrt(1−β2^t)/(1−β1^t) from the host.
// AdamW runs this file too. Read next: adam.ts (its host side), adamax.wgsl.

struct Hyper { alpha: f32, one_minus_beta_1: f32, one_minus_beta_2: f32, epsilon: f32 }

override amsgrad: bool;

fn update(i: u32, g: V, x: V) -> V {
  let h = st.hyper;
  let m = s[i] + (g - s[i]) * h.one_minus_beta_1;
  var v = s[slot(1u, i)] + (g * g - s[slot(1u, i)]) * h.one_minus_beta_2;
  s[i] = m;
  s[slot(1u, i)] = v;
  if (amsgrad) {
    v = max(s[slot(2u, i)], v);
    s[slot(2u, i)] = v;
  }
  return x - (m * h.alpha) / (sqrt(v) + h.epsilon);
}
