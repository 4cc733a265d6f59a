import {
  GraphQLError,
  Kind,
  type ASTNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';

function fragmentsOf(context: ValidationContext): Map<string, FragmentDefinitionNode> {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of context.getDocument().definitions)
    if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  return fragments;
}

/** Calls `visit` on every field under `node`, fragments followed (each once per path). */
function walk(
  node: ASTNode,
  fragments: Map<string, FragmentDefinitionNode>,
  seen: Set<string>,
  visit: (field: FieldNode, seen: Set<string>) => void,
): void {
  if (!('selectionSet' in node) || !node.selectionSet) return;
  for (const s of node.selectionSet.selections) {
    if (s.kind === Kind.FIELD) visit(s, seen);
    else if (s.kind === Kind.INLINE_FRAGMENT) walk(s, fragments, seen, visit);
    else {
      const f = fragments.get(s.name.value);
      if (f && !seen.has(s.name.value)) walk(f, fragments, new Set([...seen, s.name.value]), visit);
    }
  }
}

/**
 * Refuses operations whose selections nest deeper than `max` fields (introspection's __schema
 * counted like any field): a cheap guard against queries built to walk edit -> remixes -> parent ->
 * remixes ... without end.
 */
export function depthLimit(max: number): ValidationRule {
  return (context: ValidationContext) => {
    const fragments = fragmentsOf(context);
    const depthOf = (node: ASTNode, seen: Set<string>): number => {
      let deepest = 0;
      walk(node, fragments, seen, (field, s) => (deepest = Math.max(deepest, 1 + depthOf(field, s))));
      return deepest;
    };
    return {
      OperationDefinition(op) {
        const depth = depthOf(op, new Set());
        if (depth > max)
          context.reportError(
            new GraphQLError(`the query nests ${depth} fields deep; at most ${max}`, {
              nodes: [op],
              extensions: { code: 'BAD_USER_INPUT' },
            }),
          );
      },
    };
  };
}

/**
 * Refuses operations that could resolve more than `max` fields: each field costs 1 times the page
 * sizes (`first`) of the lists around it. A `first` given by a variable counts as the largest page
 * (the variables are not known while validating); one that is left out, as its default.
 */
export function costLimit(max: number, largestPage: number, defaultPage = 24): ValidationRule {
  return (context: ValidationContext) => {
    const fragments = fragmentsOf(context);
    const costOf = (node: ASTNode, multiplier: number, seen: Set<string>): number => {
      let cost = 0;
      walk(node, fragments, seen, (field, s) => {
        const first = field.arguments?.find((a) => a.name.value === 'first');
        let page = 1;
        if (first?.value.kind === Kind.INT) page = Number(first.value.value);
        else if (first) page = largestPage;
        else if (field.name.value === 'edits' || field.name.value === 'remixes') page = defaultPage;
        cost += multiplier + costOf(field, multiplier * Math.max(1, page), s);
      });
      return cost;
    };
    return {
      OperationDefinition(op) {
        const cost = costOf(op, 1, new Set());
        if (cost > max)
          context.reportError(
            new GraphQLError(`the query could resolve about ${cost} fields; at most ${max}`, {
              nodes: [op],
              extensions: { code: 'BAD_USER_INPUT', cost, maxCost: max },
            }),
          );
      },
    };
  };
}
