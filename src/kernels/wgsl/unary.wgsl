// Elementwise unary ops, y = op(x), with the op id (kernels/op-names.ts) as an override
// constant (activations.wgsl and nan.wgsl are prepended). One invocation per element over a
// 1-D grid (2-D past 65,535 workgroups). The backward of every unary op is unary-grad.wgsl.
// Dispatched by autograd/elementwise.ts (unary); float64 reference: tests/util/reference.ts unaryRef.
override OP: u32;
struct Params { n: u32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;

@compute @workgroup_size(256)
fn forward(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = flat_index(gid, nwg, 256u);
  if (i < p.n) { y[i] = apply_op(OP, x[i]); }
}
