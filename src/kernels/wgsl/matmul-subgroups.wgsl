// The subgroup kernel (same C = op(A)·op(B) (+ bias) then activation as matmul.wgsl, same
// override constants and bindings), used where the device has the 'subgroups' feature with
// subgroups of exactly 8 (lavapipe). matmul-kernels.ts puts `enable subgroups;` first, then
// the interface (matmul-io.wgsl ...), then this file, then main(), which it generates (subgroupMain()):
// subgroupBroadcast takes only a constant lane, so the 32 broadcasts are written out.
//
// Why: on lavapipe a workgroup of 8 runs as one SIMD batch and each lane loads a per-lane
// value by itself (~15 instructions against ~3 for an FMA), so loads per FMA decide. Here:
// - a workgroup is LANES = 8 invocations = one subgroup, computing a 32 x 32 tile of C;
//   invocation `lane` owns the 32 rows and the columns c0 + lane + 8j (j < 4, one vec4f
//   accumulator per row), so the lanes read neighbouring floats of B;
// - per step of K, lane l loads 4 values of A, rows r0 + 8q + l (q < 4), and 4 of B; then
//   subgroupBroadcast(a_q, i) hands row 8q + i to every lane: 8 loads per 128 FMAs,
//   against 24 when every lane loads the rows it needs itself (measured ~2x the
//   throughput of that tiling on lavapipe at 1024^2).
// Rows and columns past the edge are clamped on load and never written, so any shape works.
// Overrides, Params and bindings: matmul-io.wgsl or the fast layer's fast-*-io.wgsl (prepended).
const LANES: u32 = 8u;

// Writes row r of the lane's accumulators (columns c0 + 8j) with the bias and activation.
fn store_row(r: u32, c0: u32, v: vec4f) {
  if (r >= out_rows()) { return; }
  for (var j = 0u; j < 4u; j++) {
    let c = c0 + j * LANES;
    if (c >= p.N) { return; }
    store(r, c, v[j]);
  }
}
