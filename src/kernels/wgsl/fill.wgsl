// fill: out[i] = value for every element. One invocation per element; the grid may be
// 2-D when there are more than 65,535 workgroups (index.wgsl's flat_index). Dispatched by
// tensor/create.ts (zeros, ones, full); checked against the value itself.
struct Params { n: u32, value: f32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = flat_index(gid, nwg, 256u);
  if (i < p.n) { out[i] = p.value; }
}
