import {
  DataType,
  elementCount,
  emptyGraph,
  newModel,
  type Dim,
  type Graph,
  type Model,
  type Node,
  type TensorData,
  type TensorValue,
  type ValueInfo,
} from '../onnx/ir.ts';
import { toAttributes, type AttrInput } from './attributes.ts';
import { Rng } from './rng.ts';

export type ParamInit =
  | { kind: 'zeros' }
  | { kind: 'ones' }
  | { kind: 'constant'; value: number }
  | { kind: 'normal'; std: number; mean?: number }
  | { kind: 'uniform'; bound: number }
  /** He/Kaiming normal for ReLU nets: std = gain / sqrt(fanIn). */
  | { kind: 'kaiming'; fanIn: number; gain?: number };

/**
 * Authors ONNX graphs. Every method appends nodes and returns the names of the tensors it made,
 * so networks read as plain function composition. A builder can also wrap an existing graph,
 * which is how the autodiff transform appends the backward pass.
 */
export class GraphBuilder {
  readonly graph: Graph;
  readonly rng: Rng;
  private readonly used = new Set<string>();
  private counter = 0;
  private scopes: string[] = [];

  constructor(graphOrName: Graph | string = 'graph', seed = 0) {
    this.graph = typeof graphOrName === 'string' ? emptyGraph(graphOrName) : graphOrName;
    this.rng = new Rng(seed);
    for (const v of this.graph.inputs) this.used.add(v.name);
    for (const t of this.graph.initializers) this.used.add(t.name);
    for (const n of this.graph.nodes) {
      this.used.add(n.name);
      for (const o of n.outputs) this.used.add(o);
    }
  }

  /** A fresh tensor/node name under the current scope. */
  fresh(base: string): string {
    const prefix = this.scopes.length ? `${this.scopes.join('/')}/` : '';
    let name = `${prefix}${base}`;
    while (this.used.has(name)) name = `${prefix}${base}_${++this.counter}`;
    this.used.add(name);
    return name;
  }

  /** Runs `fn` with names prefixed by `name/`, like a module path in PyTorch. */
  scope<T>(name: string, fn: () => T): T {
    this.scopes.push(name);
    try {
      return fn();
    } finally {
      this.scopes.pop();
    }
  }

  input(name: string, shape: Dim[], elemType: DataType = DataType.FLOAT): string {
    if (this.used.has(name)) throw new Error(`graph input '${name}' clashes with an existing name`);
    this.used.add(name);
    this.graph.inputs.push({ name, elemType, shape });
    return name;
  }

  output(name: string, elemType: DataType = DataType.FLOAT, shape?: Dim[]): string {
    const vi: ValueInfo = { name, elemType };
    if (shape) vi.shape = shape;
    this.graph.outputs.push(vi);
    return name;
  }

  /** Adds an initializer under an exact name (weights that must keep a known name). */
  initializer(name: string, dims: number[], data: TensorData, dataType: DataType = DataType.FLOAT): string {
    if (this.used.has(name)) throw new Error(`initializer '${name}' clashes with an existing name`);
    if (data.length !== elementCount(dims)) {
      throw new Error(`initializer '${name}': ${data.length} values for shape [${dims.join(', ')}]`);
    }
    this.used.add(name);
    this.graph.initializers.push({ name, dims: [...dims], data, dataType });
    return name;
  }

  /** A trainable weight, created under the current scope and filled from the builder's seeded RNG. */
  param(base: string, dims: number[], init: ParamInit): string {
    const name = this.fresh(base);
    const data = fillParam(this.rng, new Float32Array(elementCount(dims)), init);
    this.graph.initializers.push({ name, dims: [...dims], data, dataType: DataType.FLOAT });
    return name;
  }

  /** A float32 constant (stored as an initializer so it can be shared and folded). */
  constF(values: number[] | Float32Array, dims: number[] = [values.length], base = 'const'): string {
    const data = values instanceof Float32Array ? values : Float32Array.from(values);
    const name = this.fresh(base);
    this.graph.initializers.push({ name, dims, data, dataType: DataType.FLOAT });
    return name;
  }

  /** An int64 constant: shapes, axes, indices. */
  constI64(values: readonly number[], dims: number[] = [values.length], base = 'const_i64'): string {
    const name = this.fresh(base);
    const data = BigInt64Array.from(values, (v) => BigInt(v));
    this.graph.initializers.push({ name, dims, data, dataType: DataType.INT64 });
    return name;
  }

  scalarF(value: number): string {
    return this.constF([value], [], 'scalar');
  }

  findInitializer(name: string): TensorValue | undefined {
    return this.graph.initializers.find((t) => t.name === name);
  }

  /** Appends one node and returns its output names. */
  node(
    opType: string,
    inputs: readonly string[],
    attrs: Record<string, AttrInput> = {},
    nOutputs = 1,
    domain = '',
  ): string[] {
    const nodeName = this.fresh(opType);
    const outputs: string[] = [];
    for (let i = 0; i < nOutputs; i++) outputs.push(this.fresh(`${opType}_out${i === 0 ? '' : i}`));
    const node: Node = {
      opType,
      inputs: [...inputs],
      outputs,
      name: nodeName,
      domain,
      attributes: toAttributes(attrs),
    };
    this.graph.nodes.push(node);
    return outputs;
  }

  /** Appends one single-output node and returns the output name. */
  op(opType: string, inputs: readonly string[], attrs: Record<string, AttrInput> = {}): string {
    return this.node(opType, inputs, attrs, 1)[0]!;
  }

  model(opset?: number): Model {
    return newModel(this.graph, opset);
  }
}

/** Fills `data` per `init` from `rng` (shared by anonymous and state_dict-named weights). */
export function fillParam(rng: Rng, data: Float32Array, init: ParamInit): Float32Array {
  switch (init.kind) {
    case 'zeros':
      break;
    case 'ones':
      data.fill(1);
      break;
    case 'constant':
      data.fill(init.value);
      break;
    case 'normal':
      rng.fillNormal(data, init.std, init.mean ?? 0);
      break;
    case 'uniform':
      rng.fillUniform(data, -init.bound, init.bound);
      break;
    case 'kaiming':
      rng.fillNormal(data, (init.gain ?? Math.SQRT2) / Math.sqrt(init.fanIn));
      break;
  }
  return data;
}
