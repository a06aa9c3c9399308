// Lets plain Node run the repository's TypeScript (examples, benches) through tsx. Their
// `import ... from 'webgrad.js'` resolves to the built package (dist/, by the package's own
// name), so tsx is told to ignore tsconfig.json's `paths` (which serve type-checking only).
// The kernel microbench (bench/matmul.ts) imports sources directly: raw-hooks.mjs serves
// their `import code from './x.wgsl?raw'` (Vite's raw-text import).
import { register } from 'node:module';
import { register as registerTsx } from 'tsx/esm/api';

registerTsx({ tsconfig: false });
register('./raw-hooks.mjs', import.meta.url);
