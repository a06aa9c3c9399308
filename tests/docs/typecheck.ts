// Type-checks the docs' ```ts blocks with the TypeScript compiler API, in one program with
// src/: each block is a virtual module next to its Markdown file (nothing is written to
// disk), 'webgrad.js' maps to src/index.ts through `paths`, and errors point at the line of
// the .md file. Used by doc-blocks.node.test.ts; the block convention is in doc-blocks.ts.

import { dirname, join } from 'node:path';
import ts from 'typescript';
import { type Block, ROOT } from './doc-blocks.ts';

export interface Source {
  /** Virtual path of the module. */
  path: string;
  text: string;
  /** Lines of the module before the block's own first line (context, earlier blocks). */
  offset: number;
  block: Block;
}

/** One module per ```ts block; a `continued` block starts with the module before it. */
export function sources(blocks: Block[]): Source[] {
  const out: Source[] = [];
  let previous: Source | null = null;
  blocks.forEach((b, i) => {
    if (b.continued && previous?.block.file !== b.file) {
      throw new Error(`${b.file}:${b.line}: a 'continued' block needs an earlier ts block in the same file`);
    }
    const head = [...(b.continued && previous ? previous.text.split('\n') : []), ...b.preamble];
    const path = join(ROOT, dirname(b.file), `${b.file.replace(/\W/g, '_')}.block${i}.ts`);
    // `export {}` keeps a block without imports a module (top-level await, its own scope).
    const text = [...head, ...b.body, 'export {};'].join('\n');
    previous = { path, text, offset: head.length, block: b };
    out.push(previous);
  });
  return out;
}

function compilerOptions(): ts.CompilerOptions {
  const configPath = join(ROOT, 'tsconfig.json');
  const config = ts.readConfigFile(configPath, ts.sys.readFile);
  if (config.error) throw new Error(ts.flattenDiagnosticMessageText(config.error.messageText, '\n'));
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT, undefined, configPath);
  return {
    ...parsed.options,
    // Examples may show a value without using it afterwards.
    noUnusedLocals: false,
    noUnusedParameters: false,
    baseUrl: ROOT,
    paths: { 'webgrad.js': ['src/index.ts'], 'webgrad.js/*': ['*'] },
  };
}

/** "file.md:line: message" for every error in the blocks (none when they all compile). */
export function typecheck(srcs: Source[]): string[] {
  const options = compilerOptions();
  const host = ts.createCompilerHost(options);
  const byPath = new Map(srcs.map((s) => [s.path, s]));
  const { fileExists, readFile, getSourceFile } = host;
  host.fileExists = (f) => byPath.has(f) || fileExists.call(host, f);
  host.readFile = (f) => byPath.get(f)?.text ?? readFile.call(host, f);
  host.getSourceFile = (f, lang, ...rest) => {
    const s = byPath.get(f);
    return s ? ts.createSourceFile(f, s.text, lang, true, ts.ScriptKind.TS) : getSourceFile.call(host, f, lang, ...rest);
  };
  const program = ts.createProgram([...byPath.keys()], options, host);
  const errors: string[] = [];
  for (const s of srcs) {
    const sf = program.getSourceFile(s.path)!;
    const diagnostics = [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)];
    for (const d of diagnostics) {
      const line = d.start === undefined ? 0 : sf.getLineAndCharacterOfPosition(d.start).line;
      const where =
        line >= s.offset
          ? `${s.block.file}:${s.block.line + 1 + line - s.offset}`
          : `${s.block.file}:${s.block.line} (in its hidden context or the block it continues, line ${line + 1})`;
      errors.push(`${where}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
    }
  }
  return errors;
}
