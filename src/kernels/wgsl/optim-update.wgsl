// Fused optimizer updates, Keras 3's rules (keras/src/optimizers/{sgd,adagrad,rmsprop,adam,
// adamax,nadam}.py): one entry point per rule, one dispatch per parameter tensor, one
// invocation per element (1-D grid, y used past 65,535 workgroups). Each invocation clips
// its gradient (base_optimizer._clip_gradients), applies decoupled weight decay
// w − w·wd·lr (base_optimizer._apply_weight_decay), then the rule, writing the weight and
// its slots in place. The uniform holds what is fixed per tensor (so it is created once);
// the scalars that change every step (lr_t, bias corrections) are one small storage
// buffer `st` uploaded once per step and shared by every tensor's dispatch.
// A rule's slots are packed in one buffer `s`: slot k of element i is s[k·n + i].
// V is f32 or vec4f, prepended by the host (optim/kernels.ts): where a tensor's size is a
// multiple of 4, one invocation updates 4 elements, and n counts vec4s. On lavapipe each
// storage access costs far more than the arithmetic, so 4 elements per load is ~3x faster.

struct Params {
  n: u32,
  flags: u32,
  // Where this tensor's clip-by-norm factor sits in `clip` (written by optim-norm.wgsl).
  scale_index: u32,
}

// `struct Step` (lr, wd_lr, clip_value, then the rule's hyper-parameters h0..h5, which each
// entry point names) and `sgd_rule` are prepended by the host: kernels/optim-step.ts.

const CLIP_NORM = 1u;   // multiply g by clip[scale_index]
const CLIP_VALUE = 2u;  // clamp g to ±clip_value
const VARIANT = 4u;     // nesterov (SGD), centered (RMSprop), amsgrad (Adam)
const MOMENTUM = 8u;    // RMSprop keeps a momentum slot

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> w: array<V>;
@group(0) @binding(2) var<storage, read> g_in: array<V>;
@group(0) @binding(3) var<storage, read> clip: array<f32>;
@group(0) @binding(4) var<storage, read> st: Step;
@group(0) @binding(5) var<storage, read_write> s: array<V>;

fn index(gid: vec3u, nwg: vec3u) -> u32 {
  return gid.y * nwg.x * 256u + gid.x;
}

fn has(flag: u32) -> bool {
  return (p.flags & flag) != 0u;
}

// Keras clips by norm, or by global norm, or by value: at most one flag is set.
fn grad(i: u32) -> V {
  var g = g_in[i];
  if (has(CLIP_NORM)) { g = g * clip[p.scale_index]; }
  if (has(CLIP_VALUE)) { g = clamp(g, V(-st.clip_value), V(st.clip_value)); }
  return g;
}

// wd_lr is 0 without weight decay, which leaves w unchanged.
fn decayed(i: u32) -> V {
  let x = w[i];
  return x - x * st.wd_lr;
}

// w −= lr·g
@compute @workgroup_size(256)
fn sgd(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = index(gid, nwg);
  if (i >= p.n) { return; }
  w[i] = sgd_rule(w[i], grad(i), st.lr, st.wd_lr);
}

// m = μ·m − lr·g; w += m, or with Nesterov w += μ·m − lr·g.  h0 = μ.
@compute @workgroup_size(256)
fn sgd_momentum(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = index(gid, nwg);
  if (i >= p.n) { return; }
  let mu = st.h0;
  let g = grad(i);
  let x = decayed(i);
  let m = s[i] * mu - g * st.lr;
  s[i] = m;
  if (has(VARIANT)) { w[i] = x + (m * mu - g * st.lr); } else { w[i] = x + m; }
}

// acc += g²; w −= lr·g / sqrt(acc + ε).  h0 = ε.
@compute @workgroup_size(256)
fn adagrad(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = index(gid, nwg);
  if (i >= p.n) { return; }
  let g = grad(i);
  let x = decayed(i);
  let acc = s[i] + g * g;
  s[i] = acc;
  w[i] = x - (st.lr * g) / sqrt(acc + st.h0);
}

