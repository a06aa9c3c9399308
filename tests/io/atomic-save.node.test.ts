// Node file helpers (node-only: they touch the file system): writeFileAtomic replaces a
// file whole or not at all and leaves no temporary file behind; readFileBytes and the
// writer name what went wrong.

import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { ModelFileError } from '../../src/io/errors.ts';
import { fsError, readFileBytes, writeFileAtomic } from '../../src/io/node-files.ts';
import { rejectsWith } from '../util/expect-error.ts';

let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'webgrad-io-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const rejection = (promise: Promise<unknown>) => rejectsWith(promise, ModelFileError);

describe('writeFileAtomic', () => {
  test('writes a new file and replaces an existing one, leaving only the target', async () => {
    const target = join(dir, 'model.h5');
    await writeFileAtomic(target, new Uint8Array([1, 2, 3]));
    expect(new Uint8Array(await readFile(target))).toEqual(new Uint8Array([1, 2, 3]));
    await writeFileAtomic(target, new Uint8Array([4, 5]));
    expect(new Uint8Array(await readFile(target))).toEqual(new Uint8Array([4, 5]));
    expect(await readdir(dir)).toEqual(['model.h5']);
  });

  test('a failure before the rename keeps the old bytes and removes the temporary file', async () => {
    const target = join(dir, 'model.keras');
    await writeFile(target, new Uint8Array([9, 9, 9]));
    let seenTemp = '';
    const error = await rejection(
      writeFileAtomic(target, new Uint8Array(1000).fill(7), {
        beforeRename: async (temp) => {
          seenTemp = temp;
          // The new bytes are complete on disk before the rename.
          expect((await readFile(temp)).length).toBe(1000);
          throw new Error('disk unplugged');
        },
      }),
    );
    expect(error.code).toBe('write-failed');
    expect(error.message).toContain(target);
    expect(error.message).toContain('disk unplugged');
    expect(seenTemp.startsWith(dir)).toBe(true);
    expect(new Uint8Array(await readFile(target))).toEqual(new Uint8Array([9, 9, 9]));
    expect(await readdir(dir)).toEqual(['model.keras']);
  });

  test('a missing directory and a directory as target are named errors', async () => {
    const missing = await rejection(writeFileAtomic(join(dir, 'no-such-dir', 'm.h5'), new Uint8Array(1)));
    expect(missing.code).toBe('file-not-found');
    expect(missing.message).toContain(`its directory ${join(dir, 'no-such-dir')} does not exist`);
    await mkdir(join(dir, 'sub'));
    const isDir = await rejection(writeFileAtomic(join(dir, 'sub'), new Uint8Array(1)));
    expect(isDir.code).toBe('is-directory');
    expect(await readdir(dir)).toEqual(['sub']);
  });
});

describe('readFileBytes', () => {
  test('reads bytes; a missing file and a directory are named errors', async () => {
    await writeFile(join(dir, 'a.h5'), new Uint8Array([1, 2]));
    expect(await readFileBytes(join(dir, 'a.h5'))).toEqual(new Uint8Array([1, 2]));
    const missing = await rejection(readFileBytes(join(dir, 'b.h5')));
    expect([missing.code, missing.message]).toEqual(['file-not-found', `no such file: ${join(dir, 'b.h5')}`]);
    expect((await rejection(readFileBytes(dir))).code).toBe('is-directory');
  });

  test('permission errors are named (mapped from the errno code: tests run as root, which no mode bit stops)', () => {
    const denied = fsError(
      Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' }),
      '/srv/m.h5',
      'read',
    );
    expect([denied.code, denied.message]).toEqual(['permission-denied', 'permission denied to read /srv/m.h5']);
    expect(fsError(Object.assign(new Error('x'), { code: 'EPERM' }), '/srv/m.h5', 'write').code).toBe(
      'permission-denied',
    );
  });
});
