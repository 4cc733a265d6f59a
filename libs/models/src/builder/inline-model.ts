import type { Model, Node } from '../onnx/ir.ts';
import type { GraphBuilder } from './graph-builder.ts';

/**
 * Copies another model's graph into the builder's: its initializers and nodes under fresh names
 * beneath `scope`, its graph inputs wired to the given tensors. Returns the new names of the model's
 * graph outputs. This is how separately stored networks (a pack's generator and image encoder) become
 * one graph that the autodiff transform can differentiate end to end.
 */
export function inlineModel(
  b: GraphBuilder,
  model: Model,
  inputs: Readonly<Record<string, string>>,
  scope: string,
): Record<string, string> {
  const g = model.graph;
  const opset = model.opsetImports.find((o) => o.domain === '' || o.domain === 'ai.onnx')?.version;
  const host = b.graph;
  for (const i of g.inputs) {
    if (g.initializers.some((t) => t.name === i.name)) continue;
    if (inputs[i.name] === undefined) {
      throw new Error(
        `inlining '${g.name}': its input '${i.name}' is not connected (given: ${Object.keys(inputs).join(', ') || 'none'})`,
      );
    }
  }
  if (opset === undefined || opset > 21) {
    throw new Error(
      `inlining '${g.name}': default-domain opset ${String(opset)} is not one soundedit handles`,
    );
  }
  const rename = new Map<string, string>(Object.entries(inputs));
  rename.set('', '');
  b.scope(scope, () => {
    for (const t of g.initializers) {
      if (rename.has(t.name)) continue;
      const name = b.fresh(t.name);
      rename.set(t.name, name);
      host.initializers.push({ ...t, name });
    }
    for (const node of g.nodes) {
      if (node.domain !== '' && node.domain !== 'ai.onnx') {
        throw new Error(`inlining '${g.name}': node '${node.name}' is in domain '${node.domain}'`);
      }
      if (Object.values(node.attributes).some((a) => a.type === 'graph' || a.type === 'graphs')) {
        throw new Error(
          `inlining '${g.name}': node '${node.name}' has a subgraph, which inlining does not handle`,
        );
      }
      const outputs = node.outputs.map((o) => {
        if (o === '') return '';
        const name = b.fresh(o);
        rename.set(o, name);
        return name;
      });
      const copy: Node = {
        ...node,
        name: b.fresh(node.name || node.opType),
        inputs: node.inputs.map((i) => {
          const r = rename.get(i);
          if (r === undefined)
            throw new Error(`inlining '${g.name}': node '${node.name}' reads '${i}', which nothing makes`);
          return r;
        }),
        outputs,
      };
      host.nodes.push(copy);
    }
  });
  const out: Record<string, string> = {};
  for (const o of g.outputs) out[o.name] = rename.get(o.name)!;
  return out;
}
