// Browser-side byte sources and sinks. fetchBytes and blobBytes run in both projects;
// downloads and IndexedDB need a page, and in Node they must fail with a named error.

import { afterEach, describe, expect, test, vi } from 'vitest';
import {
  blobBytes,
  downloadBytes,
  fetchBytes,
  loadFromIndexedDB,
  saveToIndexedDB,
} from '../../src/io/browser-files.ts';
import { ModelFileError } from '../../src/io/errors.ts';
import { rejectsWith } from '../util/expect-error.ts';

const bytes = new Uint8Array([0x89, 0x48, 0x44, 0x46, 0, 255, 1, 2]);
const inBrowser = typeof document !== 'undefined';

const rejection = (promise: Promise<unknown>) => rejectsWith(promise, ModelFileError);

afterEach(() => {
  vi.restoreAllMocks();
});

describe('reading bytes', () => {
  test('blobBytes reads a Blob (and so a File)', async () => {
    expect(await blobBytes(new Blob([bytes]))).toEqual(bytes);
  });

  test('fetchBytes reads a URL and names a failed one', async () => {
    expect(await fetchBytes(`data:application/octet-stream;base64,${btoa(String.fromCharCode(...bytes))}`)).toEqual(
      bytes,
    );
    const url = URL.createObjectURL(new Blob([bytes]));
    URL.revokeObjectURL(url);
    const error = await rejection(fetchBytes(url));
    expect([error.code, error.message.startsWith(`cannot fetch ${url}`)]).toEqual(['file-not-found', true]);
  });
});

// Each test below checks the page behaviour in Chromium and the named error in Node, so
// that both projects run it.

/** In a page: clicks an anchor named `filename` and returns the bytes of the Blob it links. */
async function capturedDownload(filename: string): Promise<{ names: string[]; detached: boolean; bytes: Uint8Array }> {
  const created = vi.spyOn(URL, 'createObjectURL');
  const clicked: HTMLAnchorElement[] = [];
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    clicked.push(this);
  });
  downloadBytes(bytes, filename);
  return {
    names: clicked.map((a) => a.download),
    detached: !clicked[0].isConnected,
    bytes: await blobBytes(created.mock.calls[0][0] as Blob),
  };
}

test('downloadBytes: an anchor download in a page, a named error without a document', async () => {
  if (inBrowser) {
    expect(await capturedDownload('model.keras')).toEqual({ names: ['model.keras'], detached: true, bytes });
  } else {
    expect(() => downloadBytes(bytes, 'model.keras')).toThrow(
      /cannot download model\.keras: there is no document here/,
    );
  }
});

test('IndexedDB: save, load, overwrite, missing and bad keys in a page; named errors in Node', async () => {
  if (!inBrowser) {
    const error = await rejection(saveToIndexedDB('indexeddb://m', bytes));
    expect([error.code, error.message]).toEqual([
      'browser-storage',
      'saving indexeddb://m: IndexedDB is not available here (in Node, use node-files.ts)',
    ]);
    expect((await rejection(loadFromIndexedDB('indexeddb://m'))).code).toBe('browser-storage');
    return;
  }
  await saveToIndexedDB('indexeddb://test-model', bytes);
  expect(await loadFromIndexedDB('indexeddb://test-model')).toEqual(bytes);
  await saveToIndexedDB('indexeddb://test-model', bytes.subarray(2));
  expect(await loadFromIndexedDB('indexeddb://test-model')).toEqual(bytes.subarray(2));
  const missing = await rejection(loadFromIndexedDB('indexeddb://no-such-model'));
  expect([missing.code, missing.message]).toEqual([
    'file-not-found',
    'loading indexeddb://no-such-model: nothing is stored under this key',
  ]);
  expect((await rejection(saveToIndexedDB('my-model', bytes))).message).toMatch(
    /must look like 'indexeddb:\/\/my-model'/,
  );
});
