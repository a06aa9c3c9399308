// The fast layer's interface for the dense-backward-with-SGD kernel: fit's plain SGD applied
// by a Dense layer's weight-gradient product, which is never stored (src/fast/fused-sgd.ts
// plans it and dispatches it as denseSgd). The product is xᵀ·dz with a row of ones
// appended to xᵀ (as matmul-io.wgsl's COL_SUMS): its element (r, c) is the gradient of
// weight[r, c] and its last row, the column sums of dz, that of bias[c]. store() applies
// sgd_rule to each with this step's scalars (Step and sgd_rule: kernels/optim-step.ts,
// prepended). The same kernels read it as they read matmul-io.wgsl: a_at, b_at, out_rows.
// Shapes: x [K = batch, M], dz [K, N], weight [M, N], bias [N].

// Params p (binding 0): matmul-params.wgsl, prepended.
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> dz: array<f32>;
@group(0) @binding(3) var<storage, read_write> weight: array<f32>;
@group(0) @binding(4) var<storage, read_write> bias: array<f32>;
@group(0) @binding(5) var<storage, read> step_scalars: Step;

// M rows of weight gradients, then the row of bias gradients.
fn out_rows() -> u32 { return p.M + 1u; }

// Element (r, k) of xᵀ with its row of ones, and (k, c) of dz.
fn a_at(r: u32, k: u32) -> f32 { return select(x[k * p.M + min(r, p.M - 1u)], 1.0, r == p.M); }
fn b_at(k: u32, c: u32) -> f32 { return dz[k * p.N + c]; }

// g is the gradient of weight[r, c], or of bias[c] in row M: apply it.
fn store(r: u32, c: u32, g: f32) {
  let lr = step_scalars.lr;
  let wd_lr = step_scalars.wd_lr;
  if (r == p.M) {
    bias[c] = sgd_rule(bias[c], g, lr, wd_lr);
    return;
  }
  weight[r * p.N + c] = sgd_rule(weight[r * p.N + c], g, lr, wd_lr);
}
