// `npm start`: the chapter's transfer-learning pipeline on the real Fashion-MNIST, in Node
// on the default WebGPU adapter, with Keras-style progress, a final table, and reports in
// reports/. Options: --epochs-scale <x> (e.g. 0.1 for a quick run), --seed <n>, --out <dir>,
// --recipe book|notebook (B-on-A's learning rates: the chapter's text, or its notebook).

import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { adapterInfo, ready, releaseDevice } from 'webgrad.js';
import { loadFashionMnist } from 'webgrad.js';
import { transferLearningSplits } from 'webgrad.js';
import { reportHtml, reportJson } from './lib/report.ts';
import { type Recipe, RECIPES, resultTable, runTransferLearning } from './lib/transfer-learning.ts';

const { values } = parseArgs({
  options: {
    'epochs-scale': { type: 'string', default: '1' },
    seed: { type: 'string', default: '42' },
    recipe: { type: 'string', default: 'book' },
    out: { type: 'string', default: 'reports' },
    quiet: { type: 'boolean', default: false },
  },
});
const epochsScale = Number(values['epochs-scale']);
const seed = Number(values.seed);
const recipe = values.recipe as Recipe;
if (!(recipe in RECIPES)) throw new RangeError(`--recipe must be one of ${Object.keys(RECIPES).join(', ')}, got '${values.recipe}'`);
if (!(epochsScale > 0)) throw new RangeError(`--epochs-scale must be a number > 0, got ${values['epochs-scale']}`);
if (!Number.isInteger(seed)) throw new RangeError(`--seed must be an integer, got ${values.seed}`);

await ready();
const a = await adapterInfo();
console.log(`webgrad on ${a.vendor} ${a.architecture} ${a.description} (${a.host})`);
console.log('Loading Fashion-MNIST ...');
const data = transferLearningSplits(await loadFashionMnist());
await mkdir(values.out!, { recursive: true });
const result = await runTransferLearning(data, {
  epochsScale,
  seed,
  recipe,
  modelAPath: join(values.out!, 'my_model_A.h5'),
  verbose: values.quiet ? 0 : 1,
  onPhase: (_p, msg) => console.log(`\n== ${msg}`),
});
console.log(`\n${resultTable(result)}`);
console.log(`Total time: ${result.seconds.toFixed(1)} s`);
await writeFile(join(values.out!, 'transfer-learning.json'), reportJson(result));
await writeFile(join(values.out!, 'transfer-learning.html'), await reportHtml(result));
console.log(`Reports: ${join(values.out!, 'transfer-learning.html')}, ${join(values.out!, 'transfer-learning.json')}`);
releaseDevice();
