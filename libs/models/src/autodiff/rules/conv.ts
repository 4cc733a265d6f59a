import { intAttr, intsAttr, stringAttr } from '../../builder/attributes.ts';
import type { GraphBuilder } from '../../builder/graph-builder.ts';
import { DataType } from '../../onnx/ir.ts';
import { GradientSpecError } from '../errors.ts';
import type { GradContext, GradRuleTable, InputGrads } from '../grad-context.ts';
import { inferRank } from './matmul.ts';

/** Attributes of a Conv or ConvTranspose node, resolved to explicit per-axis values. */
interface ConvGeometry {
  /** Number of spatial axes. */
  nsp: number;
  strides: number[];
  dilations: number[];
  padsBegin: number[];
  padsEnd: number[];
  group: number;
  /** Static kernel extent, when kernel_shape or the weight's static shape gives it. */
  kernel: number[] | undefined;
}

const prod = (xs: readonly number[]): number => xs.reduce((a, v) => a * v, 1);
const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i);

function fail(ctx: GradContext, why: string): never {
  throw new GradientSpecError(`${ctx.node.opType} '${ctx.node.name}': ${why}`);
}

function convGeometry(ctx: GradContext): ConvGeometry {
  const { node } = ctx;
  const [x, w] = node.inputs as [string, string];
  const attrs = node.attributes;
  const kernel = intsAttr(attrs, 'kernel_shape') ?? ctx.staticShape(w)?.slice(2);
  const rank = inferRank(ctx, x) ?? inferRank(ctx, w);
  const nsp = kernel?.length ?? (rank === undefined ? undefined : rank - 2);
  if (nsp === undefined)
    fail(ctx, 'the number of spatial axes is unknown: add kernel_shape or pass static shapes');
  const ones = Array<number>(nsp).fill(1);
  const strides = intsAttr(attrs, 'strides') ?? ones;
  const dilations = intsAttr(attrs, 'dilations') ?? ones;
  const group = intAttr(attrs, 'group', 1);
  const autoPad = stringAttr(attrs, 'auto_pad', 'NOTSET');
  let pads = intsAttr(attrs, 'pads') ?? Array<number>(2 * nsp).fill(0);
  if (autoPad === 'VALID') pads = Array<number>(2 * nsp).fill(0);
  else if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') {
    const xShape = ctx.staticShape(x);
    if (node.opType !== 'Conv' || !xShape || !kernel) {
      fail(
        ctx,
        `auto_pad=${autoPad} is supported for Conv with a static input shape and kernel only; use explicit pads`,
      );
    }
    // The same split onnxruntime uses: the odd unit of padding goes to the end for SAME_UPPER.
    const total = range(0, nsp).map((i) => {
      const h = xShape[i + 2]!;
      const out = Math.ceil(h / strides[i]!);
      return Math.max(0, (out - 1) * strides[i]! + (kernel[i]! - 1) * dilations[i]! + 1 - h);
    });
    const begin = total.map((t) => (autoPad === 'SAME_UPPER' ? Math.floor(t / 2) : Math.ceil(t / 2)));
    pads = [...begin, ...total.map((t, i) => t - begin[i]!)];
  } else if (autoPad !== 'NOTSET') fail(ctx, `unknown auto_pad '${autoPad}'`);
  if (pads.length !== 2 * nsp || strides.length !== nsp || dilations.length !== nsp) {
    fail(ctx, `pads/strides/dilations do not match ${nsp} spatial axes`);
  }
  return { nsp, strides, dilations, padsBegin: pads.slice(0, nsp), padsEnd: pads.slice(nsp), group, kernel };
}

/** An int64 1-D tensor from static numbers and run-time int64 1-D tensors, concatenated in order. */
function dimsTensor(b: GraphBuilder, parts: readonly (number | string)[]): string {
  if (parts.every((p): p is number => typeof p === 'number')) return b.constI64(parts);
  const pieces: string[] = [];
  let run: number[] = [];
  for (const p of parts) {
    if (typeof p === 'number') run.push(p);
    else {
      if (run.length) pieces.push(b.constI64(run));
      run = [];
      pieces.push(p);
    }
  }
  if (run.length) pieces.push(b.constI64(run));
  return pieces.length === 1 ? pieces[0]! : b.op('Concat', pieces, { axis: 0 });
}

