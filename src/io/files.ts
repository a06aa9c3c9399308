// The entry point of src/io: tells a Keras file's container from its first bytes and hands
// it to the matching reader or writer. Where the bytes come from is separate: node-files.ts
// (Node; import it dynamically) and browser-files.ts (fetch, File, IndexedDB, download).
// Read next: model-file.ts (what a ModelFile holds), h5-legacy.ts, keras-zip.ts.

import type { ReadOptions } from './bounds.ts';
import { ModelFileError } from './errors.ts';
import { readH5Model, writeH5Model } from './h5-legacy.ts';
import { readKerasModel, writeKerasModel } from './keras-zip.ts';
import type { ModelFile } from './model-file.ts';

const HDF5_SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]; // \x89HDF\r\n\x1a\n
const ZIP_SIGNATURE = [0x50, 0x4b, 0x03, 0x04]; // PK\x03\x04, a zip's first local file header

function startsWith(bytes: Uint8Array, signature: number[], offset = 0): boolean {
  return signature.every((b, i) => bytes[offset + i] === b);
}

/**
 * 'h5' for an HDF5 file (`.h5`, `.weights.h5`), 'keras' for a zip (`.keras`). The HDF5
 * signature may also follow a user block, at offset 512, 1024, 2048, ... (HDF5 spec, superblock).
 */
export function detectFormat(bytes: Uint8Array, label = 'model file'): 'h5' | 'keras' {
  if (startsWith(bytes, ZIP_SIGNATURE)) return 'keras';
  for (let offset = 0; offset + HDF5_SIGNATURE.length <= bytes.length; offset = offset === 0 ? 512 : offset * 2) {
    if (startsWith(bytes, HDF5_SIGNATURE, offset)) return 'h5';
  }
  const head = Array.from(bytes.subarray(0, 8), (b) => b.toString(16).padStart(2, '0')).join(' ');
  const cutShort = (signature: number[]) =>
    bytes.length < signature.length && bytes.every((b, i) => b === signature[i]);
  if (cutShort(HDF5_SIGNATURE) || cutShort(ZIP_SIGNATURE)) {
    throw new ModelFileError(
      'truncated',
      `${label}: only ${bytes.length} bytes${head ? ` (${head})` : ''}; the file is empty or cut short`,
    );
  }
  throw new ModelFileError(
    'unknown-format',
    `${label}: neither HDF5 (starts 89 48 44 46 0d 0a 1a 0a) nor a zip archive (starts 50 4b 03 04); it starts ${head || '(empty file)'}. Expected a Keras .h5, .keras or .weights.h5 file`,
  );
}

/** Reads a whole-model file of either format; `options.plan` checks its weights against the model's before reading them. */
export async function readModelFile(bytes: Uint8Array, label = 'model file', options: ReadOptions = {}): Promise<ModelFile> {
  return detectFormat(bytes, label) === 'h5' ? readH5Model(bytes, label, options) : readKerasModel(bytes, label, options);
}

/** Writes `m` in its own format (m.format). */
export async function writeModelFile(m: ModelFile): Promise<Uint8Array> {
  return m.format === 'h5' ? writeH5Model(m) : writeKerasModel(m);
}
