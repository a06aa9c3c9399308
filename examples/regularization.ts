// `npm run example:regularization`: Hands-On ML ch. 11's regularization — ℓ2 through the
// partial-style RegularizedDense, dropout, alpha dropout, MC dropout (per-class mean and
// std of 100 stochastic predictions) and max-norm; curves in reports/regularization.html.
// The book's code is in lib/regularization.ts. Default: 3,000 images, 5 epochs per model.
import { exampleCli } from './lib/cli.ts';
import { regularizationExample } from './lib/regularization.ts';

await exampleCli(regularizationExample);
