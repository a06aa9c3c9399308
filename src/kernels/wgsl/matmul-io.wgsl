// The interface of a matrix product, which every matmul kernel (matmul-naive.wgsl, the
// spec; matmul.wgsl and matmul-subgroups.wgsl, its fast forms) reads through a_at, b_at,
// out_rows and store (prepended as text: kernels/matmul-kernels.ts). C[M,N] = op(A)·op(B)
// (+ bias) then activation ACT; TRANS_A means A is stored [K,M], TRANS_B that B is stored
// [N,K]. No entry point. (The fast layer's interfaces, src/fast/act-grads-io.wgsl and
// fused-sgd-io.wgsl, are the others the kernels can read.)
// COL_SUMS (backward of a Dense layer: dW = xᵀ·dz, db = column sums of dz) gives op(A) a
// row M of ones, and that extra row of the product — the column sums of op(B) — goes to
// `colsum`: the bias gradient comes out of the weight-gradient product, not a dispatch
// of its own. Without COL_SUMS `colsum` is bound to an unused buffer and never touched.
override TRANS_A: bool = false;
override TRANS_B: bool = false;
override HAS_BIAS: bool = false;
override ACT: u32 = 0u;
override COL_SUMS: bool = false;

// Params p (binding 0): matmul-params.wgsl, prepended.
@group(0) @binding(1) var<storage, read> A: array<f32>;
@group(0) @binding(2) var<storage, read> B: array<f32>;
@group(0) @binding(3) var<storage, read> bias: array<f32>;
@group(0) @binding(4) var<storage, read_write> C: array<f32>;
@group(0) @binding(5) var<storage, read_write> colsum: array<f32>;

// Rows of the result: op(A)'s M, plus the row of ones with COL_SUMS.
fn out_rows() -> u32 { return p.M + u32(COL_SUMS); }

// Element (r, k) of op(A) — 1 in the row of ones — and (k, c) of op(B); r < out_rows().
// The overrides fold the selects.
fn a_at(r: u32, k: u32) -> f32 {
  let m = min(r, p.M - 1u);
  return select(select(A[m * p.K + k], A[k * p.M + m], TRANS_A), 1.0, COL_SUMS && r == p.M);
}
fn b_at(k: u32, c: u32) -> f32 { return select(B[k * p.N + c], B[c * p.K + k], TRANS_B); }

// Writes element (r, c) of the result: C with the bias and activation, or a column sum.
fn store(r: u32, c: u32, x: f32) {
  if (COL_SUMS && r == p.M) {
    colsum[c] = x;
    return;
  }
  var v = x;
  if (HAS_BIAS) { v += bias[c]; }
  C[r * p.N + c] = apply_op(ACT, v);
}
