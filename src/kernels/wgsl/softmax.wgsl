// softmax / log-softmax along one axis, numerically stable (subtract the max first).
// Input viewed as [outer, len, inner]. Two strategies, as reduce.wgsl: `main` gives each
// row a workgroup of 64 invocations (a shared-memory max, then a shared-memory sum of
// exp(x - max), then the outputs): for long rows. `serial` gives each row one invocation
// making the three passes alone: for short rows (8 classes), where barriers cost more.
// NOTE: a NaN in the row makes the whole row NaN (IEEE). WGSL's max may drop NaN and
// SwiftShader's exp(NaN) is not NaN, so the max propagates it explicitly and the output
// is the NaN itself (nan.wgsl is prepended). Dispatched by autograd/softmax.ts; float64
// reference: tests/util/reference.ts softmax.
override LOG: bool = false;
struct Params { outer: u32, len: u32, inner: u32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;

var<workgroup> red: array<f32, 64>;

fn max_nan(a: f32, b: f32) -> f32 { return select(max(a, b), a + b, is_nan(a) || is_nan(b)); }

// The workgroup's 64 partials in `red` combined by a tree: their max, or their sum.
fn combine(lid: u32, take_max: bool) -> f32 {
  for (var s = 32u; s > 0u; s >>= 1u) {
    if (lid < s) { red[lid] = select(red[lid] + red[lid + s], max_nan(red[lid], red[lid + s]), take_max); }
    workgroupBarrier();
  }
  return red[0];
}

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let row = flat_index(wid, nwg, 1u);
  if (row >= p.outer * p.inner) { return; }
  let base = axis_start(row, p.len, p.inner);
  var m = -3.4e38;
  for (var k = lid; k < p.len; k += 64u) { m = max_nan(m, x[base + k * p.inner]); }
  red[lid] = m;
  workgroupBarrier();
  m = combine(lid, true);
  workgroupBarrier();
  var s = 0.0;
  for (var k = lid; k < p.len; k += 64u) { s += exp(x[base + k * p.inner] - m); }
  red[lid] = s;
  workgroupBarrier();
  s = combine(lid, false);
  let ls = log(s);
  for (var k = lid; k < p.len; k += 64u) {
    write(base + k * p.inner, m, s, ls);
  }
}

// Output i of a row with max m, sum of exponentials s and ls = log(s).
fn write(i: u32, m: f32, s: f32, ls: f32) {
  y[i] = select(select(exp(x[i] - m) / s, x[i] - m - ls, LOG), m, is_nan(m));
}

@compute @workgroup_size(64)
fn serial(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let row = flat_index(gid, nwg, 64u);
  if (row >= p.outer * p.inner) { return; }
  let base = axis_start(row, p.len, p.inner);
  var m = -3.4e38;
  for (var k = 0u; k < p.len; k++) { m = max_nan(m, x[base + k * p.inner]); }
  var s = 0.0;
  for (var k = 0u; k < p.len; k++) { s += exp(x[base + k * p.inner] - m); }
  let ls = log(s);
  for (var k = 0u; k < p.len; k++) { write(base + k * p.inner, m, s, ls); }
}
