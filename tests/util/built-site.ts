// The examples site as the e2e tests open it: `npm run build:site`'s Vite build (both pages,
// examples and bench) into a temporary folder, the four Fashion-MNIST files linked beside
// it (where ?data=fashion/ finds them), a plain static server, and Debian's headless
// Chromium. Used by tests/e2e/site.node.test.ts and bench-page.node.test.ts.

import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll } from 'vitest';
import { searchDirs } from '../../src/data/locate.ts';
import { CHROMIUM_ARGS } from '../setup/chromium-flags.ts';
import { serveStatic } from './static-server.ts';

export const DATA_FILES = ['train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz', 't10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz'];
/** The first folder Node's loader would read Fashion-MNIST from (Debian's, in CI). */
export const dataDir = searchDirs().find((d) => DATA_FILES.every((f) => existsSync(join(d.dir, f))))?.dir;

export interface BuiltSite {
  /** The site's base URL (ends in /). */
  url: string;
  /** The folder it is served from (a test may add files beside the pages). */
  dir: string;
  browser: Browser;
  close(): Promise<void>;
}

/** Builds and serves the site and starts the browser; close() undoes all three. */
export async function openBuiltSite(): Promise<BuiltSite> {
  if (!dataDir) throw new Error(`no folder has the four Fashion-MNIST files: ${searchDirs().map((d) => d.dir).join(', ')}`);
  const site = mkdtempSync(join(tmpdir(), 'webgrad-site-'));
  await build({ configFile: fileURLToPath(new URL('../../vite.config.ts', import.meta.url)), build: { outDir: site }, logLevel: 'warn' });
  mkdirSync(join(site, 'fashion'));
  for (const f of DATA_FILES) symlinkSync(join(dataDir, f), join(site, 'fashion', f));
  const server = await serveStatic(site);
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  return {
    url: server.url,
    dir: site,
    browser,
    close: async () => {
      await browser.close();
      await server.close();
      rmSync(site, { recursive: true, force: true });
    },
  };
}

/** In a test file: opens the site before its tests and closes it after; the object is filled in by then. */
export function useBuiltSite(timeoutMs: number): BuiltSite {
  const site = {} as BuiltSite;
  beforeAll(async () => void Object.assign(site, await openBuiltSite()), timeoutMs);
  afterAll(() => site.close?.());
  return site;
}