// v = ρ·v + (1−ρ)·g²; centered: a = ρ·a + (1−ρ)·g, denominator v − a² + ε, else v + ε;
// inc = lr·g / sqrt(denominator); with momentum m = μ·m + inc, w −= m; else w −= inc.
// Slots: velocity, then momentum (if μ > 0), then average_gradient (if centered), as Keras
// builds them.  h0 = ρ, h1 = 1−ρ, h2 = μ, h3 = ε.
@compute @workgroup_size(256)
fn rmsprop(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = index(gid, nwg);
  if (i >= p.n) { return; }
  let rho = st.h0;
  let one_minus_rho = st.h1;
  let g = grad(i);
  let x = decayed(i);
  let v = rho * s[i] + one_minus_rho * (g * g);
  s[i] = v;
  var denominator = v + st.h3;
  let mom = p.n + i;
  let avg = select(p.n, 2u * p.n, has(MOMENTUM)) + i;
  if (has(VARIANT)) {
    let a = rho * s[avg] + one_minus_rho * g;
    s[avg] = a;
    // NOTE: v >= a² in exact arithmetic; f32 rounding can make v − a² slightly negative,
    // and sqrt of a negative is NaN, so clamp it at 0 (where Keras's value is finite, the
    // same; tfjs's centered RMSprop subtracts ε and is NaN for zero gradients).
    denominator = max(v - a * a, V(0.0)) + st.h3;
  }
  let inc = (st.lr * g) / sqrt(denominator);
  if (has(MOMENTUM)) {
    let m = st.h2 * s[mom] + inc;
    s[mom] = m;
    w[i] = x - m;
  } else {
    w[i] = x - inc;
  }
}

// m += (g − m)(1−β1); v += (g² − v)(1−β2); amsgrad: v̂ = max(v̂, v) replaces v;
// w −= α·m / (sqrt(v) + ε), with α = lr·sqrt(1−β2^t)/(1−β1^t) from the host (in st.lr).
// Slots: momentum, velocity, velocity_hat (amsgrad).  h0 = 1−β1, h1 = 1−β2, h2 = ε.
@compute @workgroup_size(256)
fn adam(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = index(gid, nwg);
  if (i >= p.n) { return; }
  let g = grad(i);
  let x = decayed(i);
  let m = s[i] + (g - s[i]) * st.h0;
  var v = s[p.n + i] + (g * g - s[p.n + i]) * st.h1;
  s[i] = m;
  s[p.n + i] = v;
  if (has(VARIANT)) {
    v = max(s[2u * p.n + i], v);
    s[2u * p.n + i] = v;
  }
  w[i] = x - (m * st.lr) / (sqrt(v) + st.h2);
}

// m += (g − m)(1−β1); u = max(β2·u, |g|); w −= lr·m / ((1−β1^t)(u + ε)).
// Slots: momentum, norm.  h0 = 1−β1, h1 = β2, h2 = ε, h3 = 1−β1^t.
@compute @workgroup_size(256)
fn adamax(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = index(gid, nwg);
  if (i >= p.n) { return; }
  let g = grad(i);
  let x = decayed(i);
  let m = s[i] + (g - s[i]) * st.h0;
  let u = max(st.h1 * s[p.n + i], abs(g));
  s[i] = m;
  s[p.n + i] = u;
  w[i] = x - (st.lr * m) / (st.h3 * (u + st.h2));
}

// m += (g − m)(1−β1); v += (g² − v)(1−β2);
// m̂ = u_{t+1}·m/(1 − Πu_{t+1}) + (1 − u_t)·g/(1 − Πu_t); v̂ = v/(1 − β2^t);
// w −= lr·m̂ / (sqrt(v̂) + ε), with Dozat's momentum schedule u_t = β1(1 − 0.5·0.96^t) and
// its running product Πu kept on the host.  Slots: momentum, velocity.
// h0 = 1−β1, h1 = 1−β2, h2 = ε, h3 = u_{t+1}/(1 − Πu_{t+1}), h4 = (1 − u_t)/(1 − Πu_t),
// h5 = 1 − β2^t.
@compute @workgroup_size(256)
fn nadam(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = index(gid, nwg);
  if (i >= p.n) { return; }
  let g = grad(i);
  let x = decayed(i);
  let m = s[i] + (g - s[i]) * st.h0;
  let v = s[p.n + i] + (g * g - s[p.n + i]) * st.h1;
  s[i] = m;
  s[p.n + i] = v;
  let m_hat = st.h3 * m + st.h4 * g;
  let v_hat = v / st.h5;
  w[i] = x - (m_hat * st.lr) / (sqrt(v_hat) + st.h2);
}
