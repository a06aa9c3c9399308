// `npm run bench:gpu`: the one-command check for a machine with a real GPU. It runs the op and
// model tests (tests/core, tests/nn, tests/optim) in Node on whatever adapter Dawn picks (a
// discrete GPU before a CPU driver: device.ts asks for 'high-performance'), then bench:step
// (captured vs eager steps) and bench:train (webgrad vs TensorFlow.js). Each bench prints and
// saves its adapter. Stops at the first failing stage. Usage: npm run bench:gpu
import { spawnSync } from 'node:child_process';

const stages = [
  ['op and model tests', 'npx', ['vitest', 'run', '--project', 'node', 'tests/core', 'tests/nn', 'tests/optim']],
  ['bench:step', 'npm', ['run', 'bench:step']],
  ['bench:train', 'npm', ['run', 'bench:train']],
];
for (const [name, cmd, args] of stages) {
  console.log(`\n=== bench:gpu: ${name} ===`);
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`bench:gpu: ${name} failed (exit ${r.status ?? r.signal})`);
    process.exit(1);
  }
}
