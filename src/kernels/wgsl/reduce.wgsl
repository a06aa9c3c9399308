// Reductions along one axis. The input is viewed as [outer, len, inner]; the output is
// [outer, inner]. Two strategies: `main` gives each output element a workgroup of 64
// invocations that fold strided slices of the axis, then combine the 64 partials in
// shared memory (a tree): for long axes. `serial` gives each output one invocation that
// walks the whole axis: for short axes (a bias gradient sums 32 rows), where the tree's
// idle lanes and barriers cost more than the walk (barriers are slow on CPU drivers).
// OP: REDUCE_SUM (times `scale`, so mean = sum * 1/len), _MAX, _MIN, _ARGMAX, _ARGMIN (the
// first index of the extreme, as NumPy); the ids are made from kernels/op-names.ts's list.
// Dispatched by autograd/reduce-kernel.ts; float64 reference: tests/util/reference.ts reduce.
// NOTE: NaN wins in max/min (IEEE-style propagation, as NumPy); nan.wgsl is prepended.
override OP: u32;
struct Params { outer: u32, len: u32, inner: u32, scale: f32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;

var<workgroup> vals: array<f32, 64>;
var<workgroup> idxs: array<u32, 64>;

fn better(a: f32, ia: u32, b: f32, ib: u32) -> bool { return beats(a, ia, b, ib, OP == REDUCE_MAX || OP == REDUCE_ARGMAX); }

// The axis fold, for one invocation: elements k = first, first + step, ... of output o.
struct Partial { val: f32, idx: u32 }

fn fold(o: u32, first: u32, step: u32) -> Partial {
  let base = axis_start(o, p.len, p.inner);
  var acc = 0.0;
  var best = 0.0;
  var bi = 0xffffffffu;
  for (var k = first; k < p.len; k += step) {
    let v = x[base + k * p.inner];
    if (OP == REDUCE_SUM) { acc += v; } else if (bi == 0xffffffffu || better(best, bi, v, k)) { best = v; bi = k; }
  }
  return Partial(select(best, acc, OP == REDUCE_SUM), bi);
}

fn write(o: u32, r: Partial) {
  switch OP {
    case REDUCE_SUM: { out[o] = r.val * p.scale; }
    case REDUCE_ARGMAX, REDUCE_ARGMIN: { out[o] = f32(r.idx); }
    case REDUCE_MAX, REDUCE_MIN, default: { out[o] = r.val; }
  }
}

@compute @workgroup_size(64)
fn serial(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let o = flat_index(gid, nwg, 64u);
  if (o >= p.outer * p.inner) { return; }
  write(o, fold(o, 0u, 1u));
}

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {
  let o = flat_index(wid, nwg, 1u);
  if (o >= p.outer * p.inner) { return; }
  let part = fold(o, lid, 64u);
  vals[lid] = part.val;
  idxs[lid] = part.idx;
  workgroupBarrier();
  for (var s = 32u; s > 0u; s >>= 1u) {
    if (lid < s) {
      if (OP == REDUCE_SUM) {
        vals[lid] += vals[lid + s];
      } else if (idxs[lid + s] != 0xffffffffu && (idxs[lid] == 0xffffffffu || better(vals[lid], idxs[lid], vals[lid + s], idxs[lid + s]))) {
        vals[lid] = vals[lid + s];
        idxs[lid] = idxs[lid + s];
      }
    }
    workgroupBarrier();
  }
  if (lid == 0u) { write(o, Partial(vals[0], idxs[0])); }
}
