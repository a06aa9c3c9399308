// Binary elementwise ops with NumPy broadcasting (strided.wgsl and nan.wgsl are prepended): one
// invocation per output element; each input is read through its broadcast strides.
// The op id is an override constant (one pipeline per op); the BINARY_* ids are constants
// made from kernels/op-names.ts's list. Dispatched by autograd/elementwise.ts (binary);
// float64 reference: tests/util/reference.ts zip.
override OP: u32;
@group(0) @binding(0) var<uniform> p: Strided;
@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read> b: array<f32>;
@group(0) @binding(3) var<storage, read_write> out: array<f32>;

fn f(x: f32, y: f32) -> f32 {
  switch OP {
    case BINARY_ADD: { return x + y; }
    case BINARY_SUB: { return x - y; }
    case BINARY_MUL: { return x * y; }
    case BINARY_DIV: { return x / y; }
    case BINARY_POW: { return pow_f(x, y); }
    // NOTE: NaN in either input gives NaN (WGSL's max/min need not propagate it).
    case BINARY_MAXIMUM: { return select(select(y, x, x >= y), x + y, is_nan(x) || is_nan(y)); }
    case BINARY_MINIMUM: { return select(select(y, x, x <= y), x + y, is_nan(x) || is_nan(y)); }
    case BINARY_EQUAL: { return select(0.0, 1.0, x == y); }
    case BINARY_NOT_EQUAL: { return select(0.0, 1.0, x != y || is_nan(x) || is_nan(y)); }
    case BINARY_LESS: { return select(0.0, 1.0, x < y); }
    case BINARY_LESS_EQUAL: { return select(0.0, 1.0, x <= y); }
    case BINARY_GREATER: { return select(0.0, 1.0, x > y); }
    case BINARY_GREATER_EQUAL: { return select(0.0, 1.0, x >= y); }
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
  let i = flat_index(gid, nwg, 256u);
  if (i >= p.n) { return; }
  let o = offsets(p, i);
  out[i] = f(a[o.x], b[o.y]);
}
