// Writes a benchmark's figures to bench/results/<name>.json (with adapter and date) and
// regenerates bench/RESULTS.md, the tables of every result file.

import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

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
  const parts = ['# Benchmark results', '', 'Written by `npm run bench` (bench/*.ts); each section from bench/results/<name>.json.', ''];
  for (const f of files) {
    const r = JSON.parse(await readFile(join(DIR, f), 'utf8')) as BenchResult;
    if (!r.tables) continue;
    parts.push(`## ${r.name}`, '', `Adapter: \`${JSON.stringify(r.adapter)}\`, ${r.date}`, '', ...r.tables.map(markdown));
  }
  await writeFile(new URL('../RESULTS.md', import.meta.url), parts.join('\n'));
}

/** Prints a table to the terminal. */
export function printTable(t: BenchTable): void {
  console.log(`\n${t.title}`);
  console.table(Object.fromEntries(t.rows.map((r) => [String(r[0]), Object.fromEntries(t.columns.slice(1).map((c, i) => [c, r[i + 1]]))])));
}
