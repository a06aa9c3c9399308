// Runs `npm run build` (scripts/build.mjs) when dist/ is missing or older than what it is
// built from, so `npm start`, the benches and the package tests run today's package.
// Used as a script (node scripts/ensure-build.mjs) and by tests/setup/build.ts.
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
/** Written by scripts/build.mjs when a build completes. */
export const STAMP = join(root, 'node_modules/.cache/webgrad-build-stamp');
const INPUTS = ['src', 'scripts/build.mjs', 'tsconfig.build.json', 'package.json'];

const mtime = (path) => statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? 0;
const newest = (path) =>
  statSync(path).isDirectory() ? Math.max(0, ...readdirSync(path, { recursive: true }).map((f) => mtime(join(path, String(f))))) : mtime(path);

/** Builds when any input is newer than the last completed build. */
export function ensureBuild() {
  const built = mtime(STAMP);
  if (built && INPUTS.every((p) => newest(join(root, p)) < built)) return;
  execFileSync(process.execPath, [join(root, 'scripts/build.mjs')], { cwd: root, stdio: 'inherit' });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) ensureBuild();
