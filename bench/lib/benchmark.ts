// benchmark.js with lodash handed to it. It predates ES modules: loaded on its own it looks
// for lodash through require() or a global `_`, neither of which a bundled page has when
// the bundler evaluates it, so lib/matmul.ts takes it from here. In a page its timing loops
// run as <script> tags that call the global `Benchmark`, which is set here too.

import Loaded from 'benchmark';
// @ts-expect-error lodash ships no types, and only benchmark.js uses it.
import lodash from 'lodash';

const Benchmark = Loaded.runInContext({ _: lodash }) as typeof Loaded;
if (typeof window !== 'undefined') Object.assign(window, { Benchmark });

export default Benchmark;
