// C[M,N] = op(A) · op(B) (+ bias[N]) then an activation, where op() optionally transposes
// (TRANS_A: A is stored [K,M]; TRANS_B: B is stored [N,K]), so backward passes need no
// transpose copies. activations.wgsl is prepended for the fused epilogue.
//
// Tiling: a workgroup of WG x WG invocations computes a (WG*TM) x (WG*TN) tile of C; each
// invocation keeps a TM x TN block of accumulators in registers (register blocking) and
// walks K once, loading TM values of A and TN of B per step for TM*TN multiply-adds.
// Rows/columns of an invocation are interleaved (row = tile_row + ly + i*WG) so that
// neighbouring invocations read neighbouring addresses: CPU drivers (lavapipe) run
// invocations as SIMD lanes, and this keeps their loads contiguous. No workgroup memory:
// on CPU adapters it costs more than it saves (see ../../../README.md#performance).
//
//      B (K x N)                 invocation (lx, ly) owns C[r0+ly+i*WG, c0+lx+j*WG]
//   A (M x K)  ->  C tile  = WG*TM rows x WG*TN cols
override TRANS_A: bool = false;
override TRANS_B: bool = false;
override HAS_BIAS: bool = false;
override ACT: u32 = 0u;
const WG: u32 = 8u;
const TM: u32 = 4u;
const TN: u32 = 4u;

struct Params { M: u32, N: u32, K: u32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> A: array<f32>;
@group(0) @binding(2) var<storage, read> B: array<f32>;
@group(0) @binding(3) var<storage, read> bias: array<f32>;
@group(0) @binding(4) var<storage, read_write> C: array<f32>;

fn a_at(r: u32, k: u32) -> f32 {
  if (r >= p.M) { return 0.0; }
  return select(A[r * p.K + k], A[k * p.M + r], TRANS_A);
}
fn b_at(k: u32, c: u32) -> f32 {
  if (c >= p.N) { return 0.0; }
  return select(B[k * p.N + c], B[c * p.K + k], TRANS_B);
}

@compute @workgroup_size(8, 8)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let r0 = wid.y * WG * TM + lid.y;
  let c0 = wid.x * WG * TN + lid.x;
  var acc: array<f32, 16>;
  for (var k = 0u; k < p.K; k++) {
    var av: array<f32, 4>;
    var bv: array<f32, 4>;
    for (var i = 0u; i < TM; i++) { av[i] = a_at(r0 + i * WG, k); }
    for (var j = 0u; j < TN; j++) { bv[j] = b_at(k, c0 + j * WG); }
    for (var i = 0u; i < TM; i++) {
      for (var j = 0u; j < TN; j++) { acc[i * TN + j] = fma(av[i], bv[j], acc[i * TN + j]); }
    }
  }
  for (var i = 0u; i < TM; i++) {
    let r = r0 + i * WG;
    if (r >= p.M) { continue; }
    for (var j = 0u; j < TN; j++) {
      let c = c0 + j * WG;
      if (c >= p.N) { continue; }
      var v = acc[i * TN + j];
      if (HAS_BIAS) { v += bias[c]; }
      C[r * p.N + c] = apply_op(ACT, v);
    }
  }
}
