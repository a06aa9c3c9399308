// The docs' printed outputs are true: every ```ts block that a ```text output block follows
// is run on the GPU and must print exactly those lines (run-blocks.ts). Node only: it
// writes the blocks as modules.
import { beforeAll, expect, test } from 'vitest';
import { ready } from '../../src/kernels/device.ts';
import { blocks, docFiles } from './doc-blocks.ts';
import { run, runnable, show } from './run-blocks.ts';

beforeAll(async () => {
  await ready();
});

const all = docFiles().flatMap(blocks);
const cases = runnable(all);

test('how-it-works.md has blocks whose output is checked, and values print as the docs write them', () => {
  expect(cases.filter((c) => c.source.block.file === 'docs/how-it-works.md').length).toBeGreaterThanOrEqual(3);
  expect(show([[0, 0], [5, 12]])).toBe('[[0, 0], [5, 12]]');
  expect(show(Float32Array.of(1, 2))).toBe('[1, 2]');
});

for (const c of cases) {
  const { file, line } = c.source.block;
  test(`${file}:${line} prints what the doc says`, async () => {
    expect(await run(c.source)).toEqual(c.expected);
  });
}
