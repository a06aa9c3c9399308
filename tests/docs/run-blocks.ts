// Runs the docs' ```ts blocks that a ```text output block follows (doc-blocks.ts has the
// convention) and returns what they print: each block, hidden context and the blocks it
// continues included, is written as a module under tests/docs/.run/ with 'webgrad.js' pointing
// at src/index.ts, imported, and its console.log calls captured while it runs.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Block, ROOT } from './doc-blocks.ts';
import { type Source, sources } from './typecheck.ts';

export interface Runnable {
  source: Source;
  /** The output block's lines. */
  expected: string[];
}

/** The ts blocks followed by an output block, with their modules (continued blocks chained). */
export function runnable(all: Block[]): Runnable[] {
  const ts = all.filter((b) => (b.lang === 'ts' || b.lang === 'typescript') && b.excerptOf === null);
  const bySource = new Map(sources(ts).map((s) => [s.block, s]));
  return all.flatMap((b, i) => {
    const next = all[i + 1];
    const source = bySource.get(b);
    return source && next?.output && next.file === b.file ? [{ source, expected: next.body }] : [];
  });
}

/** A printed value as the docs write it: arrays (typed too) as [a, b], the rest as String. */
export function show(v: unknown): string {
  if (Array.isArray(v) || ArrayBuffer.isView(v)) return `[${Array.from(v as ArrayLike<unknown>, show).join(', ')}]`;
  return typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v);
}

let count = 0;

/** Runs the block's module and returns its printed lines. */
export async function run(s: Source): Promise<string[]> {
  const dir = join(ROOT, 'tests/docs/.run');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${s.block.file.replace(/\W/g, '_')}_${s.block.line}_${count++}.ts`);
  const index = pathToFileURL(join(ROOT, 'src/index.ts')).href;
  writeFileSync(path, s.text.replace(/from 'webgrad\.js'/g, `from '${index}'`));
  const printed: string[] = [];
  const log = console.log;
  console.log = (...args: unknown[]) => printed.push(args.map(show).join(' '));
  try {
    await import(/* @vite-ignore */ pathToFileURL(path).href);
  } finally {
    console.log = log;
  }
  return printed.flatMap((p) => p.split('\n'));
}
