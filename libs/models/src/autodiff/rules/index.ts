import type { GradRuleTable } from '../grad-context.ts';
import { elementwiseRules } from './elementwise.ts';
import { reduceRules } from './reduce.ts';

/** Every rule family, merged; two families claiming one op is a bug caught at load. */
export function mergeRuleTables(families: Record<string, GradRuleTable>): GradRuleTable {
  const merged: GradRuleTable = {};
  const owner: Record<string, string> = {};
  for (const [family, table] of Object.entries(families)) {
    for (const [op, rule] of Object.entries(table)) {
      if (owner[op]) throw new Error(`gradient rule for ${op} is defined in both '${owner[op]}' and '${family}'`);
      owner[op] = family;
      merged[op] = rule;
    }
  }
  return merged;
}

export const GRAD_RULES: GradRuleTable = mergeRuleTables({
  elementwise: elementwiseRules,
  reduce: reduceRules,
});
