// C[M,N] = op(A) · op(B) (+ bias[N]) then an activation, where op() optionally transposes
// (TRANS_A: A is stored [K,M]; TRANS_B: B is stored [N,K]), so backward passes need no
// transpose copies. activations.wgsl is prepended for the fused epilogue.
//
// 'blocked' and 'blocked-8x8', the same products as matmul-naive.wgsl (the spec), one block
// per invocation. 'blocked' is the kernel for real GPUs (and any adapter not named below),
// 'blocked-8x8' SwiftShader's (Chromium's CPU adapter, subgroups of 4); lavapipe gets
// matmul-subgroups.wgsl. Register blocking, no workgroup memory:
// - 'blocked': a workgroup is WG x WG = 64 invocations computing a (WG·TR) x (WG·TV·4) =
//   32 x 64 tile ('blocked-8x8': WG = 4, TR = 8, TV = 2, a 32 x 32 tile of 16 invocations
//   with 64 accumulators each: 1.3-1.4x model A's step in Chromium, see matmul-kernels.ts);
// - invocation (x, y) owns TR rows, r0 + i, and TV groups of 4 adjacent columns,
//   c0 + 4·WG·j + e, so its accumulators are TR·TV vec4s and neighbouring invocations read
//   neighbouring columns of B;
// - per step of K it loads TR values of A and 4·TV of B for 4·TR·TV multiply-adds.
// On SwiftShader this ran 4-7x faster than the 8-lane, 16 x 64 tiling that suits lavapipe
// without subgroups (0.2-0.3 GFLOP/s there); staging tiles in workgroup memory costs
// barriers, which CPU adapters pay dearly for.
// Rows and columns past the edge are clamped on load (read, never written), so any shape
// works; K needs no padding.
// Overrides, Params and bindings: matmul-io.wgsl or the fast layer's fast-*-io.wgsl (prepended).
// main() is written out by kernels/matmul-kernels.ts (blockedMain()): SwiftShader keeps
// per-invocation arrays in memory, so the same kernel with accumulator arrays and loops ran
// no faster than the old tiling; straight-line code with named accumulators stays in registers.
// It also declares WG.

// Writes row r, columns c .. c+3 of the result (those inside it).
fn store4(r: u32, c: u32, v: vec4f) {
  if (r >= out_rows()) { return; }
  for (var e = 0u; e < 4u; e++) {
    if (c + e < p.N) { store(r, c + e, v[e]); }
  }
}
