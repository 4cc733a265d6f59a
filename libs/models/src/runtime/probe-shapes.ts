import type { ShapeTable } from '../autodiff/shape-table.ts';
import { DataType, type Model } from '../onnx/ir.ts';
import type { HostTensor } from './host-tensor.ts';
import { createSession, type SessionOptions } from './session.ts';

/**
 * Learns the static shape of every tensor by running the graph once with every intermediate
 * exposed as an output. The autodiff transform uses the table to emit plain ReduceSum/Reshape
 * un-broadcasts instead of run-time shape arithmetic, which keeps the gradient graph lean.
 * The shapes hold for feeds of the same shapes; compile again for other shapes.
 */
export async function probeShapes(
  model: Model,
  feeds: Record<string, HostTensor>,
  options: SessionOptions = {},
): Promise<ShapeTable> {
  const declared = new Set(model.graph.outputs.map((o) => o.name));
  const extra = model.graph.nodes.flatMap((n) => n.outputs).filter((o) => o !== '' && !declared.has(o));
  const probe: Model = {
    ...model,
    graph: {
      ...model.graph,
      outputs: [...model.graph.outputs, ...extra.map((name) => ({ name, elemType: DataType.UNDEFINED }))],
    },
  };
  const session = await createSession(probe, { ...options, optimization: 'disabled', cache: false });
  const out = await session.run(feeds);
  await session.release();
  const table: ShapeTable = new Map();
  for (const [name, t] of Object.entries(out)) table.set(name, t.dims);
  for (const [name, t] of Object.entries(feeds)) table.set(name, t.dims);
  for (const t of model.graph.initializers) table.set(t.name, t.dims);
  return table;
}
