// C[M,N] = op(A) · op(B) (+ bias[N]) then an activation, where op() optionally transposes
// (TRANS_A: A is stored [K,M]; TRANS_B: B is stored [N,K]), so backward passes need no
// transpose copies. activations.wgsl is prepended for the fused epilogue.
//
// Tiling, chosen for CPU adapters (lavapipe, SwiftShader), where a workgroup runs as SIMD
// lanes (8 on AVX2) and every load of a value that differs per lane costs a scalar load,
// a bounds check and a branch per lane (about 15 instructions; an FMA costs 3):
// - a workgroup is LANES = 8 invocations: one SIMD batch computing a TM x (LANES*TN) =
//   16 x 64 tile of C. Invocation `lane` owns the 16 rows of the tile and the columns
//   c0 + lane + 8j (j < TN), so the 8 lanes read 8 neighbouring floats of B together;
// - per step of K it loads TM = 16 values of A and TN = 8 of B for 128 FMAs: loads per
//   FMA, what these drivers pay for, are (16 + 8) / 128 = 0.19, against (4 + 4) / 16 = 0.5
//   for a 4x4 block (measured on lavapipe at 1024^2: ~3x the throughput of 4x4 blocks);
// - no workgroup memory: staging tiles there costs barriers and a per-lane load from the
//   tile anyway (a 64x64 shared-memory tiling measured no faster, and slower for M = 32);
// - accumulators are 32 vec4s; the driver unrolls the constant loops, so they stay SSA.
// The 8 lanes still load the same 16 values of A each: matmul-subgroups.wgsl shares them
// with subgroupBroadcast (about 2x on lavapipe) where the device has the 'subgroups'
// feature with 8-lane subgroups; matmul.ts picks it there, and this kernel everywhere else
// (SwiftShader reports subgroups of 4).
// Rows and columns past the edge are clamped on load (read, never written), so any shape
// works; K needs no padding.
//
//   B (K x N):     columns c0 + lane + 8j of the tile   ->  C tile: rows r0 .. r0+15,
//   A (M x K):     rows r0 .. r0+15 (all lanes)              64 columns from c0
// Overrides, Params and bindings: matmul-io.wgsl (prepended).
const LANES: u32 = 8u;
const TM: u32 = 16u;
const TN: u32 = 8u;

@compute @workgroup_size(LANES)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let r0 = wid.y * TM;
  let c0 = wid.x * LANES * TN + lid.x;
  // Where each row of op(A) and each column of op(B) starts, and the stride along K.
  var ao: array<u32, TM>;
  var ones: array<bool, TM>; // the row of ones (COL_SUMS, matmul-io.wgsl)
  var bo: array<u32, TN>;
  for (var i = 0u; i < TM; i++) {
    let r = min(r0 + i, p.M - 1u);
    ao[i] = select(r * p.K, r, TRANS_A);
    ones[i] = COL_SUMS && r0 + i == p.M;
  }
  for (var j = 0u; j < TN; j++) {
    let c = min(c0 + j * LANES, p.N - 1u);
    bo[j] = select(c, c * p.K, TRANS_B);
  }
  let astep = select(1u, p.M, TRANS_A);
  let bstep = select(p.N, 1u, TRANS_B);
  var acc: array<vec4f, TM * TN / 4u>;
  for (var k = 0u; k < p.K; k++) {
    let ka = k * astep;
    let kb = k * bstep;
    var b: array<vec4f, TN / 4u>;
    for (var q = 0u; q < TN / 4u; q++) {
      b[q] = vec4f(B[bo[4u * q] + kb], B[bo[4u * q + 1u] + kb], B[bo[4u * q + 2u] + kb], B[bo[4u * q + 3u] + kb]);
    }
    for (var i = 0u; i < TM; i++) {
      let a = vec4f(select(A[ao[i] + ka], 1.0, ones[i]));
      for (var q = 0u; q < TN / 4u; q++) { acc[i * (TN / 4u) + q] = fma(a, b[q], acc[i * (TN / 4u) + q]); }
    }
  }
  for (var i = 0u; i < TM; i++) {
    let r = r0 + i;
    if (r >= out_rows()) { break; }
    for (var j = 0u; j < TN; j++) {
      let c = c0 + j * LANES;
      if (c >= p.N) { break; }
      store(r, c, acc[i * (TN / 4u) + j / 4u][j % 4u]);
    }
  }
}
