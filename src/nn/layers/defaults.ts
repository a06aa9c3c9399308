// The seed's `functools.partial` idiom: give many layers the same settings.
//   RegularizedDense = partial(keras.layers.Dense, activation="elu",
//                              kernel_initializer="he_normal", kernel_regularizer=l2(0.01))
// becomes
//   const RegularizedDense = withDefaults(Dense, { activation: 'elu', kernelInitializer: 'he_normal', kernelRegularizer: l2(0.01) });
//   new RegularizedDense(300)   // or RegularizedDense(300) — both work, see below
// Each call may still override any default: new RegularizedDense(10, { activation: 'softmax' }).

type LayerClass<A extends unknown[], O, L> = new (...args: [...A, O?]) => L;

/**
 * A subclass of `cls` whose options default to `defaults`. Callable with or without `new`.
 */
export function withDefaults<A extends unknown[], O extends object, L>(
  cls: LayerClass<A, O, L>,
  defaults: Partial<O>,
): { new (...args: [...A, O?]): L; (...args: [...A, O?]): L } {
  // NOTE: Function.length counts the parameters before the first default: the positional
  // ones, since every layer declares its options as `args = {}`.
  const arity = cls.length;
  function make(...args: unknown[]): L {
    const positional = args.slice(0, arity) as A;
    const options = { ...defaults, ...((args[arity] as O | undefined) ?? {}) } as O;
    return new cls(...positional, options);
  }
  return make as unknown as { new (...args: [...A, O?]): L; (...args: [...A, O?]): L };
}
