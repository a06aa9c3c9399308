// is_nan(x) and beats(...): helpers for the kernels that must propagate NaN (no entry point),
// prepended to every kernel by kernels/kernel-code.ts (and to the matmul kernels).
// NOTE: shader compilers may assume floats are never NaN and fold `x != x` to false
// (lavapipe does), so NaN is detected from the bits: exponent all ones, mantissa non-zero.
fn is_nan(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u; }

// Whether (b, ib) replaces (a, ia) in an argmax (largest) or argmin walk: NaN wins, then the
// extreme value, then the first index (as NumPy). reduce.wgsl and losses.wgsl's accuracy use it.
fn beats(a: f32, ia: u32, b: f32, ib: u32, largest: bool) -> bool {
  if (is_nan(a) || is_nan(b)) { return is_nan(b) && (!is_nan(a) || ib < ia); }
  return select(a > b, b > a, largest) || (b == a && ib < ia);
}
