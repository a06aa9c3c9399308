// Node project setup: quiet Mesa's warnings (it wants a runtime dir), and load webgrad's
// Node entry (src/node.ts), which hands Dawn and the file helpers to the sources the tests
// import, as `import 'webgrad.js'` does in a user's Node program.
import '../../src/node.ts';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

if (!process.env.XDG_RUNTIME_DIR) {
  const dir = join(tmpdir(), 'webgrad-xdg');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  process.env.XDG_RUNTIME_DIR = dir;
}

// NOTE: Dawn's worker threads can crash a forked worker at process exit unless the device
// is destroyed first.
import { afterAll } from 'vitest';
afterAll(async () => {
  const { releaseDevice } = await import('../../src/kernels/device.ts');
  releaseDevice();
});
