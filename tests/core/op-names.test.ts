// The op lists (src/kernels/op-names.ts) and the WGSL that switches on their ids agree: every
// switch over a family's ids has a case for each name in its list, the WGSL names no id the
// list lacks, and no id is written as a number. A name added to a list without its case
// would otherwise run the switch's default silently.
import { describe, expect, test } from 'vitest';
import { OP_FAMILIES, opId, wgslIds } from '../../src/kernels/op-names.ts';
import activationsWgsl from '../../src/kernels/wgsl/activations.wgsl?raw';
import binaryWgsl from '../../src/kernels/wgsl/binary.wgsl?raw';
import paramActivationWgsl from '../../src/kernels/wgsl/param-activation.wgsl?raw';
import reduceWgsl from '../../src/kernels/wgsl/reduce.wgsl?raw';

type Family = keyof typeof OP_FAMILIES;
const SOURCES: Record<Family, string> = { UNARY: activationsWgsl, BINARY: binaryWgsl, REDUCE: reduceWgsl, PARAM: paramActivationWgsl };

/** Every way `wgsl` disagrees with `family`'s list, in words (none when they agree). */
function disagreements(family: Family, wgsl: string): string[] {
  const code = wgsl.replace(/\/\/.*$/gm, '');
  const declared = [...wgslIds(family).matchAll(/const (\w+): u32/g)].map((m) => m[1]);
  const problems = [...new Set(code.match(new RegExp(`\\b${family}_\\w+`, 'g')))]
    .filter((id) => !declared.includes(id))
    .map((id) => `${id} is in no list entry`);
  for (const m of code.matchAll(/(case|OP ==|op ==)\s*(\d+u?)\b/g)) problems.push(`id written as a number: ${m[0]}`);
  // Each switch's case labels (`case A, B:` lists several) against the whole list; a
  // switch ends at its default (WGSL requires one).
  for (const body of code.split(/\bswitch\s+\w+\s*\{/).slice(1)) {
    const selectors = body.slice(0, body.indexOf('\n', body.search(/\bdefault\b/))).matchAll(/\bcase ([^:{]+):/g);
    const labels = [...selectors].flatMap((m) => m[1].split(',').map((s) => s.trim())).filter((l) => l !== 'default');
    if (!labels.every((l) => l.startsWith(`${family}_`))) continue; // a switch over another family's ids
    for (const id of declared.filter((d) => !labels.includes(d))) problems.push(`a switch has no case ${id}`);
  }
  return problems;
}

describe('op ids: the lists in kernels/op-names.ts and the WGSL agree', () => {
  for (const family of Object.keys(OP_FAMILIES) as Family[]) {
    test(family, () => {
      expect(disagreements(family, SOURCES[family])).toEqual([]);
    });
  }

  test('a missing case, an unknown id or a numeric id is reported', () => {
    const noRelu = activationsWgsl.replace(/\n\s*case UNARY_RELU:[^\n]*/, '');
    expect(disagreements('UNARY', noRelu)).toEqual(['a switch has no case UNARY_RELU']);
    expect(disagreements('BINARY', binaryWgsl.replace('case BINARY_ADD:', 'case BINARY_PLUS:'))).toEqual([
      'BINARY_PLUS is in no list entry',
      'a switch has no case BINARY_ADD',
    ]);
    expect(disagreements('REDUCE', reduceWgsl.replace('OP == REDUCE_MAX', 'OP == 1u'))).toEqual(['id written as a number: OP == 1u']);
  });

  test("an id is the name's index, and its WGSL constant says the same", () => {
    expect(opId('UNARY', 'relu')).toBe(OP_FAMILIES.UNARY.indexOf('relu'));
    expect(wgslIds('UNARY')).toContain(`const UNARY_RELU: u32 = ${opId('UNARY', 'relu')}u;`);
    expect(wgslIds('BINARY')).toContain(`const BINARY_GREATER_EQUAL: u32 = ${opId('BINARY', 'greaterEqual')}u;`);
  });
});
