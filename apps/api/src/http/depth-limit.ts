import {
  GraphQLError,
  Kind,
  type ASTNode,
  type FragmentDefinitionNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';

/**
 * Refuses operations whose selections nest deeper than `max` fields (fragments followed,
 * introspection's __schema counted like any field): a cheap guard against queries built to make
 * the server walk edit -> remixes -> parent -> remixes ... without end.
 */
export function depthLimit(max: number): ValidationRule {
  return (context: ValidationContext) => {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const d of context.getDocument().definitions)
      if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);

    const depthOf = (node: ASTNode, seen: Set<string>): number => {
      if (!('selectionSet' in node) || !node.selectionSet) return 0;
      let deepest = 0;
      for (const s of node.selectionSet.selections) {
        if (s.kind === Kind.FIELD) deepest = Math.max(deepest, 1 + depthOf(s, seen));
        else if (s.kind === Kind.INLINE_FRAGMENT) deepest = Math.max(deepest, depthOf(s, seen));
        else {
          const name = s.name.value;
          const f = fragments.get(name);
          if (f && !seen.has(name)) deepest = Math.max(deepest, depthOf(f, new Set([...seen, name])));
        }
      }
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
