import type { Graph } from '../onnx/ir.ts';

/** Removes nodes and initializers that no graph output depends on (in place). */
export function prune(graph: Graph): void {
  const live = new Set(graph.outputs.map((o) => o.name));
  const keep: boolean[] = new Array(graph.nodes.length).fill(false);
  for (let i = graph.nodes.length - 1; i >= 0; i--) {
    const n = graph.nodes[i]!;
    if (n.outputs.some((o) => live.has(o))) {
      keep[i] = true;
      for (const inp of n.inputs) if (inp) live.add(inp);
    }
  }
  graph.nodes = graph.nodes.filter((_, i) => keep[i]);
  graph.initializers = graph.initializers.filter((t) => live.has(t.name));
}
