// where(cond, a, b) with broadcasting of all three (strided.wgsl is prepended):
// out = cond != 0 ? a : b, one invocation per output element. Dispatched by
// autograd/elementwise.ts (where); float64 reference: tests/util/reference.ts zip3.
@group(0) @binding(0) var<uniform> p: Strided;
@group(0) @binding(1) var<storage, read> cond: array<f32>;
@group(0) @binding(2) var<storage, read> a: array<f32>;
@group(0) @binding(3) var<storage, read> b: array<f32>;
@group(0) @binding(4) var<storage, read_write> out: array<f32>;

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = flat_index(gid, nwg, 256u);
  if (i >= p.n) { return; }
  let o = offsets(p, i);
  out[i] = select(b[o.z], a[o.y], cond[o.x] != 0.0);
}
