// Batch assembly on the GPU: out[r, c] = data[index[start + r], c] for a batch of rows,
// so a dataset is uploaded once and each step only reads its rows. `index` is a float32
// permutation of the rows (exact for up to 2^24 rows) uploaded once per epoch.
// gather_f32 reads float32 rows; gather_u8 reads rows of bytes packed 4 per u32 word and
// scales them (Fashion-MNIST pixels * 1/255). One invocation per output element, except
// gather_u8x4 (rows of a multiple of 4 bytes): one word, 4 pixels, a vec4 out per
// invocation — a quarter of the loads, which is what CPU drivers pay for.
// Dispatched by tensor/gather.ts; float64 reference: tests/util/reference.ts gatherRows.
struct Params { rows: u32, row_size: u32, start: u32, scale: f32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> index: array<f32>;
@group(0) @binding(2) var<storage, read> data_f32: array<f32>;
@group(0) @binding(3) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<storage, read> data_u8: array<u32>;
@group(0) @binding(3) var<storage, read_write> out4: array<vec4f>;

fn source(i: u32) -> u32 {
  let r = i / p.row_size;
  return u32(index[p.start + r]) * p.row_size + i % p.row_size;
}

@compute @workgroup_size(256)
fn gather_f32(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = flat_index(gid, nwg, 256u);
  if (i >= p.rows * p.row_size) { return; }
  out[i] = data_f32[source(i)] * p.scale;
}

@compute @workgroup_size(256)
fn gather_u8(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = flat_index(gid, nwg, 256u);
  if (i >= p.rows * p.row_size) { return; }
  let e = source(i);
  let byte = (data_u8[e / 4u] >> ((e % 4u) * 8u)) & 0xffu;
  out[i] = f32(byte) * p.scale;
}

@compute @workgroup_size(256)
fn gather_u8x4(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let q = flat_index(gid, nwg, 256u);
  if (q * 4u >= p.rows * p.row_size) { return; }
  let word = data_u8[source(q * 4u) / 4u];
  out4[q] = vec4f((vec4u(word) >> vec4u(0u, 8u, 16u, 24u)) & vec4u(0xffu)) * p.scale;
}
