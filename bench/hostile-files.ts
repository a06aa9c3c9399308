// bench/hostile-files: what three hostile inputs cost (issue 24), each loaded in its own Node
// process under /usr/bin/time -v: wall time to the error and peak RSS. The inputs are made
// here, into a temporary folder:
// - keras-bomb: a 3 MB .keras whose model.weights.h5 inflates to 3 GiB of zeros (and declares it);
// - keras-liar: the same entry declaring 400 KiB (a lying header: inflation must stop at the bound);
// - idx-bomb: a 4 MB train-images-idx3-ubyte.gz claiming 2,000,000,000 images of 28x28, then 4 GiB of zeros
//   (loaded with Debian's other three Fashion-MNIST files);
// - dense-2e9: a .keras whose config has a Dense of 2,000,000,000 units.
// Target: a named webgrad error in under 1 s and under 300 MiB of peak memory.
// Usage: npm run bench:hostile [-- --lib /path/to/dist/node.js]   (--lib: measure another build, e.g. main's)

import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createDeflateRaw, createGzip, crc32 } from 'node:zlib';
import { unzipSync } from 'fflate';
import { part, zipArchive } from '../tests/util/zip-writer.ts';

const { values } = parseArgs({ options: { lib: { type: 'string', default: 'webgrad.js' }, child: { type: 'string' }, dir: { type: 'string' } } });
type Webgrad = typeof import('webgrad.js');
const GIB = 1024 ** 3;
/** A case still running after this is killed (main's lying-header case inflates on and on). */
const TIMEOUT_S = 180;
const DEBIAN = '/usr/share/datasets/fashion-mnist';

/** Deflates (raw, or gzip) `total` bytes of zeros after `head`, streaming: nothing of that size is held. */
async function compressZeros(kind: 'raw' | 'gzip', head: Uint8Array, total: number): Promise<{ data: Buffer; crc: number }> {
  const stream = kind === 'raw' ? createDeflateRaw({ level: 9 }) : createGzip({ level: 9 });
  const out: Buffer[] = [];
  stream.on('data', (c: Buffer) => out.push(c));
  const done = new Promise((resolve) => stream.on('end', resolve));
  const zeros = Buffer.alloc(64 * 1024 * 1024);
  let crc = crc32(head);
  stream.write(head);
  for (let left = total; left > 0; left -= zeros.length) {
    const part = zeros.subarray(0, Math.min(left, zeros.length));
    crc = crc32(part, crc);
    if (!stream.write(part)) await new Promise((resolve) => stream.once('drain', resolve));
  }
  stream.end();
  await done;
  return { data: Buffer.concat(out), crc };
}

/** Writes the hostile inputs into `dir`, from a small model's real config. */
async function makeInputs(dir: string, wg: Webgrad): Promise<void> {
  await wg.ready();
  const model = new wg.Sequential([new wg.Dense(10, { inputShape: [784], activation: 'softmax' })]);
  const parts = unzipSync(await model.toBytes('keras'));
  model.dispose();
  const meta = part('metadata.json', parts['metadata.json']);
  const config = part('config.json', parts['config.json']);
  const bomb = await compressZeros('raw', new Uint8Array(0), 3 * GIB);
  const weights = { name: 'model.weights.h5', data: bomb.data, method: 8, crc: bomb.crc };
  writeFileSync(join(dir, 'bomb.keras'), zipArchive([meta, config, { ...weights, size: 3 * GIB }]));
  writeFileSync(join(dir, 'liar.keras'), zipArchive([meta, config, { ...weights, size: 400 * 1024 }]));
  const edited = new TextDecoder().decode(parts['config.json']).replace('"units": 10', '"units": 2000000000');
  writeFileSync(join(dir, 'dense-2e9.keras'), zipArchive([meta, part('config.json', new TextEncoder().encode(edited)), part('model.weights.h5', parts['model.weights.h5'])]));
  const header = new Uint8Array(16);
  new DataView(header.buffer).setUint32(0, 0x00000803);
  [2_000_000_000, 28, 28].forEach((d, i) => new DataView(header.buffer).setUint32(4 + 4 * i, d));
  const idx = join(dir, 'fmnist');
  mkdirSync(idx);
  writeFileSync(join(idx, 'train-images-idx3-ubyte.gz'), (await compressZeros('gzip', header, 4 * GIB)).data);
  for (const f of ['train-labels-idx1-ubyte.gz', 't10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz']) copyFileSync(join(DEBIAN, f), join(idx, f));
}

const CASES = {
  'keras-bomb': (wg: Webgrad, dir: string) => wg.loadModel(join(dir, 'bomb.keras')),
  'keras-liar': (wg: Webgrad, dir: string) => wg.loadModel(join(dir, 'liar.keras')),
  'idx-bomb': (wg: Webgrad, dir: string) => wg.loadFashionMnist({ path: join(dir, 'fmnist'), download: false }),
  'dense-2e9': (wg: Webgrad, dir: string) => wg.loadModel(join(dir, 'dense-2e9.keras')),
};
type Case = keyof typeof CASES;

/** The child: one case, timed from the load call to its error; one JSON line on stdout. */
async function child(name: Case, dir: string): Promise<void> {
  const wg = (await import(values.lib!)) as Webgrad;
  await wg.ready(); // the device is not part of what the file costs
  const start = performance.now();
  const error = await CASES[name](wg, dir).then(
    () => null,
    (e: unknown) => e as Error & { code?: string },
  );
  const ms = performance.now() - start;
  console.log(JSON.stringify({ ms, error: error && `${error.name}${error.code ? ` (${error.code})` : ''}: ${error.message}` }));
  process.exit(0);
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'webgrad-hostile-'));
  try {
    await makeInputs(dir, (await import('webgrad.js')) as Webgrad);
    console.log(`inputs in ${dir}; webgrad from ${values.lib}; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
    console.log('| case | file | time to error | peak RSS | error |\n|---|---|---|---|---|');
    for (const name of Object.keys(CASES) as Case[]) {
      // timeout(1) kills the case, not time(1), which still reports the peak it reached.
      const command = ['-v', 'timeout', '-s', 'KILL', String(TIMEOUT_S), process.execPath, ...process.execArgv, process.argv[1], '--child', name, '--dir', dir, '--lib', values.lib!];
      const run = spawnSync('/usr/bin/time', command, { encoding: 'utf8' });
      const rssKb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(run.stderr)?.[1] ?? NaN);
      const line = run.stdout.trim().split('\n').pop() ?? '';
      const result = line.startsWith('{') ? (JSON.parse(line) as { ms: number; error: string | null }) : { ms: NaN, error: run.status === 137 ? `no result: killed after ${TIMEOUT_S} s` : `no result (exit ${run.status}): ${run.stderr.split('\n').slice(-3).join(' ')}` };
      const file = { 'keras-bomb': 'bomb.keras', 'keras-liar': 'liar.keras', 'idx-bomb': 'fmnist/train-images-idx3-ubyte.gz', 'dense-2e9': 'dense-2e9.keras' }[name];
      const size = `${(statSync(join(dir, file)).size / 1e6).toFixed(1)} MB`;
      const time = Number.isNaN(result.ms) ? `> ${TIMEOUT_S} s` : `${(result.ms / 1000).toFixed(2)} s`;
      console.log(`| ${name} | ${size} | ${time} | ${Number.isNaN(rssKb) ? '?' : `${(rssKb / 1024).toFixed(0)} MiB`} | ${(result.error ?? 'loaded').slice(0, 220).replace(/\|/g, '\\|')} |`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (values.child) await child(values.child as Case, values.dir!);
else await main();
