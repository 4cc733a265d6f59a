import type { GradRuleTable } from '../grad-context.ts';
import { convRules } from './conv.ts';
import { elementwiseRules } from './elementwise.ts';
import { matmulRules } from './matmul.ts';
import { normRules } from './norm.ts';
import { poolRules } from './pool.ts';
import { reduceRules } from './reduce.ts';
import { resizeRules } from './resize.ts';
import { shapeRules } from './shape.ts';
import { softmaxRules } from './softmax.ts';

/** Every rule family, merged; two families claiming one op is a bug caught at load. */
export function mergeRuleTables(families: Record<string, GradRuleTable>): GradRuleTable {
  const merged: GradRuleTable = {};
  const owner: Record<string, string> = {};
  for (const [family, table] of Object.entries(families)) {
    for (const [op, rule] of Object.entries(table)) {
      if (owner[op])
        throw new Error(`gradient rule for ${op} is defined in both '${owner[op]}' and '${family}'`);
      owner[op] = family;
      merged[op] = rule;
    }
  }
  return merged;
}

export const GRAD_RULES: GradRuleTable = mergeRuleTables({
  elementwise: elementwiseRules,
  reduce: reduceRules,
  norm: normRules,
  softmax: softmaxRules,
  pool: poolRules,
  resize: resizeRules,
  matmul: matmulRules,
  conv: convRules,
  shape: shapeRules,
});
