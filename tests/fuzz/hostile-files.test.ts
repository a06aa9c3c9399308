// Property-based hostile files (fast-check, fixed seed; issue 24): real Keras files from
// ../shared/fixtures, webgrad's own small ones in all three formats, and Fashion-MNIST IDX
// files (raw and gzip), mutated at random: bit flips, truncation, overwritten and duplicated
// blocks, zip entries and IDX headers that lie about their sizes, random edits of config.json.
// Every case must end in a named webgrad error (ModelFileError, DatasetError) or a load that
// completes, within a generous time bound (a runaway, not a speed, check), with the GPU's
// memory back where it was and Object.prototype untouched. A failing case is shrunk and
// printed with the seed.
import fc from 'fast-check';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { DatasetError, Dense, Dropout, loadFashionMnist, loadModel, memory, ModelFileError, ready, Sequential, setSeed } from '../../src/index.ts';
import { gzipBytes, idxFile, ramp } from '../data/idx-files.ts';
import { FIXTURES, readBytes } from '../util/files.ts';
import { part, zipArchive } from '../util/zip-writer.ts';

/** Change it (or drop it locally) to explore new cases; fixed, a red CI run reproduces. */
const SEED = 20261207;
/** A case that takes longer has run away (a bomb inflating): on this 2-core CPU box a real load takes well under 2 s. */
const CASE_MS = 20_000;

type Bytes = Uint8Array;

/** A mutation of a file's bytes; `at`, `to` are fractions of its length. */
type Mutation =
  | { kind: 'flip'; bits: { at: number; bit: number }[] }
  | { kind: 'truncate'; at: number }
  | { kind: 'overwrite'; at: number; length: number; value: number }
  | { kind: 'duplicate'; at: number; to: number; length: number };

const fraction = fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true });
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), bits: fc.array(fc.record({ at: fraction, bit: fc.nat({ max: 7 }) }), { minLength: 1, maxLength: 8 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fraction }),
  fc.record({ kind: fc.constant('overwrite' as const), at: fraction, length: fc.integer({ min: 1, max: 4096 }), value: fc.constantFrom(0, 0xff, 0x41) }),
  fc.record({ kind: fc.constant('duplicate' as const), at: fraction, to: fraction, length: fc.integer({ min: 1, max: 4096 }) }),
);

function mutate(bytes: Bytes, m: Mutation): Bytes {
  const pos = (f: number) => Math.floor(f * bytes.length);
  if (m.kind === 'truncate') return bytes.slice(0, pos(m.at));
  const out = bytes.slice();
  if (m.kind === 'flip') for (const { at, bit } of m.bits) out[pos(at)] ^= 1 << bit;
  if (m.kind === 'overwrite') out.fill(m.value, pos(m.at), pos(m.at) + m.length);
  if (m.kind === 'duplicate') out.set(bytes.subarray(pos(m.at), pos(m.at) + m.length).subarray(0, out.length - pos(m.to)), pos(m.to));
  return out;
}

/** A zip whose every central-directory record (signature 50 4b 01 02) may get a lying compressed or uncompressed size. */
function lieInZip(zip: Bytes, lies: { field: 20 | 24; size: number }[]): Bytes {
  const out = zip.slice();
  const view = new DataView(out.buffer);
  let n = 0;
  for (let at = 0; at + 46 <= out.length; at++) {
    if (view.getUint32(at, true) !== 0x02014b50) continue;
    const lie = lies[n++ % lies.length];
    view.setUint32(at + lie.field, lie.size, true);
  }
  return out;
}
const lies = fc.array(fc.record({ field: fc.constantFrom(20 as const, 24 as const), size: fc.oneof(fc.nat({ max: 1 << 20 }), fc.constantFrom(0xffffffff, 3 * 2 ** 30, 2 ** 31)) }), { minLength: 1, maxLength: 3 });

/** Every path in a JSON value, to edit one at random. */
function paths(v: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(prefix);
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...prefix, i], out));
  else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) paths(x, [...prefix, k], out);
  return out;
}
const absurd = fc.oneof(fc.constantFrom(2e9, -1, 0, 1e300, 0.5, null, 'x', [], {}, [null, 2e9], [null, 28, 28, 2e9], '__proto__', JSON.parse('{"__proto__": {"polluted": 1}}')), fc.jsonValue({ maxDepth: 2 }));
const jsonEdit = fc.record({ path: fc.nat(), value: absurd, remove: fc.boolean() });

/** config.json of a `.keras` with one value replaced or removed; the archive rebuilt honestly, so the edit reaches the config checks. */
function editConfig(keras: Bytes, edit: { path: number; value: unknown; remove: boolean }): Bytes {
  const entries = unzipSync(keras);
  const config = JSON.parse(new TextDecoder().decode(entries['config.json'])) as unknown;
  const all = paths(config).filter((p) => p.length > 0);
  const path = all[edit.path % all.length];
  let parent = config as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const last = path[path.length - 1];
  if (edit.remove) delete parent[last];
  else parent[last] = edit.value;
  const json = new TextEncoder().encode(JSON.stringify(config));
  return zipArchive(Object.entries(entries).map(([name, data]) => part(name, name === 'config.json' ? json : data)));
}

/**
 * Runs one case: it must end in an error of one of `named` or complete, in time, with GPU
 * memory back where it was (a loaded model is disposed first).
 */
