// fill: out[i] = value for every element. One invocation per element; the grid may be
// 2-D when there are more than 65,535 workgroups (index = y * groups_x * 256 + x).
struct Params { n: u32, value: f32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = gid.y * nwg.x * 256u + gid.x;
  if (i < p.n) { out[i] = p.value; }
}
