// Binary elementwise ops with NumPy broadcasting (strided.wgsl and nan.wgsl are prepended): one
// invocation per output element; each input is read through its broadcast strides.
// The op id (src/autograd/op-names.ts) is an override constant: one pipeline per op.
override OP: u32;
@group(0) @binding(0) var<uniform> p: Strided;
@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read> b: array<f32>;
@group(0) @binding(3) var<storage, read_write> out: array<f32>;

fn f(x: f32, y: f32) -> f32 {
  switch OP {
    case 0u: { return x + y; }
    case 1u: { return x - y; }
    case 2u: { return x * y; }
    case 3u: { return x / y; }
    case 4u: { return pow_f(x, y); }
    // NOTE: NaN in either input gives NaN (WGSL's max/min need not propagate it).
    case 5u: { return select(select(y, x, x >= y), x + y, is_nan(x) || is_nan(y)); }
    case 6u: { return select(select(y, x, x <= y), x + y, is_nan(x) || is_nan(y)); }
    case 7u: { return select(0.0, 1.0, x == y); }
    case 8u: { return select(0.0, 1.0, x != y || is_nan(x) || is_nan(y)); }
    case 9u: { return select(0.0, 1.0, x < y); }
    case 10u: { return select(0.0, 1.0, x <= y); }
    case 11u: { return select(0.0, 1.0, x > y); }
    case 12u: { return select(0.0, 1.0, x >= y); }
    default: { return x; }
  }
}

// WGSL's pow is undefined for x < 0; NumPy gives real results for integer exponents.
fn pow_f(x: f32, y: f32) -> f32 {
  if (x >= 0.0 || y != round(y)) { return pow(x, y); }
  let r = pow(-x, y);
  return select(r, -r, (i32(y) & 1) == 1);
}

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = gid.y * nwg.x * 256u + gid.x;
  if (i >= p.n) { return; }
  let o = offsets(p, i);
  out[i] = f(a[o.x], b[o.y]);
}
