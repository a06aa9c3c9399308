// The flags ENVIRONMENT.md gives for WebGPU in headless Debian Chromium: WebGPU on, no
// sandbox (root in CI), and none of the background traffic this closed network refuses.
// Used by vitest.config.ts (the chromium project) and tests/e2e (the examples page).
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--enable-unsafe-webgpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];
