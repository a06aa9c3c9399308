// Strided copy (strided.wgsl is prepended): out[i] = x[offset(i)]. With stride 0 along
// some dims it is broadcastTo; with permuted strides it is transpose. One invocation per
// output element over a 1-D grid (2-D past 65,535 workgroups). Dispatched by
// autograd/layout.ts; float64 reference: tests/util/reference.ts transpose, zip.
@group(0) @binding(0) var<uniform> p: Strided;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = flat_index(gid, nwg, 256u);
  if (i >= p.n) { return; }
  out[i] = x[offsets(p, i).x];
}
