// Backward of every unary op, fused: dx = dy * op'(x, y). (activations.wgsl is prepended.)
// One invocation per element over a 1-D grid (2-D past 65,535 workgroups).
// The fused Dense binds its output as both x and y: activation derivatives use y only.
// src/fast/act-grads-io.wgsl computes the same dy * op_grad(OP, x, y) in a product's epilogue
// (src/fast/act-grads.ts): change the expression in both places or neither.
// Dispatched by autograd/elementwise.ts (unaryGrad); checked against finite differences of
// tests/util/reference.ts unaryRef.
override OP: u32;
struct Params { n: u32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> y: array<f32>;
@group(0) @binding(3) var<storage, read> dy: array<f32>;
@group(0) @binding(4) var<storage, read_write> dx: array<f32>;

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = flat_index(gid, nwg, 256u);
  if (i < p.n) { dx[i] = dy[i] * op_grad(OP, x[i], y[i]); }
}
