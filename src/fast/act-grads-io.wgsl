// The fast layer's interface for a Dense layer's input gradient with the derivative of the
// activation before it folded in (src/fast/act-grads.ts plans it): dx = dz·wᵀ, and each
// element multiplied by op_grad(ACT, x, y) of the activation that made the layer's input —
// the same expression as unary-grad.wgsl's, so the result is that of matmul then
// unary-grad bit for bit. The matmul kernels read it as they read matmul-io.wgsl.
// Shapes: dz [M, K], w [N, K] (read transposed), dx, act_x and act_y [M, N].
override ACT: u32 = 0u;

// Params p (binding 0): matmul-params.wgsl, prepended.
@group(0) @binding(1) var<storage, read> dz: array<f32>;
@group(0) @binding(2) var<storage, read> w: array<f32>;
@group(0) @binding(3) var<storage, read_write> dx: array<f32>;
@group(0) @binding(4) var<storage, read> act_x: array<f32>;
@group(0) @binding(5) var<storage, read> act_y: array<f32>;

fn out_rows() -> u32 { return p.M; }

// Element (r, k) of dz and (k, c) of wᵀ.
fn a_at(r: u32, k: u32) -> f32 { return dz[min(r, p.M - 1u) * p.K + k]; }
fn b_at(k: u32, c: u32) -> f32 { return w[c * p.K + k]; }

fn store(r: u32, c: u32, x: f32) {
  let i = r * p.N + c;
  dx[i] = x * op_grad(ACT, act_x[i], act_y[i]);
}
