import { GraphBuilder } from '../builder/graph-builder.ts';
import { Rng } from '../builder/rng.ts';
import { buildGradientGraph } from '../autodiff/backward.ts';
import { DataType, type Model } from '../onnx/ir.ts';
import { compileGradientProgram } from '../runtime/gradient-program.ts';
import { createSession } from '../runtime/session.ts';
import type { HostTensor } from '../runtime/host-tensor.ts';

/** How a gradient-check input is filled. */
export type InputGen =
  | 'normal'
  | 'positive' // in [0.5, 2]: Log, Sqrt, Pow bases, divisors
  | 'unit' // in (-0.9, 0.9): inputs where |x| < 1 matters
  | { values: number[] | Float32Array }
  | { int64: number[] }
  | { bool: boolean[] };

export interface GradCheckInput {
  shape: number[];
  gen?: InputGen;
  /** Not differentiated (indices, masks, shapes). */
  constant?: boolean;
}

export interface GradCheckOptions {
  /** Builds the forward graph from the named inputs and returns the output(s) to check. */
  build: (b: GraphBuilder, inputs: Record<string, string>) => string | string[];
  inputs: Record<string, GradCheckInput>;
  seed?: number;
  /** Finite-difference step (float32 graphs: 1e-2..1e-3). */
  eps?: number;
  rtol?: number;
  atol?: number;
  /** At most this many elements per input are perturbed (chosen at random). */
  maxElements?: number;
}

export interface GradCheckReport {
  /** input -> largest |analytic - numeric| / (atol + rtol * |numeric|); <= 1 passes. */
  worst: Record<string, number>;
  analytic: Record<string, Float32Array>;
  numeric: Record<string, Float64Array>;
  checkedIndices: Record<string, number[]>;
  /** Op types of the gradient graph's nodes, to assert a rule emits what we expect. */
  backwardOps: string[];
}

function fill(input: GradCheckInput, rng: Rng): HostTensor {
  const n = input.shape.reduce((a, b) => a * b, 1);
  const gen = input.gen ?? 'normal';
  if (typeof gen === 'object' && 'int64' in gen)
    return { data: BigInt64Array.from(gen.int64, BigInt), dims: input.shape };
  if (typeof gen === 'object' && 'bool' in gen)
    return { data: Uint8Array.from(gen.bool, (v) => (v ? 1 : 0)), dims: input.shape, bool: true };
  const data = new Float32Array(n);
  if (typeof gen === 'object') data.set(gen.values);
  else if (gen === 'normal') rng.fillNormal(data);
  else if (gen === 'positive') rng.fillUniform(data, 0.5, 2);
  else rng.fillUniform(data, -0.9, 0.9);
  return { data, dims: input.shape };
}

function elemType(t: HostTensor): DataType {
  if (t.data instanceof BigInt64Array) return DataType.INT64;
  if (t.bool) return DataType.BOOL;
  return DataType.FLOAT;
}

/**
 * Central finite differences against the emitted gradient graph, both run in onnxruntime. The loss
 * is sum(out * R) with a fixed random R so every output element matters with a distinct weight.
 */
