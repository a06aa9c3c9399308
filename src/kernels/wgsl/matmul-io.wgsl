// The interface both matmul kernels share (prepended as text before matmul.wgsl or
// matmul-subgroups.wgsl): C[M,N] = op(A)·op(B) (+ bias) then activation ACT; TRANS_A means
// A is stored [K,M], TRANS_B that B is stored [N,K]. No entry point.
override TRANS_A: bool = false;
override TRANS_B: bool = false;
override HAS_BIAS: bool = false;
override ACT: u32 = 0u;

struct Params { M: u32, N: u32, K: u32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> A: array<f32>;
@group(0) @binding(2) var<storage, read> B: array<f32>;
@group(0) @binding(3) var<storage, read> bias: array<f32>;
@group(0) @binding(4) var<storage, read_write> C: array<f32>;
