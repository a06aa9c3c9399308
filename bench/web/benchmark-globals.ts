// benchmark.js (lib/matmul.ts) predates ES modules: in a page it looks for lodash as the
// global `_` when it loads, and compiles its timing loops in <script> tags that call the
// global `Benchmark`. main.ts imports this module before lib/matmul.ts, to provide both.
// @ts-expect-error lodash ships no types, and only benchmark.js uses it.
import lodash from 'lodash';

Object.assign(window, { _: lodash });
Object.assign(window, { Benchmark: (await import('benchmark')).default });
