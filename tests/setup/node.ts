// Node project setup: quiet Mesa's warnings (it wants a runtime dir). The device
// itself comes from src/kernels/device.ts, which loads Dawn when navigator.gpu is absent.
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
