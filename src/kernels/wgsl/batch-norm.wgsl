// Batch normalization over the last axis (Ioffe & Szegedy 2015; Keras's BatchNormalization).
// x is viewed as [rows, C]; each channel c has its own statistics. Four entry points, two
// per direction, dispatched by src/autograd/batch-norm.ts:
//   moments / moments_update  one invocation per channel: the batch mean and the biased
//                             variance (two passes, for accuracy); _update also folds them
//                             into the moving statistics in place, as Keras 3 does:
//                             moving = moving * momentum + batch * (1 - momentum)
//   normalize                 one invocation per element: y = (x - mean) / sqrt(var + eps) * gamma + beta
//   grad_sums                 per channel: sum(dy) (= dbeta) and sum(dy * xhat) (= dgamma)
//   grad_input                per element: with batch statistics
//                             dx = gamma / (N sqrt(var + eps)) * (N dy - sum(dy) - xhat sum(dy xhat)),
//                             with fixed (moving) statistics dx = gamma dy / sqrt(var + eps).
// FLAGS bits: 1 gamma is bound, 2 beta is bound, 4 the statistics are the batch's own.
// Float64 reference: tests/util/batch-norm-reference.ts.
struct Params { rows: u32, c: u32, flags: u32, eps: f32, momentum: f32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;

fn has(bit: u32) -> bool { return (p.flags & bit) != 0u; }

struct Moments { mean: f32, variance: f32 }

fn moments_of(c: u32) -> Moments {
  var s = 0.0;
  for (var r = 0u; r < p.rows; r++) { s += x[r * p.c + c]; }
  let mean = s / f32(p.rows);
  var q = 0.0;
  for (var r = 0u; r < p.rows; r++) {
    let d = x[r * p.c + c] - mean;
    q += d * d;
  }
  return Moments(mean, q / f32(p.rows));
}

// Bindings 2.. differ per entry point (WGSL allows one binding number for several variables
// when no entry point uses two of them); the caller binds them in this order.
@group(0) @binding(2) var<storage, read_write> mean_out: array<f32>;
@group(0) @binding(3) var<storage, read_write> var_out: array<f32>;
@group(0) @binding(4) var<storage, read_write> moving_mean: array<f32>;
@group(0) @binding(5) var<storage, read_write> moving_var: array<f32>;

fn write_moments(c: u32) -> Moments {
  let m = moments_of(c);
  mean_out[c] = m.mean;
  var_out[c] = m.variance;
  return m;
}

@compute @workgroup_size(64)
fn moments(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let c = flat_index(gid, nwg, 64u);
  if (c < p.c) { write_moments(c); }
}

@compute @workgroup_size(64)
fn moments_update(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let c = flat_index(gid, nwg, 64u);
  if (c >= p.c) { return; }
  let m = write_moments(c);
  moving_mean[c] = moving_mean[c] * p.momentum + m.mean * (1.0 - p.momentum);
  moving_var[c] = moving_var[c] * p.momentum + m.variance * (1.0 - p.momentum);
}

@group(0) @binding(2) var<storage, read> mean: array<f32>;
@group(0) @binding(3) var<storage, read> variance: array<f32>;
@group(0) @binding(4) var<storage, read> gamma: array<f32>;
@group(0) @binding(5) var<storage, read> beta: array<f32>;
@group(0) @binding(6) var<storage, read_write> y: array<f32>;

fn inv_std(c: u32) -> f32 { return inverseSqrt(variance[c] + p.eps); }
fn scale_of(c: u32) -> f32 { return select(1.0, gamma[c], has(1u)); }

@compute @workgroup_size(256)
fn normalize(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = flat_index(gid, nwg, 256u);
  if (i >= p.rows * p.c) { return; }
  let c = i % p.c;
  let xhat = (x[i] - mean[c]) * inv_std(c);
  y[i] = xhat * scale_of(c) + select(0.0, beta[c], has(2u));
}

@group(0) @binding(4) var<storage, read> dy_s: array<f32>;
@group(0) @binding(5) var<storage, read_write> dbeta_out: array<f32>;
@group(0) @binding(6) var<storage, read_write> dgamma_out: array<f32>;

@compute @workgroup_size(64)
fn grad_sums(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let c = flat_index(gid, nwg, 64u);
  if (c >= p.c) { return; }
  let k = inv_std(c);
  var sb = 0.0;
  var sg = 0.0;
  for (var r = 0u; r < p.rows; r++) {
    let i = r * p.c + c;
    sb += dy_s[i];
    sg += dy_s[i] * (x[i] - mean[c]) * k;
  }
  dbeta_out[c] = sb;
  dgamma_out[c] = sg;
}

@group(0) @binding(5) var<storage, read> dy: array<f32>;
@group(0) @binding(6) var<storage, read> dbeta: array<f32>;
@group(0) @binding(7) var<storage, read> dgamma: array<f32>;
@group(0) @binding(8) var<storage, read_write> dx: array<f32>;

@compute @workgroup_size(256)
fn grad_input(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = flat_index(gid, nwg, 256u);
  if (i >= p.rows * p.c) { return; }
  let c = i % p.c;
  let k = inv_std(c) * scale_of(c);
  if (!has(4u)) {
    dx[i] = dy[i] * k;
    return;
  }
  // The batch statistics depend on x too: the mean and variance terms of the chain rule.
  let n = f32(p.rows);
  let xhat = (x[i] - mean[c]) * inv_std(c);
  dx[i] = k / n * (n * dy[i] - dbeta[c] - xhat * dgamma[c]);
}
