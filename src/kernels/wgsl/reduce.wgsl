// Reductions along one axis. The input is viewed as [outer, len, inner]; the output is
// [outer, inner]. One workgroup of 64 invocations per output element: each invocation
// folds a strided slice of the axis, then the workgroup combines the 64 partials in
// shared memory (a tree). OP: 0 sum (times `scale`, so mean = sum * 1/len), 1 max,
// 2 min, 3 argmax, 4 argmin (first index of the extreme, as NumPy).
// NOTE: NaN wins in max/min (IEEE-style propagation, as NumPy); nan.wgsl is prepended.
override OP: u32;
struct Params { outer: u32, len: u32, inner: u32, scale: f32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;

var<workgroup> vals: array<f32, 64>;
var<workgroup> idxs: array<u32, 64>;

fn better(a: f32, ia: u32, b: f32, ib: u32) -> bool {
  // true when (b, ib) should replace (a, ia)
  if (is_nan(b)) { return !is_nan(a) || ib < ia; }
  if (is_nan(a)) { return false; }
  if (OP == 1u || OP == 3u) { return b > a || (b == a && ib < ia); }
  return b < a || (b == a && ib < ia);
}

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let o = wid.y * nwg.x + wid.x;
  if (o >= p.outer * p.inner) { return; }
  let base = (o / p.inner) * p.len * p.inner + o % p.inner;
  var acc = 0.0;
  var best = 0.0;
  var bi = 0xffffffffu;
  for (var k = lid; k < p.len; k += 64u) {
    let v = x[base + k * p.inner];
    if (OP == 0u) { acc += v; } else if (bi == 0xffffffffu || better(best, bi, v, k)) { best = v; bi = k; }
  }
  vals[lid] = select(best, acc, OP == 0u);
  idxs[lid] = bi;
  workgroupBarrier();
  for (var s = 32u; s > 0u; s >>= 1u) {
    if (lid < s) {
      if (OP == 0u) {
        vals[lid] += vals[lid + s];
      } else if (idxs[lid + s] != 0xffffffffu && (idxs[lid] == 0xffffffffu || better(vals[lid], idxs[lid], vals[lid + s], idxs[lid + s]))) {
        vals[lid] = vals[lid + s];
        idxs[lid] = idxs[lid + s];
      }
    }
    workgroupBarrier();
  }
  if (lid == 0u) {
    switch OP {
      case 0u: { out[o] = vals[0] * p.scale; }
      case 3u, 4u: { out[o] = f32(idxs[0]); }
      default: { out[o] = vals[0]; }
    }
  }
}