/** Dims [from, to) of `t`'s run-time shape as an int64 tensor. */
function shapeSlice(ctx: GradContext, t: string, from: number, to: number): string {
  return ctx.b.op('Slice', [ctx.shapeOf(t), ctx.b.constI64([from]), ctx.b.constI64([to])]);
}

/** Static output spatial size of the forward Conv, if it can be known. */
function convOutSpatial(ctx: GradContext, geo: ConvGeometry): number[] | undefined {
  const y = ctx.staticShape(ctx.node.outputs[0]!);
  if (y) return y.slice(2);
  const x = ctx.staticShape(ctx.node.inputs[0]!);
  const k = geo.kernel;
  if (!x || !k) return undefined;
  return range(0, geo.nsp).map(
    (i) =>
      Math.floor(
        (x[i + 2]! + geo.padsBegin[i]! + geo.padsEnd[i]! - geo.dilations[i]! * (k[i]! - 1) - 1) /
          geo.strides[i]!,
      ) + 1,
  );
}

/**
 * The weight is fixed for the life of the graph: a float initializer that no feed can override and
 * that is not itself being differentiated (a trained weight changes between runs).
 */
function isFrozenInitializer(ctx: GradContext, w: string): Float32Array | undefined {
  const init = ctx.b.findInitializer(w);
  if (!init || init.external || init.dataType !== DataType.FLOAT || !(init.data instanceof Float32Array))
    return undefined;
  if (ctx.needs[1] || ctx.b.graph.inputs.some((v) => v.name === w)) return undefined;
  return init.data;
}

const flippedCache = new WeakMap<GraphBuilder, Map<string, string>>();

/**
 * The weight of the Conv that computes a stride-1 Conv's input gradient: per group, in and out
 * channels swapped, every spatial axis reversed. Precomputed for frozen initializers, in-graph otherwise.
 */
function flippedWeight(ctx: GradContext, geo: ConvGeometry, w: string): string {
  const { b } = ctx;
  const G = geo.group;
  const frozen = isFrozenInitializer(ctx, w);
  if (frozen) {
    let cache = flippedCache.get(b);
    if (!cache) flippedCache.set(b, (cache = new Map()));
    const hit = cache.get(`${w}/${G}`);
    if (hit) return hit;
    const [M, Cg, ...k] = b.findInitializer(w)!.dims as [number, number, ...number[]];
    const Mg = M / G;
    const kv = prod(k);
    const out = new Float32Array(frozen.length);
    for (let g = 0; g < G; g++) {
      for (let m = 0; m < Mg; m++) {
        for (let c = 0; c < Cg; c++) {
          const src = ((g * Mg + m) * Cg + c) * kv;
          const dst = ((g * Cg + c) * Mg + m) * kv + kv - 1;
          for (let i = 0; i < kv; i++) out[dst - i] = frozen[src + i]!;
        }
      }
    }
    const name = b.constF(out, [G * Cg, Mg, ...k], 'conv_weight_flipped');
    cache.set(`${w}/${G}`, name);
    return name;
  }
  const spatial = range(2, 2 + geo.nsp);
  const ws = ctx.staticShape(w);
  let swapped: string;
  // Depthwise with multiplier 1 has one in and one out channel per group: nothing to swap.
  if (ws && ws[0] === G && ws[1] === 1) swapped = w;
  else if (G === 1) swapped = b.op('Transpose', [w], { perm: [1, 0, ...spatial] });
  else {
    const split = b.op('Reshape', [
      w,
      dimsTensor(b, ws ? [G, -1, ...ws.slice(1)] : [G, -1, shapeSlice(ctx, w, 1, 2 + geo.nsp)]),
    ]);
    const t = b.op('Transpose', [split], { perm: [0, 2, 1, ...range(3, 3 + geo.nsp)] });
    const merged = ws
      ? [-1, ws[0]! / G, ...ws.slice(2)]
      : [-1, b.op('Slice', [b.op('Shape', [t]), b.constI64([2]), b.constI64([3 + geo.nsp])])];
    swapped = b.op('Reshape', [t, dimsTensor(b, merged)]);
  }
  const n = geo.nsp;
  return b.op('Slice', [
    swapped,
    b.constI64(Array<number>(n).fill(-1)),
    b.constI64(Array<number>(n).fill(Number.MIN_SAFE_INTEGER)),
    b.constI64(spatial),
    b.constI64(Array<number>(n).fill(-1)),
  ]);
}

