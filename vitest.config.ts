// Every test file runs twice: on Dawn (the `webgpu` package) in Node, and in headless
// Debian Chromium on its SwiftShader WebGPU adapter. A test that finds no adapter fails.
import { defineConfig } from 'vitest/config';
import { playwright } from '@vitest/browser-playwright';
import { CHROMIUM_ARGS } from './tests/setup/chromium-flags.ts';


export default defineConfig({
  test: {
    testTimeout: 120_000,
    hookTimeout: 120_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          include: ['tests/**/*.test.ts'],
          setupFiles: ['tests/setup/node.ts'],
          globalSetup: ['tests/setup/build.ts'],
          pool: 'forks',
        },
      },
      {
        // The browser reads the Keras fixtures (../shared) and Debian's Fashion-MNIST
        // through the dev server; prebundling these avoids a reload mid-run on a fresh clone.
        server: { fs: { allow: ['.', '../shared/fixtures', '/usr/share/datasets/fashion-mnist'] } },
        optimizeDeps: { include: ['h5wasm', 'fflate', 'jsfive', 'fast-check'] },
        extends: true,
        test: {
          name: 'chromium',
          include: ['tests/**/*.test.ts'],
          exclude: ['tests/**/*.node.test.ts'],
          browser: {
            enabled: true,
            headless: true,
            screenshotFailures: false,
            provider: playwright({ launchOptions: { executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS } }),
            instances: [{ browser: 'chromium' }],
          },
        },
      },
    ],
  },
});
