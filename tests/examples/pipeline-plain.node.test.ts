// The transfer-learning pipeline (npm start) gives the same report on the plain path
// (WEBGRAD_PLAIN=1: no speed-up of src/fast) as with every speed-up: issue 21's "done when",
// at one epoch per phase on the real Fashion-MNIST. The report's figures (resultTable: test
// loss to 4 decimals, accuracy and error rate to 0.01%) and every epoch's logs are compared.
// Node only: two pipelines take ~30 s on lavapipe, minutes on SwiftShader.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { loadFashionMnist, ready, transferLearningSplits, type TransferLearningSplits } from 'webgrad.js';
import { resultTable, runTransferLearning } from '../../examples/lib/transfer-learning.ts';

let data: TransferLearningSplits;
let dir: string;
const g = globalThis as Record<string, unknown>;

beforeAll(async () => {
  await ready();
  data = transferLearningSplits(await loadFashionMnist({ path: '/usr/share/datasets/fashion-mnist' }));
  dir = await mkdtemp(join(tmpdir(), 'webgrad-plain-'));
});

afterAll(async () => {
  delete g.WEBGRAD_PLAIN;
  await rm(dir, { recursive: true, force: true });
});

async function pipeline(plain: boolean) {
  if (plain) g.WEBGRAD_PLAIN = '1';
  else delete g.WEBGRAD_PLAIN;
  return runTransferLearning(data, { epochsScale: 0.05, seed: 42, verbose: 0, modelAPath: join(dir, `model_A_${plain ? 'plain' : 'fast'}.h5`) });
}

test('npm start: the plain path and every speed-up give the same report', async () => {
  const plain = await pipeline(true);
  const fast = await pipeline(false);
  expect(resultTable(fast)).toBe(resultTable(plain));
  expect(fast.phases.map((p) => p.history)).toEqual(plain.phases.map((p) => p.history));
  expect(plain.modelA.testAccuracy).toBeGreaterThan(0.7); // it trained
}, 240_000);
