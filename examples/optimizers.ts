// `npm run example:optimizers`: Hands-On ML ch. 11's "faster optimizers" — one MLP trained
// with SGD, momentum, Nesterov, AdaGrad, RMSProp, Adam and Nadam on Fashion-MNIST; their
// learning curves in reports/optimizers.html. The book's code is in lib/optimizers.ts.
// Default: 10,000 images, 3 epochs per optimizer; `-- --quick` for a smoke run.
import { exampleCli } from './lib/cli.ts';
import { optimizersExample } from './lib/optimizers.ts';

await exampleCli(optimizersExample);
