// The matrix product as a specification: one invocation per element (r, c) of the result,
// one loop over k. The fast kernels (matmul.wgsl, matmul-subgroups.wgsl) compute exactly
// this, with each invocation owning a block of elements so that a loaded value is reused.
// a_at, b_at, out_rows, store and p: the interface prepended before this file
// (matmul-io.wgsl, or the fast layer's fast-*-io.wgsl). Pick it with WEBGRAD_MATMUL=naive.
@compute @workgroup_size(8, 8)
fn main(@builtin(global_invocation_id) id: vec3u) {
  let r = id.y;
  let c = id.x;
  if (r >= out_rows() || c >= p.N) { return; }
  var acc = 0.0;
  for (var k = 0u; k < p.K; k++) {
    acc += a_at(r, k) * b_at(k, c);
  }
  store(r, c, acc);
}
