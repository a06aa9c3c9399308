// Shared by unary.wgsl, unary-grad.wgsl and the matmul kernels (prepended as text): each
// elementwise function by id, and its derivative. The UNARY_* ids are constants made from
// kernels/op-names.ts's list (ACTIVATIONS_WGSL prepends them). No entry point: the functions
// run inside the invocation of the kernel they are prepended to. Dispatched by
// autograd/elementwise.ts (unary, unaryGrad) and autograd/matmul.ts (ACT); float64
// reference: tests/util/reference.ts unaryRef (derivatives: finite differences).
// NOTE: NaN must propagate (IEEE), but drivers differ: SwiftShader's exp(NaN) is not NaN,
// and max(x, 0.0) may drop it. So apply_op returns a NaN input as it is, before any
// builtin sees it. nan.wgsl (is_nan) is prepended too.
// NOTE: exp overflows f32 past ~88.7; sigmoid and softplus are written in the stable forms.
// Keras's formulas: leaky_relu max(x, 0.2x) (keras.activations' default slope), gelu with
// approximate=False (x Phi(x), the erf form), silu/swish x sigmoid(x), hard_sigmoid Keras 3's
// relu6(x + 3) / 6, hard_sigmoid_keras2 tf.keras 2's clip(0.2x + 0.5, 0, 1).

const SELU_ALPHA: f32 = 1.6732632423543772848170429916717;
const SELU_SCALE: f32 = 1.0507009873554804934193349852946;

fn sigmoid_f(x: f32) -> f32 {
  let e = exp(-abs(x));
  return select(e / (1.0 + e), 1.0 / (1.0 + e), x >= 0.0);
}

// erfc(z), from Numerical Recipes' erfcc (Press et al., 2nd ed., 6.2): a Chebyshev fit with a
// fractional error below 1.2e-7 everywhere, so gelu's tail x Phi(x) keeps full f32 precision
// where 1 + erf(x) would cancel. WGSL has no erf builtin.
fn erfc_f(z: f32) -> f32 {
  let t = 1.0 / (1.0 + 0.5 * abs(z));
  let poly = -1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 +
    t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  let r = t * exp(-z * z + poly);
  return select(2.0 - r, r, z >= 0.0);
}
// Phi(x), the standard normal CDF, and phi(x), its density.
fn norm_cdf(x: f32) -> f32 { return 0.5 * erfc_f(-x * 0.70710678118654752); }
fn norm_pdf(x: f32) -> f32 { return 0.39894228040143268 * exp(-0.5 * x * x); }

fn apply_op(op: u32, x: f32) -> f32 {
  if (is_nan(x)) { return x; }
  switch op {
    case UNARY_LINEAR: { return x; }
    case UNARY_NEG: { return -x; }
    case UNARY_ABS: { return abs(x); }
    case UNARY_SIGN: { return select(select(0.0, 1.0, x > 0.0), -1.0, x < 0.0); }
    case UNARY_EXP: { return exp(x); }
    case UNARY_LOG: { return log(x); }
    case UNARY_SQRT: { return sqrt(x); }
    case UNARY_SQUARE: { return x * x; }
    case UNARY_RELU: { return select(x, 0.0, x < 0.0); }
    case UNARY_ELU: { return select(exp(x) - 1.0, x, x > 0.0); } // alpha = 1
    case UNARY_SELU: { return SELU_SCALE * select(SELU_ALPHA * (exp(x) - 1.0), x, x > 0.0); }
    case UNARY_SIGMOID: { return sigmoid_f(x); }
    case UNARY_TANH: { return tanh(clamp(x, -15.0, 15.0)); } // NOTE: clamp avoids inf/inf in some tanh lowerings
    case UNARY_SOFTPLUS: { return select(x, 0.0, x < 0.0) + log(1.0 + exp(-abs(x))); } // the stable form
    case UNARY_LEAKY_RELU: { return select(0.2 * x, x, x > 0.0); }
    case UNARY_GELU: { return x * norm_cdf(x); }
    case UNARY_SILU: { return x * sigmoid_f(x); }
    case UNARY_HARD_SIGMOID: { return clamp(x / 6.0 + 0.5, 0.0, 1.0); }
    case UNARY_HARD_SIGMOID_KERAS2: { return clamp(0.2 * x + 0.5, 0.0, 1.0); }
    default: { return x; }
  }
}

// d op(x) / dx, given the input x and the output y = op(x). The activations a Dense fuses
// (op-names.ts ACTIVATIONS) use only y, so a fused Dense can run its backward from its
// output alone; gelu and silu need x.
fn op_grad(op: u32, x: f32, y: f32) -> f32 {
  switch op {
    case UNARY_LINEAR: { return 1.0; }
    case UNARY_NEG: { return -1.0; }
    case UNARY_ABS: { return select(select(0.0, 1.0, x > 0.0), -1.0, x < 0.0); }
    case UNARY_SIGN: { return 0.0; }
    case UNARY_EXP: { return y; }
    case UNARY_LOG: { return 1.0 / x; }
    case UNARY_SQRT: { return 0.5 / y; }
    case UNARY_SQUARE: { return 2.0 * x; }
    case UNARY_RELU: { return select(0.0, 1.0, y > 0.0); } // relu'(0) = 0, as TF
    case UNARY_ELU: { return select(y + 1.0, 1.0, y > 0.0); }
    case UNARY_SELU: { return select(y + SELU_SCALE * SELU_ALPHA, SELU_SCALE, y > 0.0); }
    case UNARY_SIGMOID: { return y * (1.0 - y); }
    case UNARY_TANH: { return 1.0 - y * y; }
    case UNARY_SOFTPLUS: { return 1.0 - exp(-y); } // sigmoid(x) = 1 - e^{-softplus(x)}
    case UNARY_LEAKY_RELU: { return select(0.2, 1.0, y > 0.0); }
    case UNARY_GELU: { return norm_cdf(x) + x * norm_pdf(x); }
    case UNARY_SILU: { let s = sigmoid_f(x); return s * (1.0 + x * (1.0 - s)); }
    case UNARY_HARD_SIGMOID: { return select(0.0, 1.0 / 6.0, y > 0.0 && y < 1.0); }
    case UNARY_HARD_SIGMOID_KERAS2: { return select(0.0, 0.2, y > 0.0 && y < 1.0); }
    default: { return 1.0; }
  }
}
