// Nadam's rule (keras/src/optimizers/nadam.py), after update.wgsl has clipped g and decayed
// w into x. Slots: momentum m, velocity v.
//   m += (g − m)(1−β1);  v += (g² − v)(1−β2);
//   m̂ = momentum_weight·m + gradient_weight·g;  v̂ = v / (1 − β2^t);
//   w = x − lr·m̂ / (sqrt(v̂) + ε),
// with the two weights from Dozat's momentum schedule, computed on the host (nadam.ts).
// Read next: nadam.ts (its host side).

struct Hyper {
  one_minus_beta_1: f32, one_minus_beta_2: f32, epsilon: f32,
  momentum_weight: f32, gradient_weight: f32, one_minus_beta_2_power: f32,
}

fn update(i: u32, g: V, x: V) -> V {
  let h = st.hyper;
  let m = s[i] + (g - s[i]) * h.one_minus_beta_1;
  let v = s[slot(1u, i)] + (g * g - s[slot(1u, i)]) * h.one_minus_beta_2;
  s[i] = m;
  s[slot(1u, i)] = v;
  let m_hat = h.momentum_weight * m + h.gradient_weight * g;
  let v_hat = v / h.one_minus_beta_2_power;
  return x - (m_hat * st.step.lr) / (sqrt(v_hat) + h.epsilon);
}
