// scripts/node.sh, which runs the examples and benches: on lavapipe Dawn prints two warnings
// of its own on stderr when it opens the adapter; through node.sh they are gone, while the
// program's own stdout and stderr come through untouched and its exit status is kept.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';

const DAWN_NOISE = /artificially reduced from \d+ to \d+/;
// Inside the repository, so that 'webgrad.js' resolves to the package itself (its own name).
const dir = 'tests/scripts/.run';
mkdirSync(dir, { recursive: true });
const program = join(dir, 'program.ts');
writeFileSync(
  program,
  `import { ready } from 'webgrad.js';
await ready();
console.log('stdout: ready');
console.error('stderr: mine');
process.exitCode = 3;
`,
);

const run = (cmd: string, args: string[]) => spawnSync(cmd, args, { encoding: 'utf8', timeout: 60_000 });

test('without node.sh, Dawn warns on stderr when it opens this adapter (why the filter exists)', () => {
  const r = run('node', ['--import', './scripts/register.mjs', program]);
  expect(r.stdout).toContain('stdout: ready');
  expect(r.stderr).toMatch(DAWN_NOISE);
});

test("through node.sh only Dawn's lines are dropped: the program's output and exit status stay", () => {
  const r = run('bash', ['scripts/node.sh', program]);
  expect(r.stdout).toBe('stdout: ready\n');
  expect(r.stderr).toBe('stderr: mine\n');
  expect(r.status).toBe(3);
});
