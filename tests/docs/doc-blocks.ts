// Reads the docs (README.md, docs/*.md) for tests/docs/doc-blocks.node.test.ts: their fenced
// code blocks, the hidden context some blocks declare, and their relative links.
//
// The convention, for doc writers:
// - A ```ts block is a module, type-checked against src/ as if webgrad were installed:
//   `import ... from 'webgrad.js'` is src/index.ts, 'webgrad.js/<path>' is <repo>/<path>.
// - Context a fragment needs but the reader should not see (data it assumes, a model built
//   earlier) goes in an HTML comment right above the fence; Markdown hides it:
//     <!-- doc-test
//     import type { NDArray } from 'webgrad.js';
//     declare const xTrain: NDArray;
//     -->
// - ```ts continued  — the block continues the previous ```ts block of the same file
//   (its source, hidden context included, comes first), like cells of a notebook.
// - ```ts excerpt src/x.ts  (or ```wgsl excerpt ...) — a quotation of the source: each of its
//   lines must appear, in order, in that file, consecutive unless a `// ...` line marks
//   the gap (blank lines aside). Excerpts
//   are compared, not compiled; the file itself is. A ```wgsl block must be an excerpt.
// - ```text output right after a ```ts block — what that block prints, line by line: the
//   block is run (doc-run.node.test.ts) and its console.log lines compared. Arrays print
//   as [a, b], numbers as JavaScript writes them.
// - Other languages are allowed only from LANGUAGES (text is for diagrams; tests/package
//   runs the README's Install examples, the html one included). Every
//   `npm start`, `npm test` and `npm run <name>` the docs show must be a package.json script.

import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Fence languages the docs may use: ts is compiled, wgsl compared with the shaders. */
export const LANGUAGES = ['ts', 'typescript', 'wgsl', 'python', 'bash', 'sh', 'text', 'json', 'html'] as const;

export interface Block {
  /** Markdown file, relative to the repo root. */
  file: string;
  /** 1-based line of the opening fence. */
  line: number;
  lang: string;
  continued: boolean;
  /** The source file a quoted block comes from (`excerpt <path>` in the info string). */
  excerptOf: string | null;
  /** ```text output: what the ts block before it prints (doc-run.node.test.ts runs it). */
  output?: boolean;
  /** Hidden context from a `<!-- doc-test ... -->` comment right above the fence. */
  preamble: string[];
  body: string[];
}

/** README.md and every docs/*.md (docs/api is TypeDoc's output, not ours). */
export function docFiles(): string[] {
  const docs = readdirSync(join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => `docs/${f}`);
  return ['README.md', ...docs];
}

export function read(file: string): string {
  return readFileSync(join(ROOT, file), 'utf8');
}

export function blocks(file: string): Block[] {
  const lines = read(file).split('\n');
  const out: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\S*)\s*(.*)$/.exec(lines[i]);
    if (!open) continue;
    const info = open[2].split(/\s+/);
    const end = lines.findIndex((l, j) => j > i && /^```\s*$/.test(l));
    if (end < 0) throw new Error(`${file}:${i + 1}: code block never closed`);
    out.push({
      file,
      line: i + 1,
      lang: open[1],
      continued: info.includes('continued'),
      excerptOf: info[0] === 'excerpt' ? (info[1] ?? '') : null,
      output: info[0] === 'output',
      preamble: hiddenContext(lines, i),
      body: lines.slice(i + 1, end),
    });
    i = end;
  }
  return out;
}

/** The lines of a `<!-- doc-test ... -->` comment ending on the line above `fence`. */
function hiddenContext(lines: string[], fence: number): string[] {
  if (lines[fence - 1]?.trim() !== '-->') return [];
  const start = lines.lastIndexOf('<!-- doc-test', fence - 1);
  return start < 0 ? [] : lines.slice(start + 1, fence - 1);
}

export interface Link {
  file: string;
  line: number;
  target: string;
}

/** Relative Markdown links `[text](target)` (not http(s), mailto or inline code). */
export function relativeLinks(file: string): Link[] {
  const out: Link[] = [];
  let inFence = false;
  read(file)
    .split('\n')
    .forEach((text, i) => {
      if (text.startsWith('```')) inFence = !inFence;
      if (inFence) return;
      const prose = text.replace(/`[^`]*`/g, '');
      for (const m of prose.matchAll(/\]\(([^)\s]+)\)/g)) {
        if (!/^(https?:|mailto:)/.test(m[1])) out.push({ file, line: i + 1, target: m[1] });
      }
    });
  return out;
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to '-', repeats numbered. */
export function anchors(file: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  let inFence = false;
  for (const line of read(file).split('\n')) {
    if (line.startsWith('```')) inFence = !inFence;
    const h = !inFence && /^#{1,6}\s+(.*)$/.exec(line);
    if (!h) continue;
    const base = h[1]
      .trim()
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n ? `${base}-${n}` : base);
  }
  return out;
}

export const rel = (path: string) => relative(ROOT, path);

/**
 * Whether `excerpt` quotes `source`: its lines occur there in order (spaces at the ends
 * aside), each right after the one before (blank lines aside) unless a `// ...` line
 * between them marks the gap.
 */
export function isExcerpt(excerpt: string[], source: string): boolean {
  const lines = source.split('\n').map((l) => l.trim());
  let at = 0;
  let gap = true; // the first line may be anywhere
  for (const raw of excerpt) {
    const line = raw.trim();
    if (line === '// ...') gap = true;
    if (line === '' || line === '// ...') continue;
    while (!gap && lines[at] === '') at++;
    const found = gap ? lines.indexOf(line, at) : lines[at] === line ? at : -1;
    if (found < 0) return false;
    at = found + 1;
    gap = false;
  }
  return true;
}
