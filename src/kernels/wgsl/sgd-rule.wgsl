// Plain SGD with decoupled weight decay (Keras's SGD without momentum): w − w·wd·lr − lr·g,
// with lr and wd·lr from the step's scalars (Step, laid out in kernels/optim-step.ts).
// Written once: optim-update.wgsl's `sgd` entry and the dense-backward-with-SGD kernel
// (fast-dense-sgd-io.wgsl) both call it. V is f32 or vec4f, aliased by the host before this.
fn sgd_rule(w: V, g: V, lr: f32, wd_lr: f32) -> V {
  return (w - w * wd_lr) - g * lr;
}
