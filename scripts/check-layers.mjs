// The layering check (CI: .ci/run): value imports in src/ run down the stack
//   kernels < tensor < autograd < nn, optim, io, data, fast (src/*.ts at the top),
// no file reaches itself through its imports, `import type` included (see the cycles' region
// below), and above src/autograd no file dispatches a kernel or copies a GPUBuffer
// itself (no WGSL import, no rt().dispatch / rt().copy: batching and predict's output go
// through tensor ops) — except optim/kernels.ts, the optimizers' one fused update, each
// optimizer file's import of its own rule's WGSL (optim/adam.ts: ./adam.wgsl?raw): the rule's
// TS and WGSL sit together (Keras's adam.py shape), and only kernels.ts dispatches the text;
// and src/fast (the speed-ups, which may dispatch their own fused kernels). The plain path
// (every file outside src/fast) imports src/fast, even for a type, only at the named plug-in
// points (PLUG_IN_POINTS): the rest reads, and runs, as if the fast layer did not exist.
// Prints each problem; exits 1 if there is any.
// Usage: node scripts/check-layers.mjs [srcDir]   (tests/scripts/ runs it on bad examples)
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';

// lookup.ts (name lookups with helpful errors) imports nothing: any layer may use it.
// src/fast (the speed-ups over the plain path) ranks with nn: it plugs into nn's loops.
const RANK = { 'lookup.ts': -1, kernels: 0, tensor: 1, autograd: 2, nn: 3, optim: 3, io: 3, data: 3, fast: 3 };
const TOP = 4; // src/index.ts, src/ops.ts, ...

const root = resolve(process.argv[2] ?? 'src');

function files(dir) {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

function rank(file) {
  const top = relative(root, file).split(/[\\/]/);
  if (top[0] in RANK) return RANK[top[0]];
  if (top.length === 1) return TOP;
  throw new Error(`check-layers: ${relative(root, file)} is in no known layer (${Object.keys(RANK).join(', ')})`);
}

/** Relative imports of a file; unless `withTypes`, only value ones (`import type ...` and `import { type A, type B }` excluded). */
function importsOf(file, withTypes = false) {
  const text = readFileSync(file, 'utf8');
  const out = [];
  for (const m of text.matchAll(/^(?:import|export)\s+([^'"]*?)\s*from\s+['"](\.[^'"]+)['"]/gms)) {
    const [, clause, spec] = m;
    const names = clause.match(/^\{([^}]*)\}$/);
    const typeOnly = /^type\s/.test(clause) || (names && names[1].split(',').every((n) => !n.trim() || /^type\s/.test(n.trim())));
    if (typeOnly && !withTypes) continue;
    if (spec.endsWith('?raw') || !spec.endsWith('.ts')) continue;
    out.push(resolve(dirname(file), spec));
  }
  return out;
}

const KERNEL_USERS_ABOVE = ['optim/kernels.ts'];
const inFast = (file) => relative(root, file).split(/[\\/]/)[0] === 'fast';

/** The plain-path files that take the fast layer, each at its marked points (`fast.` calls), and why. */
const PLUG_IN_POINTS = [
  'nn/model/training.ts', // fit's loop: compiling ahead, capture and replay, pacing, the fused SGD update (fast/loop.ts)
  'nn/model/inference.ts', // evaluate's and predict's loops: compiling ahead, capture and replay, the fused loss tail
];
function dispatchesKernels(file) {
  let text = readFileSync(file, 'utf8');
  if (name(file).split(/[\\/]/)[0] === 'optim') text = text.replace(`'./${basename(file, '.ts')}.wgsl?raw'`, '');
  return /\.wgsl\?raw['"]/.test(text) || /\brt\(\)\s*\.\s*(dispatch|copy)\(|\b(dispatch|copy)\(\s*\{\s*label/.test(text);
}

const graph = new Map(files(root).map((f) => [f, importsOf(f)]));
const problems = [];
const name = (f) => relative(root, f);
for (const [f, deps] of graph) {
  for (const d of deps) {
    if (rank(d) > rank(f)) problems.push(`up-import: ${name(f)} imports ${name(d)}`);
  }
}
for (const f of graph.keys()) {
  if (inFast(f) || PLUG_IN_POINTS.includes(name(f).replaceAll('\\', '/'))) continue;
  const d = importsOf(f, true).find(inFast);
  if (d) problems.push(`plain imports fast: ${name(f)} imports ${name(d)} (only the plug-in points in PLUG_IN_POINTS may)`);
}
for (const f of graph.keys()) {
  if (rank(f) > RANK.autograd && rank(f) < TOP && !inFast(f) && !KERNEL_USERS_ABOVE.includes(name(f).replaceAll('\\', '/')) && dispatchesKernels(f)) {
    problems.push(`kernel above autograd: ${name(f)} dispatches a kernel or copies a GPU buffer (make it a tensor op)`);
  }
}
// ---- Import circles (issue 21) ----
// Cycles count `import type` edges as well as value ones: a type-only circle leaves no trace at
// run time, but a reader can start none of its files without the others. A dynamic import()
// is not an edge (Network's save methods load io/save.ts lazily on purpose). No exception,
// the core included: where two types name each other (a Tensor holds the tape node that made
// it, the node its tensors), one is written so that it need not import the other
// (autograd/tape-node.ts is generic in the tensor type; memory.ts declares what its scopes hold).

/** Every relative import of a file, `import type` and `import { type A }` included. */
function allImports(file) {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^(?:import|export)\s+[^'"]*?\s*from\s+['"](\.[^'"]+\.ts)['"]/gms)].map((m) => resolve(dirname(file), m[1]));
}
const cycleGraph = new Map([...graph.keys()].map((f) => [f, allImports(f)]));

// Cycles: a depth-first search; a back edge to a file on the current path closes one.
const state = new Map(); // 1 on the path, 2 done
const path = [];
function visit(f) {
  state.set(f, 1);
  path.push(f);
  for (const d of cycleGraph.get(f) ?? []) {
    if (state.get(d) === 1) problems.push(`cycle: ${[...path.slice(path.indexOf(d)), d].map(name).join(' -> ')}`);
    else if (!state.has(d)) visit(d);
  }
  path.pop();
  state.set(f, 2);
}
for (const f of cycleGraph.keys()) if (!state.has(f)) visit(f);
// ---- end of import circles ----

for (const p of problems) console.error(p);
console.log(`check-layers: ${graph.size} files, ${problems.length} problem(s)`);
process.exit(problems.length ? 1 : 0);
