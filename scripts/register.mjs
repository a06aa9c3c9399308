// Lets plain Node run webgrad's TypeScript sources (examples, benches): TypeScript via
// tsx, and `import code from './x.wgsl?raw'` (Vite's raw-text import) via raw-hooks.mjs.
import { register } from 'node:module';
import { register as registerTsx } from 'tsx/esm/api';

registerTsx();
register('./raw-hooks.mjs', import.meta.url);
