// Model files in a browser: bytes from a URL (fetch), from a user's <input type=file> or
// drop (File/Blob), to the user's downloads (an anchor with `download`), and in IndexedDB
// under keys written 'indexeddb://name' (the scheme TensorFlow.js uses for the same purpose).
// fetchBytes and blobBytes also work in Node. Read next: files.ts (reading the bytes).

import { MAX_MODEL_BYTES } from './bounds.ts';
import { causeText, ModelFileError } from './errors.ts';
import { readBlob, readBody, type TooLarge } from './read-body.ts';

/** The 'too-large' error for a model file past MAX_MODEL_BYTES; `declared`: its header or size said so. */
export const modelTooLarge =
  (label: string): TooLarge =>
  (seen, max, declared) =>
    new ModelFileError(
      'too-large',
      `${label}: ${declared ? 'declares' : 'sent more than'} ${seen.toLocaleString('en-US')} bytes, more than a model file may take (${max.toLocaleString('en-US')}); refused ${declared ? 'before reading it' : 'there'}`,
    );

/**
 * The bytes at `url`, at most MAX_MODEL_BYTES (a lying Content-Length is caught while
 * reading); an HTTP error or a failed request is a 'file-not-found' error.
 */
export async function fetchBytes(url: string): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (e) {
    throw new ModelFileError('file-not-found', `cannot fetch ${url}: ${causeText(e)}`, { cause: e });
  }
  if (!response.ok) {
    throw new ModelFileError('file-not-found', `cannot fetch ${url}: HTTP ${response.status} ${response.statusText}`);
  }
  return readBody(response, MAX_MODEL_BYTES, modelTooLarge(url));
}

/** The bytes of a File (from an <input type=file> or a drop) or any Blob, at most MAX_MODEL_BYTES. */
export async function blobBytes(blob: Blob, label = 'model blob'): Promise<Uint8Array> {
  return readBlob(blob, MAX_MODEL_BYTES, modelTooLarge(label));
}

/** Offers `bytes` to the user as a download named `filename`. */
export function downloadBytes(bytes: Uint8Array, filename: string): void {
  if (typeof document === 'undefined') {
    throw new ModelFileError(
      'browser-storage',
      `cannot download ${filename}: there is no document here (in Node, write the file with node-files.ts writeFileAtomic)`,
    );
  }
  const url = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' }));
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = filename;
  anchor.style.display = 'none';
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  // The download has taken its copy of the blob once click() returns; free the URL after
  // the current task so that browsers that start it asynchronously still find it.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

const SCHEME = 'indexeddb://';
const DB_NAME = 'webgrad-models';
const STORE = 'models';

function keyName(key: string): string {
  if (!key.startsWith(SCHEME) || key.length === SCHEME.length) {
    throw new ModelFileError(
      'browser-storage',
      `IndexedDB key ${JSON.stringify(key)} must look like '${SCHEME}my-model'`,
    );
  }
  return key.slice(SCHEME.length);
}

/** Resolves an IDBRequest; `what` names the operation in errors. */
function request<T>(req: IDBRequest<T>, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () =>
      reject(
        new ModelFileError('browser-storage', `${what}: ${req.error?.message ?? 'IndexedDB error'}`, {
          cause: req.error,
        }),
      );
  });
}

async function openDb(what: string): Promise<IDBDatabase> {
  if (typeof indexedDB === 'undefined') {
    throw new ModelFileError(
      'browser-storage',
      `${what}: IndexedDB is not available here (in Node, use node-files.ts)`,
    );
  }
  const open = indexedDB.open(DB_NAME, 1);
  open.onupgradeneeded = () => open.result.createObjectStore(STORE);
  return request(open, `${what}: opening IndexedDB database ${DB_NAME}`);
}

/** Stores `bytes` under `key` ('indexeddb://name'), replacing what was there. */
export async function saveToIndexedDB(key: string, bytes: Uint8Array): Promise<void> {
  const name = keyName(key);
  const what = `saving ${key}`;
  const db = await openDb(what);
  try {
    const tx = db.transaction(STORE, 'readwrite');
    tx.objectStore(STORE).put(bytes.slice(), name);
    await new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onerror = tx.onabort = () =>
        reject(
          new ModelFileError('browser-storage', `${what}: ${tx.error?.message ?? 'transaction failed'}`, {
            cause: tx.error,
          }),
        );
    });
  } finally {
    db.close();
  }
}

/** The bytes stored under `key` ('indexeddb://name'); 'file-not-found' when there are none. */
export async function loadFromIndexedDB(key: string): Promise<Uint8Array> {
  const name = keyName(key);
  const what = `loading ${key}`;
  const db = await openDb(what);
  try {
    const value: unknown = await request(db.transaction(STORE, 'readonly').objectStore(STORE).get(name), what);
    if (!(value instanceof Uint8Array))
      throw new ModelFileError('file-not-found', `${what}: nothing is stored under this key`);
    return value;
  } finally {
    db.close();
  }
}
