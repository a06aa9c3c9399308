// The part of every optimizer's update that is not its rule, written once (Keras 3's
// base_optimizer.py apply_gradients): one dispatch per parameter tensor, one invocation
// per element, which clips its gradient (_clip_gradients), decays its weight into
// x = w − w·wd·lr (_apply_weight_decay), and hands both to the rule's `fn update` (the
// optimizer's own file, e.g. adam.wgsl), which updates its slots and returns the new weight.
// optim/kernels.ts assembles a kernel as `alias V`, `struct Step` (kernels/optim-step.ts),
// this file, then the rule's file, which also declares `struct Hyper`: its named scalars.
// V is f32, or vec4f where a tensor's size is a multiple of 4 (n then counts vec4s): on
// lavapipe each storage access costs far more than the arithmetic, so 4 per load is ~3x faster.

struct Params {
  n: u32,
  flags: u32,
  // Where this tensor's clip-by-norm factor sits in `clip` (written by clip-norm.wgsl).
  scale_index: u32,
}

// One step's scalars, uploaded once per step and read by every tensor's dispatch: the
// shared Step (lr, wd_lr, clip_value), then the rule's Hyper.
struct Scalars {
  step: Step,
  hyper: Hyper,
}

const CLIP_NORM = 1u;   // multiply g by clip[scale_index]
const CLIP_VALUE = 2u;  // clamp g to ±clip_value

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> w: array<V>;
@group(0) @binding(2) var<storage, read> g_in: array<V>;
@group(0) @binding(3) var<storage, read> clip: array<f32>;
@group(0) @binding(4) var<storage, read> st: Scalars;
// The rule's slots in one buffer, in the order its optimizer builds them (Keras's order).
@group(0) @binding(5) var<storage, read_write> s: array<V>;

// Where element i of slot k sits in `s`.
fn slot(k: u32, i: u32) -> u32 { return k * p.n + i; }

// Keras clips by norm, or by global norm, or by value: at most one flag is set.
fn grad(i: u32) -> V {
  var g = g_in[i];
  if ((p.flags & CLIP_NORM) != 0u) { g = g * clip[p.scale_index]; }
  if ((p.flags & CLIP_VALUE) != 0u) { g = clamp(g, V(-st.step.clip_value), V(st.step.clip_value)); }
  return g;
}

// wd_lr is 0 without weight decay, which leaves w unchanged.
fn decayed(i: u32) -> V {
  let x = w[i];
  return x - x * st.step.wd_lr;
}

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = flat_index(gid, nwg, 256u);
  if (i >= p.n) { return; }
  w[i] = update(i, grad(i), decayed(i));
}
