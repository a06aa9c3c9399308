// Plain SGD with decoupled weight decay (Keras's SGD without momentum): w − w·wd·lr − lr·g,
// with lr and wd·lr from the step's scalars (Step, laid out in kernels/optim-step.ts), for
// the dense-backward-with-SGD kernel (fused-sgd-io.wgsl). It is the arithmetic of the
// optimizer's own plain SGD (src/optim/sgd.wgsl, `descend`), operation for operation
// (tests/nn/fused-update.test.ts trains with each and compares).
// V is f32 or vec4f, aliased by the host before this.
fn sgd_rule(w: V, g: V, lr: f32, wd_lr: f32) -> V {
  return (w - w * wd_lr) - g * lr;
}