export async function gradCheck(opts: GradCheckOptions): Promise<GradCheckReport> {
  const rng = new Rng(opts.seed ?? 1234);
  const feeds: Record<string, HostTensor> = {};
  for (const [name, spec] of Object.entries(opts.inputs)) feeds[name] = fill(spec, rng);
  const wrt = Object.entries(opts.inputs)
    .filter(([, s]) => !s.constant)
    .map(([n]) => n);

  const makeGraph = (projections?: HostTensor[]) => {
    const b = new GraphBuilder('gradcheck', opts.seed ?? 1);
    const names: Record<string, string> = {};
    for (const [name, t] of Object.entries(feeds)) names[name] = b.input(name, t.dims, elemType(t));
    const outs = [opts.build(b, names)].flat();
    if (!projections) {
      outs.forEach((o) => b.output(o));
      return { model: b.model(), outs };
    }
    const terms = outs.map((o, i) => {
      const p = projections[i]!;
      const r = b.constF(p.data as Float32Array, p.dims, 'projection');
      return b.op('ReduceSum', [b.op('Mul', [o, r])], { keepdims: 0 });
    });
    const loss = terms.length === 1 ? terms[0]! : b.op('Sum', terms);
    b.output(loss);
    return { model: b.model(), outs, loss };
  };

  const probe = makeGraph();
  const probeSession = await createSession(probe.model);
  const probed = await probeSession.run(feeds);
  const projections = probe.outs.map((o) => {
    const t = probed[o]!;
    const data = new Float32Array(t.data.length);
    rng.fillNormal(data);
    return { data, dims: t.dims };
  });

  const fwd = makeGraph(projections);
  const loss = fwd.loss!;
  const fwdSession = await createSession(fwd.model);
  const grad = buildGradientGraph(fwd.model, { loss, wrt });
  const gradSession = await createSession(grad.model);
  const gradOut = await gradSession.run(feeds);

  const eps = opts.eps ?? 1e-2;
  const rtol = opts.rtol ?? 2e-2;
  const atol = opts.atol ?? 2e-3;
  const report: GradCheckReport = {
    worst: {},
    analytic: {},
    numeric: {},
    checkedIndices: {},
    backwardOps: grad.model.graph.nodes.slice(fwd.model.graph.nodes.length).map((n) => n.opType),
  };
  const evalLoss = async (f: Record<string, HostTensor>) => Number((await fwdSession.run(f))[loss]!.data[0]);

  for (const name of wrt) {
    const analytic = gradOut[grad.gradients[name]!]!.data as Float32Array;
    const base = feeds[name]!.data as Float32Array;
    const count = base.length;
    const max = opts.maxElements ?? 48;
    const indices = count <= max ? [...Array(count).keys()] : pickDistinct(rng, count, max);
    const numeric = new Float64Array(count).fill(Number.NaN);
    let worst = 0;
    for (const i of indices) {
      const orig = base[i]!;
      const plus = base.slice();
      plus[i] = orig + eps;
      const minus = base.slice();
      minus[i] = orig - eps;
      const lp = await evalLoss({ ...feeds, [name]: { data: plus, dims: feeds[name]!.dims } });
      const lm = await evalLoss({ ...feeds, [name]: { data: minus, dims: feeds[name]!.dims } });
      const num = (lp - lm) / (2 * eps);
      numeric[i] = num;
      const a = analytic[i]!;
      const err =
        Number.isNaN(a) && Number.isNaN(num) ? 0 : Math.abs(a - num) / (atol + rtol * Math.abs(num));
      worst = Math.max(worst, Number.isNaN(err) ? Infinity : err);
    }
    report.worst[name] = worst;
    report.analytic[name] = analytic;
    report.numeric[name] = numeric;
    report.checkedIndices[name] = indices;
  }
  return report;
}

function pickDistinct(rng: Rng, n: number, k: number): number[] {
  const picked = new Set<number>();
  while (picked.size < k) picked.add(Math.floor(rng.next() * n));
  return [...picked].sort((a, b) => a - b);
}

export interface ProgramGradCheckOptions extends GradCheckOptions {
  /**
   * Initializers that `build` creates (layer weights, by name) to differentiate as well, at the values
   * the build gives them. `build` runs more than once and must create the same values each time.
   */
  params?: readonly string[];
  /**
   * The function has kinks (ReLU, leaky ReLU) that no choice of inputs keeps away from every step, as
   * in whole networks. Each element is then judged by whichever of the central and the two one-sided
   * differences lies closest to the analytic gradient: a kink within eps on one side spoils the
   * central difference, while the analytic gradient is the derivative of the piece the point lies on,
   * which the other side's difference measures. Elements that pass only on a one-sided difference are
   * listed in `oneSided`; a test should bound their number.
   */
  kinks?: boolean;
}

export interface ProgramGradCheckReport extends GradCheckReport {
  /** Per checked tensor, the elements that passed on a one-sided difference only (with `kinks`). */
  oneSided: Record<string, number[]>;
}

/** The model with the named initializers turned into graph inputs, and their values as feeds. */
function liftInitializers(
  model: Model,
  names: readonly string[],
): { model: Model; values: Record<string, HostTensor> } {
  const values: Record<string, HostTensor> = {};
  for (const name of names) {
    const t = model.graph.initializers.find((i) => i.name === name);
    if (!t || t.dataType !== DataType.FLOAT)
      throw new Error(`'${name}' is not a float initializer of the graph`);
    values[name] = { data: Float32Array.from(t.data as Float32Array), dims: [...t.dims] };
  }
  const lifted = new Set(names);
  const graph = {
    ...model.graph,
    initializers: model.graph.initializers.filter((t) => !lifted.has(t.name)),
    inputs: [
      ...model.graph.inputs,
      ...names.map((name) => ({ name, elemType: DataType.FLOAT, shape: values[name]!.dims })),
    ],
  };
  return { model: { ...model, graph }, values };
}

/**
 * gradCheck through the product's training path: the gradients come from `compileGradientProgram`
 * (the `params` initializers lifted to inputs, static shapes probed from the feeds, forward outputs
 * dropped) and are compared with central differences of the same loss, sum(out * R), for the
 * non-constant inputs and every param. The differences sum the loss on the host in float64: a
 * float32 ReduceSum would round every evaluation to the loss's ulp, noise that dominates at small
 * steps.
 */
