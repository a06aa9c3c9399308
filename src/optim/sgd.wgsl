// SGD's rule (keras/src/optimizers/sgd.py), after update.wgsl has clipped g and decayed w
// into x. With momentum μ (slot 0: m):  m = μ·m − lr·g;  w = x + m, or with Nesterov
// w = x + μ·m − lr·g. Without momentum there is no slot, and `descend` runs instead.
// Read next: sgd.ts (its host side), adagrad.wgsl.

struct Hyper { momentum: f32 }

override nesterov: bool;

fn update(i: u32, g: V, x: V) -> V {
  let mu = st.hyper.momentum;
  let m = s[i] * mu - g * st.step.lr;
  s[i] = m;
  if (nesterov) { return x + (m * mu - g * st.step.lr); }
  return x + m;
}

// Plain gradient descent, w = x − lr·g. It has its own entry point because main's call of
// update() binds the slots, and plain SGD keeps none.
@compute @workgroup_size(256)
fn descend(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = flat_index(gid, nwg, 256u);
  if (i < p.n) { w[i] = decayed(i) - grad(i) * st.step.lr; }
}
