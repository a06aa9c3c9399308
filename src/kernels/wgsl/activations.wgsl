// Shared by unary.wgsl, unary-grad.wgsl and matmul.wgsl (prepended as text): each
// elementwise function by id (see src/autograd/op-names.ts), and its derivative. No entry
// point: the functions run inside the invocation of the kernel they are prepended to.
// NOTE: NaN must propagate (IEEE), but drivers differ: SwiftShader's exp(NaN) is not NaN,
// and max(x, 0.0) may drop it. So apply_op returns a NaN input as it is, before any
// builtin sees it. nan.wgsl (is_nan) is prepended too.
// NOTE: exp overflows f32 past ~88.7; sigmoid and softplus are written in the stable forms.

const SELU_ALPHA: f32 = 1.6732632423543772848170429916717;
const SELU_SCALE: f32 = 1.0507009873554804934193349852946;

fn sigmoid_f(x: f32) -> f32 {
  let e = exp(-abs(x));
  return select(e / (1.0 + e), 1.0 / (1.0 + e), x >= 0.0);
}

fn apply_op(op: u32, x: f32) -> f32 {
  if (is_nan(x)) { return x; }
  switch op {
    case 0u: { return x; }                                              // linear
    case 1u: { return -x; }                                             // neg
    case 2u: { return abs(x); }                                         // abs
    case 3u: { return select(select(0.0, 1.0, x > 0.0), -1.0, x < 0.0); } // sign
    case 4u: { return exp(x); }
    case 5u: { return log(x); }
    case 6u: { return sqrt(x); }
    case 7u: { return x * x; }                                          // square
    case 8u: { return select(x, 0.0, x < 0.0); }                        // relu
    case 9u: { return select(exp(x) - 1.0, x, x > 0.0); }               // elu (alpha = 1)
    case 10u: { return SELU_SCALE * select(SELU_ALPHA * (exp(x) - 1.0), x, x > 0.0); } // selu
    case 11u: { return sigmoid_f(x); }
    case 12u: { return tanh(clamp(x, -15.0, 15.0)); }                   // NOTE: clamp avoids inf/inf in some tanh lowerings
    case 13u: { return select(x, 0.0, x < 0.0) + log(1.0 + exp(-abs(x))); } // softplus, stable
    default: { return x; }
  }
}

// d op(x) / dx, given the input x and the output y = op(x). Activations (ids 0, 8-13)
// use only y, so a fused Dense can run its backward from its output alone.
fn op_grad(op: u32, x: f32, y: f32) -> f32 {
  switch op {
    case 0u: { return 1.0; }
    case 1u: { return -1.0; }
    case 2u: { return select(select(0.0, 1.0, x > 0.0), -1.0, x < 0.0); }
    case 3u: { return 0.0; }
    case 4u: { return y; }
    case 5u: { return 1.0 / x; }
    case 6u: { return 0.5 / y; }
    case 7u: { return 2.0 * x; }
    case 8u: { return select(0.0, 1.0, y > 0.0); }                      // relu'(0) = 0, as TF
    case 9u: { return select(y + 1.0, 1.0, y > 0.0); }
    case 10u: { return select(y + SELU_SCALE * SELU_ALPHA, SELU_SCALE, y > 0.0); }
    case 11u: { return y * (1.0 - y); }
    case 12u: { return 1.0 - y * y; }
    case 13u: { return 1.0 - exp(-y); }                                 // sigmoid(x) = 1 - e^{-softplus(x)}
    default: { return 1.0; }
  }
}
