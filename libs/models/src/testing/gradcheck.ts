import { GraphBuilder } from '../builder/graph-builder.ts';
import { Rng } from '../builder/rng.ts';
import { buildGradientGraph } from '../autodiff/backward.ts';
import { DataType } from '../onnx/ir.ts';
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
