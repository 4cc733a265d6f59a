import { GraphBuilder } from '../builder/graph-builder.ts';
import { DataType, modelOpset, type Graph, type Model, type Node, type ValueInfo } from '../onnx/ir.ts';
import { GradArityError, GradientSpecError, NoGradientRuleError } from './errors.ts';
import type { GradContext, GradRuleTable } from './grad-context.ts';
import { BROADCASTING_OPS, NON_DIFFERENTIABLE_OPS, castEndsGradient } from './nondifferentiable.ts';
import { prune } from './prune.ts';
import { GRAD_RULES } from './rules/index.ts';
import { declaredShapes, type ShapeTable } from './shape-table.ts';
import { broadcastAxes, unbroadcastDynamic, unbroadcastStatic } from './unbroadcast.ts';

export interface GradientRequest {
  /** The scalar (or any-shape, summed) tensor to differentiate. */
  loss: string;
  /** Graph inputs, initializers or intermediate tensors to get gradients for. */
  wrt: readonly string[];
  /** Tensors treated as constants (PyTorch's detach). */
  stopGradients?: readonly string[];
  /** Keep the forward graph's outputs as outputs of the gradient graph (default true). */
  keepOutputs?: boolean;
  /** Forward tensors to expose as extra outputs (previews, metrics). */
  extraOutputs?: readonly string[];
  /** Static shapes known beyond what the graph declares (e.g. from `probeShapes`). */
  shapes?: ShapeTable;
  /** Instead of d(loss)/d(loss) = 1, take the output gradient from a new graph input of this name. */
  seedInput?: string;
  /** Rule table override (tests). */
  rules?: GradRuleTable;
}

export interface GradientGraph {
  model: Model;
  /** wrt tensor -> name of the graph output holding its gradient. */
  gradients: Record<string, string>;
  /** Requested tensors the loss does not depend on (their gradient outputs are zeros). */
  unconnected: string[];
}

export function gradName(tensor: string): string {
  return `grad/${tensor}`;
}

/**
 * Reverse-mode differentiation as a graph transform: returns one ONNX graph computing the forward
 * outputs and the requested gradients with standard ops only. The walk visits, in reverse order,
 * only nodes that lie both downstream of a requested tensor and upstream of the loss; fan-out
 * contributions are summed and broadcast gradients reduced here, once, for every rule.
 */
