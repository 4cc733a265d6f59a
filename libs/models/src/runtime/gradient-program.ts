import { buildGradientGraph } from '../autodiff/backward.ts';
import { DataType, type Model, type TensorValue } from '../onnx/ir.ts';
import type { HostTensor } from './host-tensor.ts';
import { probeShapes } from './probe-shapes.ts';
import { createSession, type Session, type SessionOptions } from './session.ts';

export interface GradientProgramSpec {
  /** Scalar loss tensor. */
  loss: string;
  /**
   * Initializers to train. They become graph inputs so one session serves every step while an
   * optimiser updates their values in place between steps.
   */
  params?: readonly string[];
  /** Graph inputs to differentiate as well (a W+ latent, an image). */
  wrt?: readonly string[];
  stopGradients?: readonly string[];
  /** Example feeds (without params) used to learn static shapes; strongly recommended. */
  exampleFeeds?: Record<string, HostTensor>;
  /** Extra forward tensors to return each step (previews, metrics). */
  fetch?: readonly string[];
  session?: SessionOptions;
}

export interface StepResult {
  loss: number;
  /** Gradient per param and per wrt tensor. */
  grads: Record<string, Float32Array>;
  outputs: Record<string, HostTensor>;
}

/** A compiled loss-and-gradient graph plus the current values of its trainable parameters. */
export class GradientProgram {
  constructor(
    private readonly session: Session,
    readonly model: Model,
    readonly loss: string,
    /** Current parameter values; optimisers update these arrays in place. */
    readonly params: Record<string, Float32Array>,
    private readonly paramDims: Record<string, number[]>,
    private readonly gradOutputs: Record<string, string>,
    private readonly fetch: readonly string[],
  ) {}

  async step(feeds: Record<string, HostTensor>): Promise<StepResult> {
    const all: Record<string, HostTensor> = { ...feeds };
    for (const [name, data] of Object.entries(this.params)) all[name] = { data, dims: this.paramDims[name]! };
    const fetches = [this.loss, ...Object.values(this.gradOutputs), ...this.fetch];
    const out = await this.session.run(all, fetches);
    const grads: Record<string, Float32Array> = {};
    for (const [name, g] of Object.entries(this.gradOutputs)) grads[name] = out[g]!.data as Float32Array;
    const outputs: Record<string, HostTensor> = {};
    for (const f of this.fetch) outputs[f] = out[f]!;
    return { loss: Number(out[this.loss]!.data[0]), grads, outputs };
  }

  /** Frees the session (programs are compiled uncached for one run; this returns their memory). */
  async release(): Promise<void> {
    await this.session.release();
  }
}

/** Moves the named initializers to graph inputs (how trainable weights are fed); returns their tensors. */
export function liftParams(model: Model, names: readonly string[]): { model: Model; lifted: TensorValue[] } {
  const wanted = new Set(names);
  const lifted = model.graph.initializers.filter((t) => wanted.has(t.name));
  const missing = names.filter((n) => !lifted.some((t) => t.name === n));
  if (missing.length) throw new Error(`not initializers of this graph: ${missing.join(', ')}`);
  for (const t of lifted) {
    if (t.dataType !== DataType.FLOAT) throw new Error(`parameter '${t.name}' is not float32`);
  }
  return {
    model: {
      ...model,
      graph: {
        ...model.graph,
        initializers: model.graph.initializers.filter((t) => !wanted.has(t.name)),
        inputs: [
          ...model.graph.inputs,
          ...lifted.map((t) => ({ name: t.name, elemType: DataType.FLOAT, shape: [...t.dims] })),
        ],
      },
    },
    lifted,
  };
}

/** Builds the gradient graph for `spec`, loads it once, and returns a program to step repeatedly. */
export async function compileGradientProgram(
  model: Model,
  spec: GradientProgramSpec,
): Promise<GradientProgram> {
  const params = spec.params ?? [];
  const { model: lifted, lifted: tensors } = liftParams(model, params);
  const paramValues: Record<string, Float32Array> = {};
  const paramDims: Record<string, number[]> = {};
  for (const t of tensors) {
    paramValues[t.name] = Float32Array.from(t.data as Float32Array);
    paramDims[t.name] = [...t.dims];
  }
  let shapes;
  if (spec.exampleFeeds) {
    const feeds: Record<string, HostTensor> = { ...spec.exampleFeeds };
    for (const t of tensors) feeds[t.name] = { data: paramValues[t.name]!, dims: paramDims[t.name]! };
    shapes = await probeShapes(lifted, feeds, spec.session);
  }
  const grad = buildGradientGraph(lifted, {
    loss: spec.loss,
    wrt: [...params, ...(spec.wrt ?? [])],
    keepOutputs: false,
    ...(spec.stopGradients ? { stopGradients: spec.stopGradients } : {}),
    ...(shapes ? { shapes } : {}),
    extraOutputs: spec.fetch ?? [],
  });
  const session = await createSession(grad.model, spec.session);
  return new GradientProgram(
    session,
    grad.model,
    spec.loss,
    paramValues,
    paramDims,
    grad.gradients,
    spec.fetch ?? [],
  );
}
