// The shape of every matmul dispatch, prepended before its interface (matmul-io.wgsl or
// a fast-*-io.wgsl): the result is M x N, the inner dimension K.
struct Params { M: u32, N: u32, K: u32 }
@group(0) @binding(0) var<uniform> p: Params;
