// Every differentiable op's backward rule, in one typed table: `Rules<OpName>` requires
// a rule for each op declared in tape-node.ts's OpAttrsOf, so a new op without a backward rule
// is a compile error, not a runtime surprise.

import { batchNormRules } from './batch-norm.ts';
import { concatRules } from './concat.ts';
import { dropoutRules } from './dropout.ts';
import { elementwiseRules } from './elementwise.ts';
import { layoutRules } from './layout.ts';
import { lossRules } from './losses.ts';
import { matmulRules } from './matmul.ts';
import { reduceRules } from './reduce.ts';
import type { Rule, Rules } from './registry-types.ts';
import { paramActivationRules } from './param-activation.ts';
import { softmaxRules } from './softmax.ts';
import type { OpName } from './tape.ts';

export const rules: Rules<OpName> = {
  ...elementwiseRules,
  ...layoutRules,
  ...concatRules,
  ...reduceRules,
  ...matmulRules,
  ...softmaxRules,
  ...lossRules,
  ...dropoutRules,
  ...batchNormRules,
  ...paramActivationRules,
};

export function ruleFor<K extends OpName>(op: K): Rule<K> {
  return rules[op] as Rule<K>;
}
