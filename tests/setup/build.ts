// Vitest global setup (node project): builds dist/ before the tests that use the built
// package (tests/package, tests/e2e), only when a source changed since the last build
// (scripts/ensure-build.mjs).
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  execFileSync(process.execPath, [fileURLToPath(new URL('../../scripts/ensure-build.mjs', import.meta.url))], { stdio: 'inherit' });
}
