#!/usr/bin/env node
// `npm run sz`: lines per folder of src/ (tinygrad's sz.py idea), and a budget per folder
// that fails the build (exit 1) when code grows past it. Runs in CI before the tests
// (.ci/run). "code" counts lines that are neither blank nor comments; "total" counts all.
// The BUDGETS comment below says why these numbers.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Code-line budgets, per folder (a subfolder without its own budget counts towards its
 * parent's: src/nn/layers is in src/nn). Each is the folder's size on 2026-11-28 plus ~15%
 * headroom, rounded up to 10: room to fix and extend, not to double. The core a reader walks
 * in one evening (src/kernels, its wgsl/, src/tensor, src/autograd) also has a joint budget:
 * 2,600 lines at the ~500 lines an hour of careful reading (the pace code-review studies
 * recommend) is about five hours. A change that needs more should remove lines elsewhere,
 * or argue in review for a new number here: a faster variant enters the main path only when
 * the gain pays for its lines (karpathy/llm.c's rule).
 */
const BUDGETS = {
  src: 110, // 60, plus the Functional API's exports (issue 25, ~10), plus lookup.ts (moved from src/nn, whose budget shrank by as much), plus node.ts (the package's Node entry, ~20)
  'src/autograd': 1040, // 770, plus concat.ts (issue 25: Concatenate's op and its backward, ~45), plus batch-norm.ts and param-activation.ts (issue 14: BatchNormalization, LeakyReLU/ELU layers), plus sparseCrossentropyMean (issue 17: the step's loss tail in one kernel), plus fused-act-grad.ts (issue 17: activation gradients folded into the backward matmul, ~38)
  'src/fast': 150, // issue 21: the speed-ups over the plain path, each handed to it at a named hook; here the backward plan (folded activation gradients, fit's SGD inside backward) and the fused loss tail (~140)
  'src/data': 510, // 460, plus the hostile-file bounds (issue 24): IDX headers checked against their file's kind, gzip inflated to exactly the declared size, file origins for the advice, bounded reads
  'src/io': 2213, // 1030, plus the Keras file code moved from src/nn (issue 21: config/, save.ts, model-files.ts, checkpoint.ts, 1,088 lines; src/nn's budget shrank by as much), plus issue 25's weight groups matched by class rank where a file numbers them otherwise (keras-naming.ts, ~12), plus the hostile-file bounds (issue 24): bounds.ts (declared sizes vs the config's needs, HDF5 dataset checks), zip-read.ts's bounded inflation, read-body.ts
  'src/kernels': 1145, // 620, plus adapterInfo's description never empty (issue 22), plus the step capture and replay (capture.ts and runtime.ts's hooks, ~190), plus the matmul kernel assembly moved from src/autograd (matmul-kernels.ts), env.ts, optim-step.ts, wait.ts's estimate that compile time cannot poison with per-pipeline costs (bench:compile), host.ts (what the Node entry hands the runtime), and the pipeline cache's asynchronous creation for compiling ahead (nn/precompile.ts), plus the fenced throttle rounds and their pacer (runtime.ts throttle and its read bookkeeping, wait.ts FencePacer, ~100: fit's host time per step 2.0 -> 0.5 ms, issue 17), and memory()'s bytesCaptured, plus the polled read for fit's progress (runtime.ts read's `polled`, wait.ts Waiter.poll, ~18, issue 23)
  'src/kernels/wgsl': 900, // 760, plus concat.wgsl (issue 25), plus batch-norm.wgsl, param-activation.wgsl, gelu's erfc (issue 14), plus losses.wgsl's sparse_mean and matmul-io.wgsl's ACT_GRAD (issue 17)
  'src/nn': 2912, // 2500, less the Keras file code moved to src/io (issue 21, 1,088 lines), plus issue 24's weight plan (layers' weightSpecs, planOf: a file's weights checked against the config before any allocation, ~40), plus issue 25's Functional files (~260: functional-graph.ts reading every Functional config spelling, functional-config.ts replaying and writing the graph, per-output compile info), plus issue 25's Functional API (~820: symbolic tensors and graph nodes (now in layers/layer.ts), graph.ts, model.ts, network.ts shared with Sequential, compile.ts's per-output losses and metrics, the merge layers, InputLayer, Normalization, Keras 3's summary table), plus BatchNormalization and the activation layers, and every Keras 2/3 compile-config form loadModel reads, and precompile.ts (compiling fit's and evaluate's pipelines ahead), plus captured-steps.ts, plus choosing the fused loss tail (issue 17)
  'src/optim': 1310,
  'src/tensor': 430,
};
const CORE = ['src/kernels', 'src/kernels/wgsl', 'src/tensor', 'src/autograd'];
const CORE_BUDGET = 3339; // 2600, minus the optimizers' WGSL (issue 21: moved to src/optim, 161), plus issue 25's concat op and kernel (~70), plus issue 24's checkTensorFits (a layer's or random tensor's size checked before its host array is made, ~10), plus the step capture and replay (~215), plus host.ts and wait.ts's new estimate, plus issue 14's BatchNormalization and activation kernels with their ops, plus compiling ahead (runtime.ts's prepare, random.ts's withoutDraws), plus the fenced throttle rounds (~85), plus issue 17's fused loss tail (sparse_mean and its op, ~47: 10 dispatches fewer per step) and memory()'s bytesCaptured, plus the activation-gradient fold (~46), plus the throttle's reused fence buffer (~6), plus fit's polled progress read (~18, issue 23)

const root = join(fileURLToPath(import.meta.url), '..', '..');
const SOURCE = /\.(ts|wgsl)$/;

/** Lines that are not blank and not only a comment (//, /* ... *\/, JSDoc). */
function countCode(text) {
  let code = 0;
  let inBlock = false;
  for (const raw of text.split('\n')) {
    let line = raw.trim();
    if (inBlock) {
      const end = line.indexOf('*/');
      if (end < 0) continue;
      inBlock = false;
      line = line.slice(end + 2).trim();
    }
    if (line.startsWith('/*')) {
      const end = line.indexOf('*/', 2);
      if (end < 0) {
        inBlock = true;
        continue;
      }
      line = line.slice(end + 2).trim();
    }
    if (line === '' || line.startsWith('//')) continue;
    code++;
  }
  return code;
}

/** Every folder under src/ (and src/ itself) with its own files' counts, not its subfolders'. */
function measure(dir, out = new Map()) {
  const row = { files: 0, code: 0, total: 0 };
  out.set(relative(root, dir), row);
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      measure(path, out);
    } else if (SOURCE.test(name)) {
      const text = readFileSync(path, 'utf8');
      row.files++;
      row.total += text.endsWith('\n') ? text.split('\n').length - 1 : text.split('\n').length;
      row.code += countCode(text);
    }
  }
  return out;
}

