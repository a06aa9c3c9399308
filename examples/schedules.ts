// `npm run example:schedules`: Hands-On ML ch. 11's learning-rate schedules — power,
// exponential, piecewise constant, performance (ReduceLROnPlateau), the ExponentialDecay
// object and 1cycle — each run's rate per epoch and loss curves in reports/schedules.html.
// The book's code is in lib/schedules.ts. Default: 1,000 images, the book's 25 epochs.
import { exampleCli } from './lib/cli.ts';
import { schedulesExample } from './lib/schedules.ts';

await exampleCli(schedulesExample);
