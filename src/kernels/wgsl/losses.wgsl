// Cross-entropy losses, fused, as Keras 3 (TensorFlow backend) computes them:
//  sparse:      from logits  lse(z) - z[y];  from probabilities, c = clip(p, eps, 1-eps),
//               log(sum c) - log(c[y])  (Keras feeds log(c) to a softmax CE).
//  categorical: from logits  sum_j t_j (lse(z) - z_j); from probabilities, q = p / sum p,
//               -sum_j t_j log(clip(q_j)).
//  binary:      elementwise; from logits max(z,0) - z t + log(1 + e^-|z|);
//               from probabilities -(t log c + (1-t) log(1-c)), c = clip(p).
// Each *_fwd writes the per-row (per-element for binary) loss; each *_bwd writes
// dL/dpred given dL/dloss. Row kernels: one invocation per row of C classes.
// sparse_mean fuses a training step's loss tail (autograd/losses.ts, sparseCrossentropyMean):
// the batch's mean sparse CE, its accuracy hits and the epoch's running sums; sparse_bwd
// with MEAN is its backward.
// NOTE: a label that is not an integer in [0, C) gives NaN (fit checks labels on the host
// first and names the bad one). A NaN prediction gives NaN for its row: checked
// explicitly, since clamp() and some drivers' exp() drop NaN (nan.wgsl is prepended).
// Dispatched by autograd/losses.ts; float64 references: tests/util/reference.ts sparseCE,
// categoricalCE, binaryCE.
override FROM_LOGITS: bool = false;
// sparse_bwd's dL/dloss is one value for all rows (sparse_mean's); sparse_mean's options:
override MEAN: bool = false;
override HAS_PENALTY: bool = false;
override HAS_HITS: bool = false;
struct Params { rows: u32, C: u32, eps: f32, scale: f32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> pred: array<f32>;
@group(0) @binding(2) var<storage, read> truth: array<f32>;
// bwd: dL/dloss; sparse_mean: the model's output (its argmax is the prediction); fwd: pred again
@group(0) @binding(3) var<storage, read> aux: array<f32>;
@group(0) @binding(4) var<storage, read_write> out: array<f32>;
// sparse_mean only: the weight penalties' sum, and the running sums of loss * rows and of hits
@group(0) @binding(5) var<storage, read> penalty: array<f32>;
@group(0) @binding(6) var<storage, read_write> loss_sum: array<f32>;
@group(0) @binding(7) var<storage, read_write> hit_sum: array<f32>;

fn clipped(v: f32) -> f32 { return clamp(v, p.eps, 1.0 - p.eps); }
fn in_clip(v: f32) -> f32 { return select(0.0, 1.0, v >= p.eps && v <= 1.0 - p.eps); }

// max and log-sum-exp of row r of the logits
fn lse(base: u32) -> vec2f {
  var m = -3.4e38;
  for (var j = 0u; j < p.C; j++) { m = max(m, pred[base + j]); }
  var s = 0.0;
  for (var j = 0u; j < p.C; j++) { s += exp(pred[base + j] - m); }
  return vec2f(m, m + log(s));
}
fn label(r: u32) -> i32 {
  let t = truth[r];
  if (t != floor(t) || t < 0.0 || t >= f32(p.C)) { return -1; }
  return i32(t);
}
fn row_has_nan(base: u32) -> bool {
  var found = false;
  for (var j = 0u; j < p.C; j++) { found = found || is_nan(pred[base + j]); }
  return found;
}
fn sum_clipped(base: u32) -> f32 {
  var s = 0.0;
  for (var j = 0u; j < p.C; j++) { s += clipped(pred[base + j]); }
  return s;
}

fn sparse_loss(r: u32) -> f32 {
  let base = r * p.C;
  let y = label(r);
  // NaN bits from a runtime value: WGSL rejects a constant NaN.
  if (y < 0 || row_has_nan(base)) { return bitcast<f32>(0x7fc00000u | (p.C & 0u)); }
  if (FROM_LOGITS) { return lse(base).y - pred[base + u32(y)]; }
  return log(sum_clipped(base)) - log(clipped(pred[base + u32(y)]));
}

@compute @workgroup_size(64)
fn sparse_fwd(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let r = flat_index(gid, nwg, 64u);
  if (r >= p.rows) { return; }
  out[r] = sparse_loss(r);
  _ = aux[0];
}

// 1.0 when the argmax of row r of the model's output is its label (the sparse accuracy).
fn hit(r: u32) -> f32 {
  var best = 0u;
  for (var j = 1u; j < p.C; j++) { if (beats(aux[r * p.C + best], best, aux[r * p.C + j], j, true)) { best = j; } }
  return select(0.0, 1.0, truth[r] == f32(best));
}

var<workgroup> row_vals: array<vec2f, 256>; // (loss, hit) of each row

// A whole batch of rows <= 256 in one workgroup: each row's loss and hit, then invocation 0
// sums them in row order, as reduce.wgsl's serial walk does, so every value is the unfused
// ops' bit for bit: loss = sum * scale (+ penalty), loss_sum += loss * rows, hit_sum += hits.
@compute @workgroup_size(64)
fn sparse_mean(@builtin(local_invocation_index) lid: u32) {
  for (var r = lid; r < p.rows; r += 64u) { row_vals[r] = vec2f(sparse_loss(r), hit(r)); }
  workgroupBarrier();
  if (lid > 0u) { return; }
  var s = vec2f(0.0);
  for (var r = 0u; r < p.rows; r++) { s += row_vals[r]; }
  var loss = s.x * p.scale;
  if (HAS_PENALTY) { loss += penalty[0]; }
  out[0] = loss;
  loss_sum[0] += loss * f32(p.rows);
  if (HAS_HITS) { hit_sum[0] += s.y; }
}

@compute @workgroup_size(64)
fn sparse_bwd(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let r = flat_index(gid, nwg, 64u);
  if (r >= p.rows) { return; }
  let base = r * p.C;
  let y = label(r);
  var g = aux[0] * p.scale; // MEAN: the batch mean's one dL/dloss, times its 1/rows
  if (!MEAN) { g = aux[r]; }
  if (FROM_LOGITS) {
    let l = lse(base).y;
    for (var j = 0u; j < p.C; j++) {
      out[base + j] = g * (exp(pred[base + j] - l) - select(0.0, 1.0, i32(j) == y));
    }
  } else {
    let inv = 1.0 / sum_clipped(base);
    for (var j = 0u; j < p.C; j++) {
      let v = pred[base + j];
      let hit = select(0.0, 1.0 / clipped(v), i32(j) == y);
      out[base + j] = g * (inv - hit) * in_clip(v);
    }
  }
}

@compute @workgroup_size(64)
fn categorical_fwd(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let r = flat_index(gid, nwg, 64u);
  if (r >= p.rows) { return; }
  let base = r * p.C;
  if (row_has_nan(base)) { out[r] = bitcast<f32>(0x7fc00000u | (p.C & 0u)); return; }
  var loss = 0.0;
  if (FROM_LOGITS) {
    let l = lse(base).y;
    for (var j = 0u; j < p.C; j++) { loss += truth[base + j] * (l - pred[base + j]); }
  } else {
    var s = 0.0;
    for (var j = 0u; j < p.C; j++) { s += pred[base + j]; }
    for (var j = 0u; j < p.C; j++) { loss -= truth[base + j] * log(clipped(pred[base + j] / s)); }
  }
  out[r] = loss;
  _ = aux[0];
}

@compute @workgroup_size(64)
fn categorical_bwd(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let r = flat_index(gid, nwg, 64u);
  if (r >= p.rows) { return; }
  let base = r * p.C;
  let g = aux[r];
  if (FROM_LOGITS) {
    let l = lse(base).y;
    var tsum = 0.0;
    for (var j = 0u; j < p.C; j++) { tsum += truth[base + j]; }
    for (var j = 0u; j < p.C; j++) {
      out[base + j] = g * (exp(pred[base + j] - l) * tsum - truth[base + j]);
    }
  } else {
    // q = p / S, c = clip(q), L = -sum t log c:  dL/dq_j = -t_j / c_j (inside the clip),
    // dL/dp_k = (dL/dq_k - sum_j dL/dq_j q_j) / S.
    var s = 0.0;
    for (var j = 0u; j < p.C; j++) { s += pred[base + j]; }
    var dot = 0.0;
    for (var j = 0u; j < p.C; j++) {
      let q = pred[base + j] / s;
      dot += -truth[base + j] / clipped(q) * in_clip(q) * q;
    }
    for (var k = 0u; k < p.C; k++) {
      let q = pred[base + k] / s;
      out[base + k] = g * (-truth[base + k] / clipped(q) * in_clip(q) - dot) / s;
    }
  }
}

// Binary CE is elementwise: rows = number of elements, C = 1.
@compute @workgroup_size(64)
fn binary_fwd(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = flat_index(gid, nwg, 64u);
  if (i >= p.rows) { return; }
  let z = pred[i];
  let t = truth[i];
  if (is_nan(z)) { out[i] = z; return; }
  if (FROM_LOGITS) {
    out[i] = max(z, 0.0) - z * t + log(1.0 + exp(-abs(z)));
  } else {
    let c = clipped(z);
    out[i] = -(t * log(c) + (1.0 - t) * log(1.0 - c));
  }
  _ = aux[0];
}

@compute @workgroup_size(64)
fn binary_bwd(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = flat_index(gid, nwg, 64u);
  if (i >= p.rows) { return; }
  let z = pred[i];
  let t = truth[i];
  if (FROM_LOGITS) {
    let e = exp(-abs(z));
    let sig = select(e / (1.0 + e), 1.0 / (1.0 + e), z >= 0.0);
    out[i] = aux[i] * (sig - t);
  } else {
    let c = clipped(z);
    out[i] = aux[i] * (-t / c + (1.0 - t) / (1.0 - c)) * in_clip(z);
  }
}
