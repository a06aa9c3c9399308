// The Node command line every topic example shares: flags for the data sizes and epochs,
// Keras-style progress, the closing table, and reports/<example>.{html,json}.
// Flags: --quick (a smoke run), --train/--valid/--test <images>, --epochs <n>, --seed <n>,
// --out <dir>, --quiet. Read next: experiment.ts (what an example returns).

import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { adapterInfo, ready, releaseDevice } from 'webgrad.js';
import { loadFashionMnist } from 'webgrad.js';
import { type ExampleSpec, runExample, type Sizes } from './experiment.ts';
import { exampleReportHtml, reportJson } from './html-report.ts';

const positiveInt = (flag: string, v: string | undefined, fallback: number): number => {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`--${flag} must be a positive integer, got ${v}`);
  return n;
};

export async function exampleCli(spec: ExampleSpec): Promise<void> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      train: { type: 'string' },
      valid: { type: 'string' },
      test: { type: 'string' },
      epochs: { type: 'string' },
      seed: { type: 'string', default: '42' },
      out: { type: 'string', default: 'reports' },
      quiet: { type: 'boolean', default: false },
    },
  });
  const base: Sizes = values.quick ? spec.quick : spec.defaults;
  const seed = Number(values.seed);
  if (!Number.isInteger(seed)) throw new RangeError(`--seed must be an integer, got ${values.seed}`);
  const options = {
    train: positiveInt('train', values.train, base.train),
    valid: positiveInt('valid', values.valid, base.valid),
    test: positiveInt('test', values.test, base.test),
    epochs: positiveInt('epochs', values.epochs, base.epochs),
    seed,
    verbose: values.quiet ? (0 as const) : (1 as const),
    onRun: (run: string, epochs: number) => console.log(`\n== ${run}: ${epochs} epochs`),
  };
  await ready();
  const a = await adapterInfo();
  console.log(`${spec.title}\nwebgrad on ${a.vendor} ${a.architecture} ${a.description} (${a.host})`);
  console.log(`${options.train} training / ${options.valid} validation / ${options.test} test images, ${options.epochs} epochs per run (flags: examples/README.md)`);
  const result = await runExample(spec, await loadFashionMnist(), options);
  console.log(`\n${result.table}\nTotal time: ${result.seconds.toFixed(1)} s`);
  await mkdir(values.out, { recursive: true });
  const html = join(values.out, `${spec.name}.html`);
  await writeFile(html, await exampleReportHtml(result));
  await writeFile(join(values.out, `${spec.name}.json`), reportJson(result));
  console.log(`Report: ${html}`);
  releaseDevice();
}
