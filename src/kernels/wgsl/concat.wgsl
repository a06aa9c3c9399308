// Concatenation's two copies, one invocation per element of one part. Seen as 2-D, the
// output is [outer, total] and a part [outer, width] whose columns start at `offset`
// (the axis and every dim after it are folded into the columns). SLICE false places a
// part into the output (the forward pass, once per part); SLICE true reads its columns of
// the output's gradient back out (the backward pass). Dispatched by autograd/concat.ts;
// float64 reference: tests/util/reference.ts concat.
override SLICE: bool = false;
struct Params { n: u32, width: u32, total: u32, offset: u32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> src: array<f32>;
@group(0) @binding(2) var<storage, read_write> dst: array<f32>;

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = flat_index(gid, nwg, 256u);
  if (i >= p.n) { return; }
  let j = (i / p.width) * p.total + p.offset + i % p.width;
  if (SLICE) { dst[i] = src[j]; } else { dst[j] = src[i]; }
}
