// `npm run dev`: Vite serves the Chrome examples page (examples/web/index.html) and, at
// /data/fashion-mnist/, the four Fashion-MNIST files from the first folder Node's loader
// would read them from ($FASHION_MNIST_DIR, ./data/fashion-mnist, Debian's
// /usr/share/datasets/fashion-mnist, the cache). `npm run build:site` writes the page as a
// static site to dist-site/ (relative paths: any folder of any static host). The page
// imports 'webgrad.js' as users do, here the built package (dist/index.js, the browser entry).
// The site's second page, bench.html (examples/web/bench/), runs bench/lib's code, which
// reaches into webgrad's runtime (bench/lib/matmul.ts): there 'webgrad.js' is src/, so one
// copy of webgrad holds the device, as in `npm run bench:chromium`.
// Vitest uses vitest.config.ts, not this file. Read next: examples/web/main.ts.

import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import { FASHION_MNIST_FILES, fileNames } from './src/data/fashion-mnist-files.ts';
import { searchDirs } from './src/data/locate.ts';

const repoRoot = fileURLToPath(new URL('.', import.meta.url));
/** The page fetches the data from here unless its URL says ?data=<another base URL>. */
const DATA_ROUTE = '/data/fashion-mnist';
const NAMES = new Set(FASHION_MNIST_FILES.flatMap((f) => fileNames(f)));

const isFile = (path: string) => stat(path).then((s) => s.isFile(), () => false);

/** Answers GET /data/fashion-mnist/<one of the four file names> from the first folder that has it. */
async function serveFashionMnist(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const name = decodeURIComponent((req.url ?? '/').split('?')[0].slice(1));
  const dirs = searchDirs();
  for (const { dir } of NAMES.has(name) ? dirs : []) {
    const path = join(dir, name);
    if (await isFile(path)) {
      res.setHeader('Content-Type', 'application/octet-stream');
      res.setHeader('Content-Length', (await stat(path)).size);
      createReadStream(path).pipe(res);
      return;
    }
  }
  res.statusCode = 404;
  res.setHeader('Content-Type', 'text/plain');
  res.end(
    NAMES.has(name)
      ? `${name} is in none of: ${dirs.map((d) => `${d.dir} (${d.why})`).join(', ')}. Install Debian's dataset-fashion-mnist or set FASHION_MNIST_DIR.`
      : `Not a Fashion-MNIST file: '${name}'. Files: ${[...NAMES].join(', ')}`,
  );
}

function fashionMnistFiles(): Plugin {
  return {
    name: 'webgrad-fashion-mnist',
    configureServer: (server) => {
      server.middlewares.use(DATA_ROUTE, (req, res) => void serveFashionMnist(req, res));
    },
  };
}

/** 'webgrad.js': src/index.ts for the bench page and bench/lib, else the built package. */
function webgradPackage(): Plugin {
  const fromSource = [join(repoRoot, 'bench/'), join(repoRoot, 'examples/web/bench/')];
  return {
    name: 'webgrad-package',
    enforce: 'pre',
    resolveId: (source, importer) => {
      if (source !== 'webgrad.js') return null;
      return join(repoRoot, importer && fromSource.some((d) => importer.startsWith(d)) ? 'src/index.ts' : 'dist/index.js');
    },
  };
}

export default defineConfig({
  root: join(repoRoot, 'examples/web'),
  base: './',
  // h5wasm (HDF5 with its WebAssembly inlined) is one 4.8 MB chunk, loaded on the first save.
  build: {
    outDir: join(repoRoot, 'dist-site'),
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 5000,
    rollupOptions: {
      input: { examples: join(repoRoot, 'examples/web/index.html'), bench: join(repoRoot, 'examples/web/bench.html') },
    },
  },
  // The training worker is a module worker (worker.ts): its h5wasm chunk loads on demand.
  worker: { format: 'es', plugins: () => [webgradPackage()] },
  plugins: [webgradPackage(), fashionMnistFiles()],
  server: { fs: { allow: [repoRoot] } },
  // Prebundled up front, so the first visit does not reload the page halfway (the bench
  // pages' peers included).
  optimizeDeps: {
    include: ['h5wasm', 'fflate', 'chart.js', 'benchmark', 'lodash', '@jax-js/jax', ...['core', 'layers', 'backend-webgpu', 'backend-wasm', 'backend-webgl', 'backend-cpu'].map((p) => `@tensorflow/tfjs-${p}`)],
  },
});