async function oneCase(run: () => Promise<unknown>, named: (typeof ModelFileError | typeof DatasetError)[]): Promise<void> {
  const before = memory();
  const start = performance.now();
  try {
    const result = await run();
    if (result instanceof Sequential) result.dispose();
    outcomes.loaded++;
  } catch (e) {
    expect(named.some((type) => e instanceof type), `${(e as Error).name}: ${(e as Error).message}`).toBe(true);
    outcomes.refused++;
  }
  expect(performance.now() - start).toBeLessThan(CASE_MS);
  expect(memory()).toMatchObject({ bytesInUse: before.bytesInUse, buffersInUse: before.buffersInUse });
  expect(Object.getOwnPropertyNames(Object.prototype)).toEqual(PROTOTYPE); // no config key reached it
}

const PROTOTYPE = Object.getOwnPropertyNames(Object.prototype);

/** How the cases of one property ended; a property whose every case is refused would prove little about the loads. */
const outcomes = { loaded: 0, refused: 0 };
const counted = async (check: () => Promise<void>) => {
  Object.assign(outcomes, { loaded: 0, refused: 0 });
  await check();
  return { ...outcomes };
};

const runs = (numRuns: number) => ({ seed: SEED, numRuns, endOnFailure: true });

let small: Record<'h5' | 'keras' | 'weights.h5', Bytes>;
let target: Sequential;
beforeAll(async () => {
  await ready();
  // Loading compile information webgrad cannot rebuild warns; thousands of warnings say nothing here.
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  setSeed(3);
  const model = new Sequential([new Dense(8, { activation: 'relu', inputShape: [6] }), new Dropout(0.2), new Dense(3, { activation: 'softmax' })]);
  model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy' });
  small = { h5: await model.toBytes('h5'), keras: await model.toBytes('keras'), 'weights.h5': await model.toBytes('weights.h5') };
  target = model;
});
afterAll(() => {
  target.dispose();
  vi.restoreAllMocks();
});

describe('model files', () => {
  const load = (format: keyof typeof small, bytes: Bytes) => () => (format === 'weights.h5' ? target.loadWeights(bytes) : loadModel(bytes));

  test.each(['h5', 'keras', 'weights.h5'] as const)("webgrad's own %s file, mutated", async (format) => {
    const seen = await counted(() =>
      fc.assert(
        fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 3 }), async (ms) => {
          await oneCase(load(format, ms.reduce(mutate, small[format])), [ModelFileError]);
        }),
        runs(40),
      ),
    );
    expect(seen.refused).toBeGreaterThan(0);
    // HDF5 has no checksum over its data: some flips land in weight values, and the file still loads.
    if (format !== 'keras') expect(seen.loaded).toBeGreaterThan(0);
  });

  test('.keras with lying zip sizes, and with random edits of config.json', async () => {
    await fc.assert(
      fc.asyncProperty(lies, async (l) => oneCase(load('keras', lieInZip(small.keras, l)), [ModelFileError])),
      runs(30),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(jsonEdit, { minLength: 1, maxLength: 3 }), async (edits) => oneCase(load('keras', edits.reduce(editConfig, small.keras)), [ModelFileError])),
      runs(40),
    );
  });

  test.each(['keras/model_A_keras3.5.keras', 'keras/model_A_keras2.4.h5', 'keras-corpus/schr0841__HOML3e__my_model_A.keras'])('the real file %s, mutated', async (name) => {
    const bytes = await readBytes(`${FIXTURES}/${name}`);
    const lying = name.endsWith('.keras') ? [fc.constant(null), lies] : [fc.constant(null)];
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 2 }), fc.oneof(...lying), async (ms, l) => {
        const mutated = ms.reduce(mutate, l ? lieInZip(bytes, l) : bytes);
        await oneCase(() => loadModel(mutated, { compile: false }), [ModelFileError]);
      }),
      runs(12),
    );
  });
});

describe('Fashion-MNIST IDX files', () => {
  const names = ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'];
  const raw = [idxFile([3, 28, 28], ramp(3 * 784)), idxFile([3], [1, 2, 3]), idxFile([2, 28, 28], ramp(2 * 784)), idxFile([2], [4, 5])];
  /** Header fields (a dimension, or ndims) that lie: counts far past the kind, zero, huge. */
  const header = fc.record({ dim: fc.nat({ max: 3 }), value: fc.oneof(fc.nat({ max: 70000 }), fc.constantFrom(0, 2e9, 0xffffffff, 27, 29)) });

  test('one of the four files mutated (header lies, bit flips, truncation, blocks), raw or gzip', async () => {
    const gz = await Promise.all(raw.map(gzipBytes));
    const seen = await counted(() => fc.assert(
      fc.asyncProperty(fc.nat({ max: 3 }), fc.boolean(), fc.option(header, { nil: null }), fc.array(mutation, { maxLength: 2 }), async (which, zipped, lie, ms) => {
        let file: Bytes = raw[which].slice();
        if (lie) {
          const at = Math.min(4 + 4 * (lie.dim - 1), file.length - 4);
          if (lie.dim === 0) file[3] = lie.value & 0xff;
          else new DataView(file.buffer).setUint32(at, lie.value >>> 0, false);
        }
        if (zipped) file = lie ? await gzipBytes(file) : gz[which];
        file = ms.reduce(mutate, file);
        const files = Object.fromEntries(names.map((n, i) => [n, i === which ? file : raw[i]]));
        await oneCase(() => loadFashionMnist({ files }), [DatasetError]);
      }),
      runs(100),
    ));
    expect(seen).toMatchObject({ loaded: expect.any(Number), refused: expect.any(Number) });
    expect(Math.min(seen.loaded, seen.refused)).toBeGreaterThan(0);
  });
});