export async function gradCheckProgram(opts: ProgramGradCheckOptions): Promise<ProgramGradCheckReport> {
  const rng = new Rng(opts.seed ?? 1234);
  const feeds: Record<string, HostTensor> = {};
  for (const [name, spec] of Object.entries(opts.inputs)) feeds[name] = fill(spec, rng);
  const params = opts.params ?? [];
  const inputWrt = Object.entries(opts.inputs)
    .filter(([, s]) => !s.constant)
    .map(([n]) => n);

  const build = () => {
    const b = new GraphBuilder('gradcheck', opts.seed ?? 1);
    const names: Record<string, string> = {};
    for (const [name, t] of Object.entries(feeds)) names[name] = b.input(name, t.dims, elemType(t));
    const outs = [opts.build(b, names)].flat();
    outs.forEach((o) => b.output(o));
    return { b, outs };
  };
  const probe = build();
  const probed = await (await createSession(probe.b.model())).run(feeds);
  const projections = probe.outs.map((o) => rng.fillNormal(new Float32Array(probed[o]!.data.length)));

  // The forward graph with the outputs kept (for the host-side differences) and the loss appended.
  const fwd = build();
  const terms = fwd.outs.map((o, k) => {
    const r = fwd.b.constF(projections[k]!, probed[o]!.dims, 'projection');
    return fwd.b.op('ReduceSum', [fwd.b.op('Mul', [o, r])], { keepdims: 0 });
  });
  const loss = terms.length === 1 ? terms[0]! : fwd.b.op('Sum', terms);
  fwd.b.output(loss);
  const model = fwd.b.model();

  const program = await compileGradientProgram(model, { loss, params, wrt: inputWrt, exampleFeeds: feeds });
  const { grads } = await program.step(feeds);
  const lifted = liftInitializers(model, params);
  const fwdSession = await createSession(lifted.model);
  const base: Record<string, HostTensor> = { ...feeds, ...lifted.values };
  const evalLoss = async (f: Record<string, HostTensor>): Promise<number> => {
    const out = await fwdSession.run(f, fwd.outs);
    let sum = 0;
    fwd.outs.forEach((o, k) => {
      const y = out[o]!.data as Float32Array;
      const r = projections[k]!;
      for (let j = 0; j < y.length; j++) sum += y[j]! * r[j]!;
    });
    return sum;
  };

  const eps = opts.eps ?? 1e-2;
  const rtol = opts.rtol ?? 2e-2;
  const atol = opts.atol ?? 2e-3;
  const forwardNodes = new Set(model.graph.nodes.map((n) => n.name));
  const report: ProgramGradCheckReport = {
    worst: {},
    analytic: {},
    numeric: {},
    checkedIndices: {},
    oneSided: {},
    backwardOps: program.model.graph.nodes.filter((n) => !forwardNodes.has(n.name)).map((n) => n.opType),
  };
  const atBase = opts.kinks ? await evalLoss(base) : Number.NaN;
  for (const name of [...inputWrt, ...params]) {
    const analytic = grads[name]!;
    const values = base[name]!.data as Float32Array;
    const max = opts.maxElements ?? 48;
    const indices =
      values.length <= max ? [...Array(values.length).keys()] : pickDistinct(rng, values.length, max);
    const numeric = new Float64Array(values.length).fill(Number.NaN);
    const oneSided: number[] = [];
    let worst = 0;
    for (const i of indices) {
      const shifted = async (delta: number) => {
        const data = values.slice();
        data[i] = values[i]! + delta;
        return evalLoss({ ...base, [name]: { data, dims: base[name]!.dims } });
      };
      const plus = await shifted(eps);
      const minus = await shifted(-eps);
      const a = analytic[i]!;
      const error = (num: number) => Math.abs(a - num) / (atol + rtol * Math.abs(num));
      let num = (plus - minus) / (2 * eps);
      let err = error(num);
      if (opts.kinks) {
        const side = [(plus - atBase) / eps, (atBase - minus) / eps].sort((p, q) => error(p) - error(q))[0]!;
        if (error(side) < err) {
          if (err > 1 && error(side) <= 1) oneSided.push(i);
          [num, err] = [side, error(side)];
        }
      }
      numeric[i] = num;
      worst = Math.max(worst, Number.isNaN(err) ? Infinity : err);
    }
    report.worst[name] = worst;
    report.analytic[name] = analytic;
    report.numeric[name] = numeric;
    report.checkedIndices[name] = indices;
    report.oneSided[name] = oneSided;
  }
  return report;
}
