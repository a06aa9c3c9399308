// `npm run build`: writes dist/, what the package ships (package.json "files"/"exports").
//   dist/index.js, dist/node.js (+ chunks): ESM for bundlers and Node, WGSL inlined as strings
//     (Vite library mode reads the sources' `?raw` imports), h5wasm and fflate left as imports;
//   dist/webgrad.browser.js: one minified file for a <script type="module"> on any static host,
//     fflate bundled in; h5wasm in webgrad.browser.h5wasm.js beside it, loaded on first use;
//   dist/types: the .d.ts files (tsc), their relative imports spelled `.js` as consumers need.
// Read next: package.json ("exports"), tests/package/ (the tarball tested in a fresh project).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { STAMP } from './ensure-build.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');
const common = { root, configFile: false, logLevel: 'warn', publicDir: false };
const output = { outDir: dist, emptyOutDir: false, sourcemap: true, target: 'es2022' };
/** A warning fails the build: `npm start` builds on a user's console, which stays quiet. */
const onwarn = (w) => {
  throw new Error(`build: ${w.message}`);
};
/** Modules only the Node entry reaches (node:fs and friends, Dawn): kept out of the shared chunk. */
const NODE_ONLY = /\/src\/(node|io\/node-files|data\/locate|data\/download)\.ts$/;

rmSync(dist, { recursive: true, force: true });

// The package's entries. Everything but webgrad's own code stays an import (node:*, the
// `webgpu` addon in the Node entry's lazy import, and the dependencies).
await build({
  ...common,
  build: {
    ...output,
    minify: false,
    lib: { entry: { index: 'src/index.ts', node: 'src/node.ts' }, formats: ['es'] },
    rollupOptions: {
      onwarn,
      external: [/^node:/, 'webgpu', 'h5wasm', 'fflate'],
      // One shared chunk (chunks/webgrad.js) for both entries; Node-only code in its own chunks.
      output: {
        chunkFileNames: 'chunks/[name].js',
        manualChunks: (id) => (id.startsWith(`${root}src/`) && !NODE_ONLY.test(id) ? 'webgrad' : undefined),
      },
    },
  },
});

/**
 * The shaders without their comments and indentation (WGSL has no string literals, so every
 * `//` starts a comment): for the minified file only; the ESM entries keep them readable.
 */
const compactWgsl = {
  name: 'compact-wgsl',
  enforce: 'pre',
  load(id) {
    if (!id.endsWith('.wgsl?raw')) return null;
    const text = readFileSync(id.slice(0, -'?raw'.length), 'utf8');
    const lines = text.split('\n').map((line) => line.replace(/\/\/.*$/, '').trim());
    return `export default ${JSON.stringify(lines.filter(Boolean).join('\n') + '\n')};`;
  },
};

// The file for browsers without a bundler: the browser entry with fflate bundled in, and
// h5wasm (HDF5 with its WebAssembly inlined: 4 MB, 1 MB gzipped) in a sibling file that it
// imports on the first model save or load, so a page that only trains never downloads it.
await build({
  ...common,
  plugins: [compactWgsl],
  build: {
    ...output,
    minify: true,
    lib: { entry: 'src/index.ts', formats: ['es'], fileName: () => 'webgrad.browser.js' },
    rollupOptions: {
      // The code the model-file chunk shares with the entry stays in the entry's file (no facade chunk).
      preserveEntrySignatures: 'allow-extension',
      onwarn,
      output: { chunkFileNames: 'webgrad.browser.[name].js', manualChunks: (id) => (id.includes('/node_modules/h5wasm/') ? 'h5wasm' : undefined) },
    },
  },
});

// h5wasm's map would be 11 MB of its own generated code: the file ships without one.
const h5wasm = join(dist, 'webgrad.browser.h5wasm.js');
writeFileSync(h5wasm, readFileSync(h5wasm, 'utf8').replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n'));
rmSync(`${h5wasm}.map`);

execFileSync(join(root, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
// NOTE: tsc keeps `./x.ts` in declarations (rewriteRelativeImportExtensions only rewrites
// JavaScript); a consumer's TypeScript resolves `./x.js` to x.d.ts.
for (const entry of readdirSync(join(dist, 'types'), { recursive: true })) {
  if (!String(entry).endsWith('.d.ts')) continue;
  const path = join(dist, 'types', String(entry));
  const text = readFileSync(path, 'utf8');
  writeFileSync(path, text.replace(/((?:from |import\()['"]\.{1,2}\/[^'"]*?)\.ts(['"])/g, '$1.js$2'));
}
mkdirSync(dirname(STAMP), { recursive: true });
writeFileSync(STAMP, new Date().toISOString());
