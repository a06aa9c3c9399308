// Test helper: the bytes of a file on disk, in both test projects. Node reads it with fs;
// the Chromium project asks the Vitest server through its browser command
// `commands.readFile` (which needs the file inside Vite's server.fs.allow).
// Paths are absolute or relative to the repository root.

/** Where the shared test fixtures sit, relative to the repository root. */
export const FIXTURES = '../shared/fixtures';

const inBrowser = typeof window !== 'undefined';

export async function readBytes(path: string): Promise<Uint8Array> {
  if (inBrowser) {
    const { commands } = await import('vitest/browser');
    const base64 = await commands.readFile(path, 'base64');
    return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  }
  const { readFile } = await import('node:fs/promises');
  const { resolve } = await import('node:path');
  const { fileURLToPath } = await import('node:url');
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const buffer = await readFile(resolve(root, path));
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}
