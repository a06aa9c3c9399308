// Activations with a scalar parameter `a`, as Keras's activation layers: PARAM_LEAKY_RELU
// (LeakyReLU's negative_slope: y = max(x, a x) for 0 <= a <= 1), PARAM_ELU (ELU's alpha:
// y = x for x >= 0, a (e^x - 1) below); ids from kernels/op-names.ts. `forward` and
// `backward` (dx = dy y'(x)), one invocation per element. Kept apart from unary.wgsl, whose
// ops take no parameter. Dispatched by autograd/param-activation.ts; float64 reference:
// tests/util/reference.ts leakyReluRef, eluRef.
// NOTE: NaN passes through (nan.wgsl is prepended); select() would otherwise pick a branch.
override OP: u32;
struct Params { n: u32, a: f32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;

fn act(v: f32) -> f32 {
  if (is_nan(v)) { return v; }
  if (OP == PARAM_LEAKY_RELU) { return select(p.a * v, v, v >= 0.0); }
  return select(p.a * (exp(v) - 1.0), v, v >= 0.0);
}

fn act_grad(v: f32) -> f32 {
  if (OP == PARAM_LEAKY_RELU) { return select(p.a, 1.0, v >= 0.0); }
  return select(p.a * exp(v), 1.0, v >= 0.0);
}

@compute @workgroup_size(256)
fn forward(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = flat_index(gid, nwg, 256u);
  if (i < p.n) { y[i] = act(x[i]); }
}

@group(0) @binding(2) var<storage, read> dy: array<f32>;
@group(0) @binding(3) var<storage, read_write> dx: array<f32>;

@compute @workgroup_size(256)
fn backward(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = flat_index(gid, nwg, 256u);
  if (i < p.n) { dx[i] = dy[i] * act_grad(x[i]); }
}
