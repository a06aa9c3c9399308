// Adagrad's rule (keras/src/optimizers/adagrad.py), after update.wgsl has clipped g and
// decayed w into x. Slot 0 is the accumulator:  acc += g²;  w = x − lr·g / sqrt(acc + ε).
// Read next: adagrad.ts (its host side), rmsprop.wgsl.

struct Hyper { epsilon: f32 }

fn update(i: u32, g: V, x: V) -> V {
  let acc = s[i] + g * g;
  s[i] = acc;
  return x - (st.step.lr * g) / sqrt(acc + st.hyper.epsilon);
}
