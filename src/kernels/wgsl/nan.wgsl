// is_nan(x): a helper prepended to the kernels that must propagate NaN (no entry point).
// NOTE: shader compilers may assume floats are never NaN and fold `x != x` to false
// (lavapipe does), so NaN is detected from the bits: exponent all ones, mantissa non-zero.
fn is_nan(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u; }