/** The budget a folder counts towards: its own, or its nearest budgeted parent's below src/ (src/nn/layers → src/nn). */
function budgetFolder(folder) {
  for (let f = folder; f.includes('/'); f = f.slice(0, f.lastIndexOf('/'))) if (f in BUDGETS) return f;
  // A new top-level folder gets its own row, reported as having no budget.
  return folder.split('/').slice(0, 2).join('/');
}

const rows = new Map();
for (const [folder, r] of measure(join(root, 'src'))) {
  const key = budgetFolder(folder);
  const acc = rows.get(key) ?? { files: 0, code: 0, total: 0 };
  rows.set(key, { files: acc.files + r.files, code: acc.code + r.code, total: acc.total + r.total });
}

const pad = (s, n) => String(s).padStart(n);
const failures = [];
console.log(`${'folder'.padEnd(20)}${pad('files', 6)}${pad('code', 8)}${pad('total', 8)}${pad('budget', 8)}`);
let sum = { files: 0, code: 0, total: 0 };
let core = 0;
for (const [folder, r] of [...rows].sort(([a], [b]) => a.localeCompare(b))) {
  const budget = BUDGETS[folder];
  const over = budget === undefined || r.code > budget;
  if (over) failures.push(budget === undefined ? `${folder} has no budget: add one to scripts/sz.mjs` : `${folder}: ${r.code} code lines, budget ${budget}`);
  const label = folder === 'src' ? 'src/*.ts' : folder;
  console.log(`${label.padEnd(20)}${pad(r.files, 6)}${pad(r.code, 8)}${pad(r.total, 8)}${pad(budget ?? '-', 8)}${over ? '  OVER' : ''}`);
  sum = { files: sum.files + r.files, code: sum.code + r.code, total: sum.total + r.total };
  if (CORE.includes(folder)) core += r.code;
}
console.log(`${'all of src/'.padEnd(20)}${pad(sum.files, 6)}${pad(sum.code, 8)}${pad(sum.total, 8)}`);
console.log(`core (${CORE.join(', ')}): ${core} code lines, budget ${CORE_BUDGET}`);
if (core > CORE_BUDGET) failures.push(`the core: ${core} code lines, budget ${CORE_BUDGET}`);
if (failures.length) {
  console.error(`\nsz: over the line budget:\n  ${failures.join('\n  ')}\nRemove lines, or raise the budget in scripts/sz.mjs and say why in review.`);
  process.exit(1);
}
