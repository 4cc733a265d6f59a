import type { Graph } from '../onnx/ir.ts';

/** Static shapes known for tensors of a graph (from its declarations or from a probe run). */
export type ShapeTable = Map<string, readonly number[]>;

/** Shapes the graph itself states: initializers, fully known inputs, outputs and value_info. */
export function declaredShapes(graph: Graph): ShapeTable {
  const table: ShapeTable = new Map();
  for (const t of graph.initializers) table.set(t.name, t.dims);
  for (const v of [...graph.inputs, ...graph.outputs, ...graph.valueInfo]) {
    if (v.shape && v.shape.every((d): d is number => typeof d === 'number' && d >= 0))
      table.set(v.name, v.shape);
  }
  return table;
}