/** Conv's input gradient: the transposed convolution of dy with the forward weight. */
function convInputGrad(ctx: GradContext, geo: ConvGeometry, dy: string): string {
  const { b, node } = ctx;
  const [x, w] = node.inputs as [string, string];
  const { nsp, strides, dilations, padsBegin, padsEnd, group, kernel } = geo;
  const attrs = { dilations, group };
  // For a weight computed or fed at run time the flip costs a Slice and a Transpose of the whole
  // kernel every step (~8 ms for 512x512x3x3 here), which only pays off against ConvTranspose's
  // slower kernel on large maps; measured break-even is near 64x64 positions.
  const spatial = ctx.staticShape(x)?.slice(2);
  const flipPays = isFrozenInitializer(ctx, w) !== undefined || !spatial || prod(spatial) >= 64 * 64;
  if (strides.every((s) => s === 1) && kernel && flipPays) {
    // A stride-1 Conv's adjoint is a Conv with the flipped, channel-swapped kernel and pads
    // (K-1)*d - p, which onnxruntime runs faster than ConvTranspose. Pads larger than the
    // kernel's reach would make those negative; ConvTranspose handles that case below.
    const reach = kernel.map((k, i) => (k - 1) * dilations[i]!);
    const pads = [...reach.map((r, i) => r - padsBegin[i]!), ...reach.map((r, i) => r - padsEnd[i]!)];
    if (pads.every((p) => p >= 0)) return b.op('Conv', [dy, flippedWeight(ctx, geo, w)], { ...attrs, pads });
  }
  const xs = ctx.staticShape(x);
  const ys = convOutSpatial(ctx, geo);
  if (strides.every((s) => s === 1) || (xs && ys && kernel)) {
    // Rows of x that no output window reached (when (H + pads - reach - 1) % stride != 0) come
    // back as output_padding.
    const outputPadding = strides.every((s) => s === 1)
      ? Array<number>(nsp).fill(0)
      : range(0, nsp).map(
          (i) =>
            xs![i + 2]! +
            padsBegin[i]! +
            padsEnd[i]! -
            (strides[i]! * (ys![i]! - 1) + (kernel![i]! - 1) * dilations[i]! + 1),
        );
    return b.op('ConvTranspose', [dy, w], {
      ...attrs,
      strides,
      pads: [...padsBegin, ...padsEnd],
      output_padding: outputPadding,
    });
  }
  // Sizes known only at run time: let ConvTranspose overshoot the end (no end pads, maximal
  // output_padding), then cut back to x's spatial size.
  const full = b.op('ConvTranspose', [dy, w], {
    ...attrs,
    strides,
    pads: [...padsBegin, ...Array<number>(nsp).fill(0)],
    output_padding: strides.map((s) => s - 1),
  });
  return b.op('Slice', [
    full,
    b.constI64(Array<number>(nsp).fill(0)),
    shapeSlice(ctx, x, 2, 2 + nsp),
    b.constI64(range(2, 2 + nsp)),
  ]);
}

interface WeightGradArgs {
  /** The tensor the kernel slides over (Conv: x; ConvTranspose: dy). */
  input: string;
  /** The tensor each kernel window contributes to (Conv: dy; ConvTranspose: x). */
  outGrad: string;
  /** Static spatial size of outGrad, if known. */
  outSpatial: number[] | undefined;
  /** Static batch size, if known. */
  batch: number | undefined;
  weight: string;
}

