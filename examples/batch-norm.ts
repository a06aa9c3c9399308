// `npm run example:batch-norm`: Hands-On ML ch. 11's nonsaturating activations (LeakyReLU,
// PReLU) and Batch Normalization (after and before the activation), trained with the book's
// SGD(1e-3); curves in reports/batch-norm.html. The book's code is in lib/batch-norm.ts.
// Default: 3,000 images, 5 epochs per model; --quick for a smoke run.
import { exampleCli } from './lib/cli.ts';
import { batchNormExample } from './lib/batch-norm.ts';

await exampleCli(batchNormExample);
