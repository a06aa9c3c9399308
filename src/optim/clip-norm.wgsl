// Gradient norms for Keras's clipnorm / global_clipnorm (base_optimizer.py), computed on the
// GPU so nothing is read back. One dispatch per gradient tensor, ONE workgroup of 256
// invocations: each sums the squares of a strided slice, then a tree reduction in
// workgroup memory. Invocation 0 writes out[index]:
//   mode 0 (clipnorm): the tensor's factor  c / max(‖g‖, c);
//   mode 1 (global):   the tensor's Σg²; the last tensor's dispatch (finalize = 1) also sums
//                      out[0..count) and writes the shared factor c·min(1/‖G‖, 1/c) to out[count].
// Dispatches run in order, so the last one sees every earlier tensor's Σg².
struct Params { n: u32, index: u32, mode: u32, finalize: u32, count: u32, clipnorm: f32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> g: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;

var<workgroup> partial: array<f32, 256>;

// NOTE: written as a comparison rather than Keras's min(1/norm, 1/c): WGSL does not
// promise IEEE infinities, and a zero gradient would divide by zero.
fn factor(norm: f32) -> f32 {
  return select(1.0, p.clipnorm / norm, norm > p.clipnorm);
}

@compute @workgroup_size(256)
fn main(@builtin(local_invocation_index) t: u32) {
  var acc = 0.0;
  for (var i = t; i < p.n; i += 256u) {
    let x = g[i];
    acc += x * x;
  }
  partial[t] = acc;
  workgroupBarrier();
  for (var stride = 128u; stride > 0u; stride = stride / 2u) {
    if (t < stride) { partial[t] += partial[t + stride]; }
    workgroupBarrier();
  }
  if (t != 0u) { return; }
  let sumsq = partial[0];
  if (p.mode == 0u) {
    out[p.index] = factor(sqrt(sumsq));
    return;
  }
  out[p.index] = sumsq;
  if (p.finalize == 1u) {
    var total = 0.0;
    for (var k = 0u; k < p.count; k++) { total += out[k]; }
    out[p.count] = factor(sqrt(total));
  }
}
