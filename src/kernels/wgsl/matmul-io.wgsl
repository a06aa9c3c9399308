// The interface both matmul kernels share (prepended as text before matmul.wgsl or
// matmul-subgroups.wgsl): C[M,N] = op(A)·op(B) (+ bias) then activation ACT; TRANS_A means
// A is stored [K,M], TRANS_B that B is stored [N,K]. No entry point.
// COL_SUMS (backward of a Dense layer: dW = xᵀ·dz, db = column sums of dz) gives op(A) a
// row M of ones, and that extra row of the product — the column sums of op(B) — goes to
// `colsum`: the bias gradient comes out of the weight-gradient product, not a dispatch
// of its own. Without COL_SUMS `colsum` is bound to an unused buffer and never touched.
// UPDATE (with COL_SUMS, fit's fused plain SGD: autograd/fused-update.ts) does not write the
// gradients: C is the weight and `colsum` the bias, and each element g of the product
// becomes w = (w − w·wd·lr) − g·lr, optim-update.wgsl's `sgd` rule, with lr and wd·lr
// from `optim_step` (the optimizer's per-step scalars). That saves a dispatch per weight and
// writing then reading back the gradient.
override TRANS_A: bool = false;
override TRANS_B: bool = false;
override HAS_BIAS: bool = false;
override ACT: u32 = 0u;
override COL_SUMS: bool = false;
override UPDATE: bool = false;

struct Params { M: u32, N: u32, K: u32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> A: array<f32>;
@group(0) @binding(2) var<storage, read> B: array<f32>;
@group(0) @binding(3) var<storage, read> bias: array<f32>;
@group(0) @binding(4) var<storage, read_write> C: array<f32>;
@group(0) @binding(5) var<storage, read_write> colsum: array<f32>;
// The optimizer's step scalars (optim/kernels.ts, uploadStep): [lr, wd·lr, ...].
@group(0) @binding(6) var<storage, read> optim_step: array<f32>;

// Rows of the result: op(A)'s M, plus the row of ones with COL_SUMS.
fn out_rows() -> u32 { return p.M + u32(COL_SUMS); }

// Element (r, k) of op(A) — 1 in the row of ones — and (k, c) of op(B); r < out_rows().
// The overrides fold the selects.
fn a_at(r: u32, k: u32) -> f32 {
  let m = min(r, p.M - 1u);
  return select(select(A[m * p.K + k], A[k * p.M + m], TRANS_A), 1.0, COL_SUMS && r == p.M);
}
fn b_at(k: u32, c: u32) -> f32 { return select(B[k * p.N + c], B[c * p.K + k], TRANS_B); }

// Plain SGD on a weight w with gradient g, as optim-update.wgsl's `sgd`.
fn sgd(w: f32, g: f32) -> f32 {
  return (w - w * optim_step[1]) - g * optim_step[0];
}

// Writes element (r, c) of the result: C with the bias and activation, or a column sum;
// with UPDATE, the SGD step each of them is the gradient of.
fn store(r: u32, c: u32, x: f32) {
  if (COL_SUMS && r == p.M) {
    colsum[c] = select(x, sgd(colsum[c], x), UPDATE);
    return;
  }
  if (UPDATE) {
    C[r * p.N + c] = sgd(C[r * p.N + c], x);
    return;
  }
  var v = x;
  if (HAS_BIAS) { v += bias[c]; }
  C[r * p.N + c] = apply_op(ACT, v);
}
