// scripts/check-layers.mjs on small source trees written here: it must pass a tree whose
// imports run down the stack, and name each up-import, cycle (type-only ones too) and kernel
// dispatch above src/autograd in a bad one (a type-only import up the stack is allowed), and
// each plain-path file importing src/fast outside the named plug-in points (a type import
// too). Node only: it runs the script as CI does, in a child process.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { expect, test } from 'vitest';

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'layers-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

function check(root: string): { code: number; out: string } {
  try {
    const out = execFileSync('node', ['scripts/check-layers.mjs', root], { encoding: 'utf8', stdio: 'pipe' });
    return { code: 0, out };
  } catch (e) {
    const err = e as { status: number; stdout: string; stderr: string };
    return { code: err.status, out: err.stderr + err.stdout };
  }
}

const good = {
  'kernels/runtime.ts': 'export const rt = () => 1;\n',
  'tensor/tensor.ts': "import { rt } from '../kernels/runtime.ts';\nexport const t = rt;\n",
  'autograd/ops.ts': "import { t } from '../tensor/tensor.ts';\nimport k from '../kernels/wgsl/k.wgsl?raw';\nexport const op = [t, k];\n",
  'nn/layer.ts': "import { op } from '../autograd/ops.ts';\nexport const layer = op;\n",
  'index.ts': "export { layer } from './nn/layer.ts';\n",
};

test('a tree whose value imports run down the stack passes; a type-only import up is allowed', () => {
  const root = tree({ ...good, 'kernels/types.ts': "import type { t } from '../tensor/tensor.ts';\nimport { type layer } from '../nn/layer.ts';\nexport type T = typeof t | typeof layer;\n" });
  const r = check(root);
  expect(r.out).toContain('0 problem(s)');
  expect(r.code).toBe(0);
});

test('an up-import, a cycle and a kernel dispatched above autograd each fail, by name', () => {
  const root = tree({
    ...good,
    'kernels/shape-user.ts': "import { t } from '../tensor/tensor.ts';\nexport const u = t;\n",
    'autograd/a.ts': "import { b } from './b.ts';\nexport const a = () => b;\n",
    'autograd/b.ts': "import { a } from './a.ts';\nexport const b = () => a;\n",
    'nn/feed.ts': "import { rt } from '../kernels/runtime.ts';\nexport const f = () => rt().copy(1, 2);\n",
  });
  const r = check(root);
  expect(r.code).toBe(1);
  expect(r.out).toContain('up-import: kernels/shape-user.ts imports tensor/tensor.ts');
  expect(r.out).toContain('cycle: autograd/a.ts -> autograd/b.ts -> autograd/a.ts');
  expect(r.out).toContain('kernel above autograd: nn/feed.ts');
  expect(r.out).toContain('3 problem(s)');
});

test('a plain-path file importing src/fast fails, even for a type; a plug-in point, and src/fast itself, may', () => {
  const root = tree({
    ...good,
    'fast/loop.ts': "import { op } from '../autograd/ops.ts';\nimport { rt } from '../kernels/runtime.ts';\nexport type Fast = number;\nexport const fast = () => [op, rt().dispatch({ label: 'fused' })];\n",
    'nn/model/training.ts': "import { fast } from '../../fast/loop.ts';\nexport const fit = fast;\n",
    'nn/dense.ts': "import { fast } from '../fast/loop.ts';\nexport const d = fast;\n",
    'autograd/backward.ts': "import type { Fast } from '../fast/loop.ts';\nexport const b = (f: Fast) => f;\n",
  });
  const r = check(root);
  expect(r.code).toBe(1);
  expect(r.out).toContain('plain imports fast: nn/dense.ts imports fast/loop.ts');
  expect(r.out).toContain('plain imports fast: autograd/backward.ts imports fast/loop.ts');
  expect(r.out).not.toContain('nn/model/training.ts');
  expect(r.out).not.toContain('kernel above autograd: fast/loop.ts');
  expect(r.out).toContain('2 problem(s)');
});

test('a circle of type-only imports fails too, between two core files (Tensor <-> its tape node) as well', () => {
  const root = tree({
    ...good,
    'nn/model.ts': "import type { Seq } from './seq.ts';\nexport type Model = { seq: Seq };\n",
    'nn/seq.ts': "import { type Model } from './model.ts';\nexport type Seq = { model: Model };\n",
    'tensor/node.ts': "import type { T } from './t.ts';\nexport type N = { inputs: T[] };\n",
    'tensor/t.ts': "import type { N } from './node.ts';\nexport type T = { node: N };\n",
  });
  const r = check(root);
  expect(r.code).toBe(1);
  expect(r.out).toMatch(/cycle: nn\/(model|seq)\.ts -> nn\/(seq|model)\.ts -> nn\/(model|seq)\.ts/);
  expect(r.out).toMatch(/cycle: tensor\/(node|t)\.ts -> tensor\/(t|node)\.ts -> tensor\/(node|t)\.ts/);
  expect(r.out).toContain('2 problem(s)');
});

test('the real src/ passes', () => {
  const r = check('src');
  expect(r.out).toMatch(/check-layers: \d+ files, 0 problem\(s\)/);
  expect(r.code).toBe(0);
});

test("an optimizer file may import its own rule's WGSL, not another's, and nothing else above autograd may", () => {
  const root = tree({
    ...good,
    'optim/adam.ts': "import wgsl from './adam.wgsl?raw';\nexport const adam = wgsl;\n",
    'optim/sgd.ts': "import wgsl from './adam.wgsl?raw';\nexport const sgd = wgsl;\n",
    'nn/dense.ts': "import wgsl from './dense.wgsl?raw';\nexport const dense = wgsl;\n",
  });
  const r = check(root);
  expect(r.code).toBe(1);
  expect(r.out).toContain('kernel above autograd: optim/sgd.ts');
  expect(r.out).toContain('kernel above autograd: nn/dense.ts');
  expect(r.out).toContain('2 problem(s)');
});
