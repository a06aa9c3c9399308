// Prints Vitest's JSON results as the plain closing line CI reads: "N passed, N failed",
// summed over every results file given (npm test's, then npm run test:plain's).
import { readFileSync } from 'node:fs';

const runs = process.argv.slice(2).map((f) => JSON.parse(readFileSync(f, 'utf8')));
const total = (key) => runs.reduce((n, r) => n + r[key], 0);
const skipped = total('numPendingTests') + total('numTodoTests');
console.log(`${total('numPassedTests')} passed, ${total('numFailedTests')} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(total('numFailedTests') === 0 && runs.every((r) => r.success) ? 0 : 1);