/**
 * im2col with one strided Slice of the padded input per kernel offset, stacked to (N, C, K, ...out).
 * Used when the channel count is only known at run time.
 */
function im2colBySlices(ctx: GradContext, geo: ConvGeometry, a: WeightGradArgs, kernel: number[]): string {
  const { b } = ctx;
  const { nsp, strides, dilations, padsBegin, padsEnd } = geo;
  const axes = b.constI64(range(2, 2 + nsp));
  const padded = [...padsBegin, ...padsEnd].some((p) => p !== 0)
    ? b.op('Pad', [a.input, b.constI64([0, 0, ...padsBegin, 0, 0, ...padsEnd])])
    : a.input;
  const steps = strides.every((s) => s === 1) ? [] : [b.constI64(strides)];
  // Slice ends are start + stride * (out - 1) + 1; `endBase` is the part without the start.
  const endBase = a.outSpatial
    ? a.outSpatial.map((o, i) => strides[i]! * (o - 1) + 1)
    : b.op('Add', [
        b.op('Mul', [shapeSlice(ctx, a.outGrad, 2, 2 + nsp), b.constI64(strides)]),
        b.constI64(strides.map((s) => 1 - s)),
      ]);
  const cols: string[] = [];
  const offsets = kernel.reduce<number[][]>(
    (acc, k) => acc.flatMap((o) => range(0, k).map((i) => [...o, i])),
    [[]],
  );
  const paddedShape = ctx
    .staticShape(a.input)
    ?.map((d, i) => (i < 2 ? d : d + padsBegin[i - 2]! + padsEnd[i - 2]!));
  for (const off of offsets) {
    const starts = off.map((k, i) => k * dilations[i]!);
    const whole =
      typeof endBase !== 'string' &&
      steps.length === 0 &&
      starts.every((s, i) => s === 0 && endBase[i] === paddedShape?.[i + 2]);
    const ends =
      typeof endBase === 'string'
        ? b.op('Add', [endBase, b.constI64(starts)])
        : b.constI64(endBase.map((e, i) => e + starts[i]!));
    const window = whole ? padded : b.op('Slice', [padded, b.constI64(starts), ends, axes, ...steps]);
    cols.push(offsets.length === 1 ? window : b.op('Unsqueeze', [window, b.constI64([2])]));
  }
  return cols.length === 1 ? cols[0]! : b.op('Concat', cols, { axis: 2 });
}

/**
 * im2col as one depthwise Conv with one-hot kernels: output channel c*K + k copies input channel c
 * shifted by kernel offset k, with the forward's pads, strides and dilations applied natively.
 * Measured here (512 channels, 64x64, 3x3) about twice as fast as the Slice + Concat form.
 */
function im2colByConv(
  b: GraphBuilder,
  geo: ConvGeometry,
  input: string,
  kernel: number[],
  channels: number,
): string {
  const K = prod(kernel);
  const identity =
    geo.strides.every((v) => v === 1) && [...geo.padsBegin, ...geo.padsEnd].every((v) => v === 0);
  if (K === 1 && identity) return input;
  const oneHot = new Float32Array(channels * K * K);
  for (let c = 0; c < channels; c++) for (let k = 0; k < K; k++) oneHot[(c * K + k) * K + k] = 1;
  return b.op('Conv', [input, b.constF(oneHot, [channels * K, 1, ...kernel], 'im2col_one_hot')], {
    group: channels,
    kernel_shape: kernel,
    strides: geo.strides,
    dilations: geo.dilations,
    pads: [...geo.padsBegin, ...geo.padsEnd],
  });
}

/**
 * dW[m, c, k] = sum over n, o of outGrad[n, m, o] * padded(input)[n, c, o*stride + k*dilation],
 * by im2col: one strided Slice of the padded input per kernel offset, stacked to
 * (N, G, Cin/G * K, P), then one batched MatMul with outGrad as (N, G, Cout/G, P), or one Gemm
 * when there is a single sample and group.
 */