export function buildGradientGraph(model: Model, req: GradientRequest): GradientGraph {
  const rules = req.rules ?? GRAD_RULES;
  const opset = modelOpset(model);
  const graph: Graph = {
    ...model.graph,
    nodes: model.graph.nodes.map((n) => ({ ...n, inputs: [...n.inputs], outputs: [...n.outputs] })),
    inputs: [...model.graph.inputs],
    outputs: req.keepOutputs === false ? [] : [...model.graph.outputs],
    initializers: [...model.graph.initializers],
    valueInfo: [...model.graph.valueInfo],
  };
  const known = new Set<string>([
    ...graph.inputs.map((v) => v.name),
    ...graph.initializers.map((t) => t.name),
  ]);
  const producer = new Map<string, number>();
  graph.nodes.forEach((n, i) => {
    for (const inp of n.inputs) {
      if (inp !== '' && !known.has(inp)) {
        throw new GradientSpecError(
          `node '${n.name}' (${n.opType}) reads '${inp}' before it is produced: the graph is not in topological order or is missing a tensor`,
        );
      }
    }
    for (const o of n.outputs) {
      producer.set(o, i);
      known.add(o);
    }
  });
  if (!known.has(req.loss)) throw new GradientSpecError(`loss tensor '${req.loss}' is not in the graph`);
  for (const w of req.wrt)
    if (!known.has(w))
      throw new GradientSpecError(`cannot differentiate with respect to '${w}': no such tensor`);

  const stop = new Set(req.stopGradients ?? []);
  const differentiable = new Set(req.wrt.filter((w) => !stop.has(w)));
  for (const n of graph.nodes) {
    if (NON_DIFFERENTIABLE_OPS.has(n.opType)) continue;
    if (n.opType === 'Cast') {
      const to = n.attributes.to;
      if (to && to.type === 'int' && castEndsGradient(to.value)) continue;
    }
    if (n.inputs.some((i) => differentiable.has(i))) {
      for (const o of n.outputs) if (!stop.has(o)) differentiable.add(o);
    }
  }
  const upstream = new Set<string>([req.loss]);
  for (let i = graph.nodes.length - 1; i >= 0; i--) {
    const n = graph.nodes[i]!;
    if (n.outputs.some((o) => upstream.has(o))) for (const inp of n.inputs) if (inp) upstream.add(inp);
  }

  const b = new GraphBuilder(graph);
  const shapes = declaredShapes(graph);
  for (const [k, v] of req.shapes ?? []) shapes.set(k, v);
  const shapeNodes = new Map<string, string>();
  const ctxBase = {
    b,
    opset,
    shapes,
    shapeOf(tensor: string): string {
      let s = shapeNodes.get(tensor);
      if (!s) {
        s = b.op('Shape', [tensor]);
        shapeNodes.set(tensor, s);
      }
      return s;
    },
    staticShape(tensor: string): readonly number[] | undefined {
      return shapes.get(tensor);
    },
    rank(tensor: string): number | undefined {
      const s = shapes.get(tensor);
      if (s) return s.length;
      const vi = [...graph.inputs, ...graph.valueInfo].find((v) => v.name === tensor);
      return vi?.shape?.length;
    },
    unbroadcast(grad: string, like: string, gradShapeOf: string = grad): string {
      const inShape = shapes.get(like);
      const outShape = shapes.get(gradShapeOf);
      if (inShape && outShape && broadcastAxes(inShape, outShape))
        return unbroadcastStatic(b, grad, inShape, outShape);
      return unbroadcastDynamic(b, grad, this.shapeOf(like));
    },
  };

  const contributions = new Map<string, string[]>();
  const addContribution = (tensor: string, g: string): void => {
    const list = contributions.get(tensor);
    if (list) list.push(g);
    else contributions.set(tensor, [g]);
  };
  const total = (tensor: string): string | null => {
    const list = contributions.get(tensor);
    if (!list || list.length === 0) return null;
    if (list.length > 1) {
      const s = list.length === 2 ? b.op('Add', [list[0]!, list[1]!]) : b.op('Sum', list);
      contributions.set(tensor, [s]);
      return s;
    }
    return list[0]!;
  };

  if (req.seedInput) {
    const declared = model.graph.outputs.find((o) => o.name === req.loss)?.shape;
    b.input(
      req.seedInput,
      shapes.get(req.loss) ? [...shapes.get(req.loss)!] : (declared ?? []),
      DataType.FLOAT,
    );
    addContribution(req.loss, req.seedInput);
  } else {
    const lossShape = shapes.get(req.loss);
    const seed =
      lossShape && lossShape.every((d) => d === 1)
        ? b.constF([1], [...lossShape], 'grad_seed')
        : b.op('Expand', [b.constF([1], [], 'grad_seed'), ctxBase.shapeOf(req.loss)]);
    addContribution(req.loss, seed);
  }

  for (let i = graph.nodes.length - 1; i >= 0; i--) {
    const node: Node = graph.nodes[i]!;
    if (!node.inputs.some((inp) => differentiable.has(inp))) continue;
    if (!node.outputs.some((o) => upstream.has(o) && differentiable.has(o))) continue;
    const gradOuts = node.outputs.map((o) => (differentiable.has(o) ? total(o) : null));
    if (gradOuts.every((g) => g === null)) continue;
    const rule = rules[node.opType];
    if (!rule) throw new NoGradientRuleError(node.opType, node.name, opset);
    const needs = node.inputs.map((inp) => inp !== '' && differentiable.has(inp));
    const ctx: GradContext = { ...ctxBase, node, needs };
    const grads = b.scope(`grad/${node.name}`, () => rule(ctx, gradOuts));
    if (grads.length !== node.inputs.length) {
      throw new GradArityError(node.opType, node.name, node.inputs.length, grads.length);
    }
    grads.forEach((g, k) => {
      if (g === null || g === undefined || !needs[k]) return;
      const inp = node.inputs[k]!;
      const reduced = BROADCASTING_OPS.has(node.opType)
        ? b.scope(`grad/${node.name}`, () => ctxBase.unbroadcast(g, inp, node.outputs[0]!))
        : g;
      addContribution(inp, reduced);
    });
  }

  const gradients: Record<string, string> = {};
  const unconnected: string[] = [];
  const outputs: ValueInfo[] = [];
  if (!graph.outputs.some((o) => o.name === req.loss))
    outputs.push({ name: req.loss, elemType: DataType.FLOAT });
  for (const w of req.wrt) {
    let g = total(w);
    if (g === null) {
      unconnected.push(w);
      g = b.op('ConstantOfShape', [ctxBase.shapeOf(w)], {
        value: {
          type: 'tensor',
          value: { name: '', dataType: DataType.FLOAT, dims: [1], data: new Float32Array([0]) },
        },
      });
    }
    const out = gradName(w);
    graph.nodes.push({
      opType: 'Identity',
      inputs: [g],
      outputs: [out],
      name: b.fresh(`${out}/Identity`),
      domain: '',
      attributes: {},
    });
    const shape = shapes.get(w);
    outputs.push(
      shape
        ? { name: out, elemType: DataType.FLOAT, shape: [...shape] }
        : { name: out, elemType: DataType.FLOAT },
    );
    gradients[w] = out;
  }
  for (const name of req.extraOutputs ?? []) {
    if (!known.has(name)) throw new GradientSpecError(`extra output '${name}' is not a tensor of the graph`);
    if (!graph.outputs.some((o) => o.name === name) && !outputs.some((o) => o.name === name)) {
      outputs.push({ name, elemType: DataType.UNDEFINED });
    }
  }
  graph.outputs.push(...outputs);
  prune(graph);
  return { model: { ...model, graph }, gradients, unconnected };
}
