// The docs cannot rot: every ```ts block of README.md and docs/*.md type-checks against
// src/, every quoted excerpt is still in its source file (doc-blocks.ts has the conventions),
// every relative link points at a file (and heading) that exists, and every npm command the
// docs show is a script of package.json — the README's two commands first. Node only: it
// reads files.

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { anchors, type Block, blocks, docFiles, isExcerpt, LANGUAGES, read, relativeLinks, ROOT, rel } from './doc-blocks.ts';
import { sources, typecheck } from './typecheck.ts';

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
const files = docFiles();
const all = files.flatMap(blocks);

describe('doc code blocks', () => {
  it('finds the docs and their ts blocks', () => {
    expect(files).toEqual(expect.arrayContaining(['README.md', 'docs/keras-to-webgrad.md', 'docs/how-it-works.md']));
    for (const f of ['README.md', 'docs/keras-to-webgrad.md', 'docs/how-it-works.md']) {
      expect(all.filter((b) => b.file === f && b.lang === 'ts').length, f).toBeGreaterThan(0);
    }
  });

  it('uses only known fence languages (so no code escapes the checks)', () => {
    const odd = all.filter((b) => !(LANGUAGES as readonly string[]).includes(b.lang)).map((b) => `${b.file}:${b.line}: '${b.lang}'`);
    expect(odd, `allowed: ${LANGUAGES.join(', ')}`).toEqual([]);
  });

  // One compiler program for the docs' blocks and a block that must fail (the check can fail).
  const bad: Block = { file: 'docs/bad.md', line: 10, lang: 'ts', continued: false, excerptOf: null, preamble: [], body: ["import { Dense } from 'webgrad.js';", "new Dense('300');"] };
  const compiled = all.filter((b) => (b.lang === 'ts' || b.lang === 'typescript') && b.excerptOf === null);
  let errors: string[] = [];
  beforeAll(() => {
    errors = typecheck(sources([...compiled, bad]));
  });

  it('type-checks every ts block against src/', () => {
    expect(errors.filter((e) => !e.startsWith('docs/bad.md'))).toEqual([]);
  });

  it('reports a block that does not compile, at its line of the .md file', () => {
    expect(errors.filter((e) => e.startsWith('docs/bad.md'))).toEqual([
      expect.stringMatching(/^docs\/bad\.md:12: Argument of type 'string' is not assignable/),
    ]);
  });

  it('quotes source (excerpt blocks) exactly as it is in the file, and WGSL only that way', () => {
    const stale = all
      .filter((b) => b.excerptOf !== null || b.lang === 'wgsl')
      .filter((b) => !b.excerptOf || !existsSync(join(ROOT, b.excerptOf)) || !isExcerpt(b.body, read(b.excerptOf)))
      .map((b) => `${b.file}:${b.line}: ${b.excerptOf ? `not found in ${b.excerptOf}` : 'a wgsl block must be an excerpt of a file'}`);
    expect(stale).toEqual([]);
  });

  it('an excerpt must keep the order of its source and mark its gaps (the check can fail)', () => {
    expect(isExcerpt(['a();', '// ...', 'c();'], 'a();\nb();\n  c();')).toBe(true);
    expect(isExcerpt(['c();', 'a();'], 'a();\nb();\nc();')).toBe(false);
    expect(isExcerpt(['d();'], 'a();\nb();\nc();')).toBe(false);
    expect(isExcerpt(['a();', 'c();'], 'a();\nb();\nc();')).toBe(false); // a gap without `// ...`
    expect(isExcerpt(['a();', 'b();'], 'a();\n\nb();')).toBe(true);
  });
});

describe('doc commands and links', () => {
  it("the README's first block is the two commands, and both are npm scripts", () => {
    const first = blocks('README.md')[0];
    expect(first.lang).toBe('bash');
    const commands = first.body.map((l) => l.replace(/#.*/, '').trim()).filter(Boolean);
    expect(commands).toEqual(['npm start', 'npm test']);
    expect(pkg.scripts.start).toBeTypeOf('string');
    expect(pkg.scripts.test).toBeTypeOf('string');
  });

  it('the files those scripts run exist', () => {
    for (const name of ['start', 'test', 'docs', 'sz']) {
      const paths = pkg.scripts[name].match(/[\w./-]+\.(?:ts|mjs|sh)\b/g) ?? [];
      for (const p of paths) expect(existsSync(join(ROOT, p)), `npm run ${name}: ${p}`).toBe(true);
    }
  });

  it('every npm command the docs show is a script', () => {
    const missing: string[] = [];
    for (const file of files) {
      read(file)
        .split('\n')
        .forEach((line, i) => {
          for (const m of line.matchAll(/\bnpm (?:run ([\w:.-]+)|(start|test)\b)/g)) {
            const name = m[1] ?? m[2];
            if (!(name in pkg.scripts)) missing.push(`${file}:${i + 1}: npm run ${name}`);
          }
        });
    }
    expect(missing).toEqual([]);
  });

  it('every relative link points at a file, and every #anchor at a heading', () => {
    const broken: string[] = [];
    for (const file of files) {
      for (const { line, target } of relativeLinks(file)) {
        const [path, anchor] = target.split('#');
        const abs = path ? normalize(join(ROOT, dirname(file), decodeURIComponent(path))) : join(ROOT, file);
        // docs/api/ is generated by `npm run docs` (and gitignored).
        if (rel(abs).startsWith('docs/api')) continue;
        if (!existsSync(abs)) broken.push(`${file}:${line}: ${target} (no such file)`);
        else if (anchor && abs.endsWith('.md') && !anchors(rel(abs)).has(anchor)) broken.push(`${file}:${line}: ${target} (no such heading)`);
      }
    }
    expect(broken).toEqual([]);
  });
});
