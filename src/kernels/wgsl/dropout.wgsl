// Dropout with the random mask made in the shader: element i is kept when
// u(seed, i) >= rate, where u is a counter-based hash (PCG) of (seed, i) mapped to [0,1).
// The same (seed, i) always gives the same u, so the backward pass recomputes the mask
// instead of storing it. One invocation per element.
//   standard: y = kept ? x / (1 - rate) : 0
//   alpha (for SELU nets, Keras AlphaDropout): y = a * (kept ? x : alpha_p) + b
// `backward` 0 is the forward (x in, y out); 1 the backward (dy in, dx out: kept ? dy*k : 0).
// Dispatched by autograd/dropout.ts; reference: tests/util/reference.ts dropoutKept.
override ALPHA: bool = false;
struct Params { n: u32, seed: u32, backward: u32, rate: f32, a: f32, b: f32, alpha_p: f32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;

fn pcg(v: u32) -> u32 {
  let state = v * 747796405u + 2891336453u;
  let word = ((state >> ((state >> 28u) + 4u)) ^ state) * 277803737u;
  return (word >> 22u) ^ word;
}

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = flat_index(gid, nwg, 256u);
  if (i >= p.n) { return; }
  let u = f32(pcg(p.seed ^ pcg(i)) >> 8u) * (1.0 / 16777216.0);
  let kept = u >= p.rate;
  let v = x[i];
  if (ALPHA) {
    y[i] = select(p.a * select(p.alpha_p, v, kept) + p.b, select(0.0, p.a * v, kept), p.backward == 1u);
  } else {
    y[i] = select(0.0, v / (1.0 - p.rate), kept);
  }
}