function weightGrad(ctx: GradContext, geo: ConvGeometry, a: WeightGradArgs): string {
  const { b } = ctx;
  const { nsp, group, kernel } = geo;
  if (!kernel) fail(ctx, 'the weight gradient needs the kernel size: add kernel_shape or pass static shapes');
  const channels = ctx.staticShape(a.input)?.[1];
  const stacked =
    channels === undefined
      ? im2colBySlices(ctx, geo, a, kernel)
      : im2colByConv(b, geo, a.input, kernel, channels);
  const P = a.outSpatial
    ? prod(a.outSpatial)
    : b.op('ReduceProd', [shapeSlice(ctx, a.outGrad, 2, 2 + nsp)], { keepdims: 1 });
  const ws = ctx.staticShape(a.weight);
  const toWeight = (t: string) => b.op('Reshape', [t, ws ? b.constI64(ws) : ctx.shapeOf(a.weight)]);
  if (a.batch === 1 && group === 1) {
    // One plain GEMM; its transB reads the columns in place (a batched MatMul would copy them).
    const flat = (t: string) => b.op('Reshape', [t, dimsTensor(b, [-1, P])]);
    return toWeight(b.op('Gemm', [flat(a.outGrad), flat(stacked)], { transB: 1 }));
  }
  const grouped = (t: string) => b.op('Reshape', [t, dimsTensor(b, [0, group, -1, P])]);
  const colsT = b.op('Transpose', [grouped(stacked)], { perm: [0, 1, 3, 2] });
  const perSample = b.op('MatMul', [grouped(a.outGrad), colsT]);
  return toWeight(
    a.batch === 1 ? perSample : b.op('ReduceSum', [perSample, b.constI64([0])], { keepdims: 0 }),
  );
}

function biasGrad(ctx: GradContext, geo: ConvGeometry, dy: string): string {
  return ctx.b.op('ReduceSum', [dy, ctx.b.constI64([0, ...range(2, 2 + geo.nsp)])], { keepdims: 0 });
}

export const convRules: GradRuleTable = {
  Conv: (ctx, [g]): InputGrads => {
    if (!g) return ctx.node.inputs.map(() => null);
    const geo = convGeometry(ctx);
    const [x, w] = ctx.node.inputs as [string, string];
    return ctx.node.inputs.map((_, i) => {
      if (!ctx.needs[i]) return null;
      if (i === 0) return convInputGrad(ctx, geo, g);
      if (i === 1) {
        const batch = ctx.staticShape(x)?.[0];
        return weightGrad(ctx, geo, {
          input: x,
          outGrad: g,
          outSpatial: convOutSpatial(ctx, geo),
          batch,
          weight: w,
        });
      }
      return biasGrad(ctx, geo, g);
    });
  },

  // ConvTranspose is the adjoint of Conv with the same weight and attributes, so its input
  // gradient is that Conv, and its weight gradient is Conv's with the roles of x and dy swapped.
  ConvTranspose: (ctx, [g]): InputGrads => {
    if (!g) return ctx.node.inputs.map(() => null);
    const { node } = ctx;
    if (intsAttr(node.attributes, 'output_shape'))
      fail(ctx, 'output_shape is not supported; give pads and output_padding');
    const geo = convGeometry(ctx);
    const outputPadding = intsAttr(node.attributes, 'output_padding') ?? [];
    if (outputPadding.some((p, i) => p >= geo.strides[i]!))
      fail(ctx, 'output_padding must be smaller than the stride');
    const [x, w] = node.inputs as [string, string];
    const { strides, dilations, group, padsBegin, padsEnd } = geo;
    return node.inputs.map((_, i) => {
      if (!ctx.needs[i]) return null;
      if (i === 0)
        return ctx.b.op('Conv', [g, w], { strides, dilations, group, pads: [...padsBegin, ...padsEnd] });
      if (i === 1) {
        const xs = ctx.staticShape(x);
        return weightGrad(ctx, geo, {
          input: g,
          outGrad: x,
          outSpatial: xs?.slice(2),
          batch: xs?.[0],
          weight: w,
        });
      }
      return biasGrad(ctx, geo, g);
    });
  },
};
