// Strided indexing shared by binary.wgsl, where.wgsl and copy.wgsl (prepended as text):
// output element i is unravelled over the output shape (up to 8 dims, packed in vec4s
// because uniform arrays have a 16-byte stride) and re-ravelled with an input's strides,
// which are 0 along broadcast dimensions. This one function is NumPy broadcasting,
// transposition and plain copies. No entry point: it runs in the invocation of its caller.
// Fast paths skip the unravelling (a loop of divisions) for the common layouts: each
// input's 2-bit mode in `modes` says 1 = laid out like the output (index i), 2 = repeats
// every `tail[k]` elements (a scalar, or a row vector broadcast down the rows: i % tail),
// 0 = general strides. Packed by autograd/strided-params.ts; float64 reference: the
// broadcasting in tests/util/reference.ts (zip, zip3, transpose).
struct Strided {
  n: u32,
  rank: u32,
  modes: u32,
  tail: vec4u, // at byte 16: a vec4u is 16-byte aligned
  shape: array<vec4u, 2>,
  s0: array<vec4u, 2>,
  s1: array<vec4u, 2>,
  s2: array<vec4u, 2>,
}

fn dim(v: array<vec4u, 2>, d: u32) -> u32 { return v[d / 4u][d % 4u]; }

// Offsets of output element i in up to three inputs.
fn offsets(p: Strided, i: u32) -> vec3u {
  var o = vec3u(0u);
  if ((p.modes & 0x3u) == 0u || ((p.modes >> 2u) & 0x3u) == 0u || ((p.modes >> 4u) & 0x3u) == 0u) {
    var rem = i;
    for (var d = i32(p.rank) - 1; d >= 0; d--) {
      let size = dim(p.shape, u32(d));
      let c = rem % size;
      rem = rem / size;
      o += c * vec3u(dim(p.s0, u32(d)), dim(p.s1, u32(d)), dim(p.s2, u32(d)));
    }
  }
  for (var k = 0u; k < 3u; k++) {
    let m = (p.modes >> (2u * k)) & 0x3u;
    if (m == 1u) { o[k] = i; } else if (m == 2u) { o[k] = i % p.tail[k]; }
  }
  return o;
}
