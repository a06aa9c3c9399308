// CI's release check: `npm publish --dry-run` must pass with no warning, as a real publish
// would. A dry run sends nothing and needs no account, but npm warns when no registry token is
// configured at all, so a placeholder token is set for this one command. Prints npm's report
// of the tarball (its file list is checked file by file in tests/package).
import { spawnSync } from 'node:child_process';

const env = { ...process.env, 'npm_config_//registry.npmjs.org/:_authToken': 'dry-run-placeholder' };
const r = spawnSync('npm', ['publish', '--dry-run', '--ignore-scripts'], { encoding: 'utf8', env });
const lines = `${r.stdout}\n${r.stderr}`.split('\n');
const warnings = lines.filter((l) => /^npm (warn|error|ERR!)/i.test(l));
const summary = lines.filter((l) => /^npm notice (name|version|package size|unpacked size|total files):/.test(l));
console.log(`check-publish: ${summary.map((l) => l.replace('npm notice ', '')).join(', ')}`);
if (r.status !== 0 || warnings.length > 0) {
  console.error(`check-publish: npm publish --dry-run ${r.status !== 0 ? `exited ${r.status}` : 'warned'}:\n${warnings.join('\n') || r.stderr}`);
  process.exit(1);
}
