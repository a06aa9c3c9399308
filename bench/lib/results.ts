// Writes a benchmark's figures to bench/results/<name>.json (with adapter and date) and
// regenerates bench/RESULTS.md (bench/peers.md's notes on the peers, then the tables and
// notes of every result file) and the README's "who wins where" table (who-wins.ts).

import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { END, START, whoWins } from './who-wins.ts';

const DIR = new URL('../results/', import.meta.url).pathname;

export interface BenchTable {
  title: string;
  columns: string[];
  rows: (string | number)[][];
}

export interface BenchResult {
  name: string;
  adapter: unknown;
  date: string;
  tables: BenchTable[];
  [k: string]: unknown;
}

function markdown(t: BenchTable): string {
  const cell = (v: string | number) => (typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(2)) : v);
  return [`### ${t.title}`, '', `| ${t.columns.join(' | ')} |`, `|${t.columns.map(() => '---').join('|')}|`, ...t.rows.map((r) => `| ${r.map(cell).join(' | ')} |`), ''].join('\n');
}

export async function saveResult(result: BenchResult): Promise<void> {
  await writeFile(join(DIR, `${result.name}.json`), `${JSON.stringify(result, null, 2)}\n`);
  // By name without .json, so that each Node section comes before its -chromium one.
  const files = (await readdir(DIR)).filter((f) => f.endsWith('.json')).sort((a, b) => a.slice(0, -5).localeCompare(b.slice(0, -5)));
  const peers = await readFile(new URL('../peers.md', import.meta.url), 'utf8');
  const parts = ['# Benchmark results', '', 'Written by `npm run bench` (bench/*.ts); each section from bench/results/<name>.json.', '', peers];
  const all = new Map<string, BenchResult>();
  for (const f of files) {
    const r = JSON.parse(await readFile(join(DIR, f), 'utf8')) as BenchResult;
    all.set(r.name, r);
    if (!r.tables) continue;
    parts.push(`## ${r.name}`, '', `Adapter: \`${JSON.stringify(r.adapter)}\`, ${r.date}`, '', ...r.tables.map(markdown));
    const notes = Array.isArray(r.notes) ? (r.notes as string[]) : [];
    if (notes.length) parts.push('Notes:', '', ...notes.map((n) => `- ${n}`), '');
  }
  await writeFile(new URL('../RESULTS.md', import.meta.url), parts.join('\n'));
  await writeReadmeTable(all);
}

/** Rewrites the README's block between who-wins.ts's markers from the two train results. */
async function writeReadmeTable(all: Map<string, BenchResult>): Promise<void> {
  const rows = [
    { label: 'Node', result: all.get('train') },
    { label: 'Chromium', result: all.get('train-chromium') },
  ].filter((r): r is { label: string; result: BenchResult } => !!r.result);
  const path = new URL('../../README.md', import.meta.url);
  const readme = await readFile(path, 'utf8');
  const [a, b] = [readme.indexOf(START), readme.indexOf(END)];
  if (a < 0 || b < a) throw new Error(`README.md has no block between '${START}' and '${END}' for the who-wins table`);
  await writeFile(path, readme.slice(0, a) + whoWins(rows) + readme.slice(b + END.length));
}

/** Prints a table to the terminal. */
export function printTable(t: BenchTable): void {
  console.log(`\n${t.title}`);
  console.table(Object.fromEntries(t.rows.map((r) => [String(r[0]), Object.fromEntries(t.columns.slice(1).map((c, i) => [c, r[i + 1]]))])));
}
