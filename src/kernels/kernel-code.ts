// A kernel's WGSL text: the snippets every kernel shares, then its own parts. The shared
// ones are wgsl/index.wgsl (the invocation's flat index, a row's start along an axis) and
// wgsl/nan.wgsl (is_nan, beats); WGSL has no imports, so they are prepended as text.
// Read next: wgsl/index.wgsl, then any autograd/<family>.ts (who builds its code here).

import indexWgsl from './wgsl/index.wgsl?raw';
import nanWgsl from './wgsl/nan.wgsl?raw';

/**
 * The shared snippets followed by `parts`. Call it once per kernel, at module load: the
 * runtime finds a pipeline by its code string, and hashing a freshly made string costs
 * ~8 µs per dispatch (measured).
 */
export const kernelCode = (...parts: string[]): string => indexWgsl + nanWgsl + parts.join('');
