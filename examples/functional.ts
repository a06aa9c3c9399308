// `npm run example:functional`: Hands-On ML ch. 10's Functional API on Fashion-MNIST: the
// Wide & Deep network, then two inputs (a thumbnail and the full image) and two outputs
// with an auxiliary loss, saved as .keras and loaded back; curves in reports/functional.html.
// The book's code is in lib/functional.ts. Default: 5,000 images, 5 epochs per model; --quick for a smoke run.
import { exampleCli } from './lib/cli.ts';
import { functionalExample } from './lib/functional.ts';

await exampleCli(functionalExample);
