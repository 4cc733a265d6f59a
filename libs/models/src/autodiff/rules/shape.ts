import { intAttr, intsAttr, stringAttr, tensorAttr } from '../../builder/attributes.ts';
import { DataType } from '../../onnx/ir.ts';
import { GradientSpecError } from '../errors.ts';
import { firstInputOnly, type GradContext, type GradRule, type GradRuleTable } from '../grad-context.ts';

/**
 * Shape and data-movement ops. Rules return gradients in each input's exact shape; Where, Max and
 * Min broadcast, so theirs come back in the output's shape and the driver reduces them.
 */

/** A Slice end past any real extent: "to the end". */
const TO_END = Number.MAX_SAFE_INTEGER;

/** The shape of `t` as an int64 tensor: a constant when known statically, a Shape node otherwise. */
function shapeTensor(ctx: GradContext, t: string): string {
  const s = ctx.staticShape(t);
  return s ? ctx.b.constI64(s) : ctx.shapeOf(t);
}

/** The values of an int64 initializer, if `name` is one. */
function constInts(ctx: GradContext, name: string | undefined): number[] | undefined {
  if (!name) return undefined;
  const init = ctx.b.findInitializer(name);
  return init && init.data instanceof BigInt64Array ? Array.from(init.data, Number) : undefined;
}

function zerosOfShape(ctx: GradContext, shape: string): string {
  return ctx.b.op('ConstantOfShape', [shape], {
    value: tensorAttr({ name: '', dataType: DataType.FLOAT, dims: [1], data: new Float32Array(1) }),
  });
}

function onesI64OfShape(ctx: GradContext, shape: string): string {
  return ctx.b.op('ConstantOfShape', [shape], {
    value: tensorAttr({ name: '', dataType: DataType.INT64, dims: [1], data: BigInt64Array.of(1n) }),
  });
}

/** Reshape back to the input's shape: the gradient of every op that only relabels elements. */
const reshapeBack: GradRule = (ctx, [g]) =>
  firstInputOnly(
    ctx,
    g && ctx.needs[0]
      ? ctx.b.op('Reshape', [g, shapeTensor(ctx, ctx.node.inputs[0]!)], { allowzero: 1 })
      : null,
  );

/** Scatters `upd` into zeros of `x`'s shape at flat positions `flatIdx` (distinct), and reshapes back. */
function scatterFlat(ctx: GradContext, xShape: string, flatIdx: string, upd: string): string {
  const { b } = ctx;
  const flat = b.constI64([-1]);
  const zeros = b.op('Reshape', [zerosOfShape(ctx, xShape), flat]);
  const scattered = b.op(
    'ScatterElements',
    [zeros, b.op('Reshape', [flatIdx, flat]), b.op('Reshape', [upd, flat])],
    { axis: 0 },
  );
  return b.op('Reshape', [scattered, xShape]);
}

/**
 * Slice with unit steps and everything static is undone by a Pad. Returns the pads, or undefined
 * when some step is not 1 or a shape/parameter is only known at run time.
 */
function staticSlicePads(ctx: GradContext): number[] | undefined {
  const [x, startsT, endsT, axesT, stepsT] = ctx.node.inputs;
  const shape = ctx.staticShape(x!);
  const starts = constInts(ctx, startsT);
  const ends = constInts(ctx, endsT);
  const axes = axesT ? constInts(ctx, axesT) : starts?.map((_, i) => i);
  const steps = stepsT ? constInts(ctx, stepsT) : starts?.map(() => 1);
  if (!shape || !starts || !ends || !axes || !steps || steps.some((s) => s !== 1)) return undefined;
  const r = shape.length;
  const pads = new Array<number>(2 * r).fill(0);
  axes.forEach((a0, i) => {
    const a = a0 < 0 ? a0 + r : a0;
    const d = shape[a]!;
    const clamp = (v: number) => Math.min(Math.max(v < 0 ? v + d : v, 0), d);
    const start = clamp(starts[i]!);
    const end = Math.max(clamp(ends[i]!), start);
    pads[a] = start;
    pads[r + a] = d - end;
  });
  return pads;
}

/**
 * Gather along `axis`: scatter-add the gradient back, so repeated indices accumulate. The gradient
 * is viewed as [x.shape[:axis], n, x.shape[axis+1:]] with n = number of indices, and the indices
 * (made non-negative) are broadcast to that shape for ScatterElements.
 */
const gatherRule: GradRule = (ctx, [g]) => {
  if (!g || !ctx.needs[0]) return firstInputOnly(ctx, null);
  const { b, node } = ctx;
  const [x, idx] = node.inputs as [string, string];
  const axis = intAttr(node.attributes, 'axis', 0);
  const xs = ctx.staticShape(x);
  let updShape: string;
  let idxShape: string;
  let dim: string;
  if (xs) {
    const a = axis < 0 ? axis + xs.length : axis;
    updShape = b.constI64(xs.map((d, i) => (i === a ? -1 : d)));
    idxShape = b.constI64(xs.map((_, i) => (i === a ? -1 : 1)));
    dim = b.constI64([xs[a]!]);
  } else {
    // Rank unknown: cut the run-time shape around `axis`, which Slice accepts negative.
    const s = ctx.shapeOf(x);
    const pre = b.op('Slice', [s, b.constI64([0]), b.constI64([axis])]);
    const post =
      axis === -1 ? b.constI64([]) : b.op('Slice', [s, b.constI64([axis + 1]), b.constI64([TO_END])]);
    const minus1 = b.constI64([-1]);
    updShape = b.op('Concat', [pre, minus1, post], { axis: 0 });
    idxShape = b.op(
      'Concat',
      [onesI64OfShape(ctx, b.op('Shape', [pre])), minus1, onesI64OfShape(ctx, b.op('Shape', [post]))],
      {
        axis: 0,
      },
    );
    dim = b.op('Gather', [s, b.constI64([axis])]);
  }
  const upd = b.op('Reshape', [g, updShape]);
  const flatIdx = b.op('Cast', [b.op('Reshape', [idx, b.constI64([-1])])], { to: DataType.INT64 });
  const nonNeg = b.op('Where', [
    b.op('Less', [flatIdx, b.constI64([0], [])]),
    b.op('Add', [flatIdx, dim]),
    flatIdx,
  ]);
  const idxFull = b.op('Expand', [b.op('Reshape', [nonNeg, idxShape]), b.op('Shape', [upd])]);
  const zeros = zerosOfShape(ctx, shapeTensor(ctx, x));
  return firstInputOnly(ctx, b.op('ScatterElements', [zeros, idxFull, upd], { axis, reduction: 'add' }));
};

/** Int64 scalar: a constant if `value` is known, else element `k` of the 1-D tensor `t`. */
function scalarAt(ctx: GradContext, value: number | undefined, t: string, k: number): string {
  return value !== undefined ? ctx.b.constI64([value], []) : ctx.b.op('Gather', [t, ctx.b.constI64([k], [])]);
}

/**
 * Edge and reflect padding read, along each axis separately, x at a source index for every output
 * position (clamped for edge, mirrored without repeating the border for reflect). The gradient
 * scatter-adds g back through that index map one padded axis at a time.
 */
function padIndexedGrad(ctx: GradContext, g: string, mode: 'edge' | 'reflect'): string {
  const { b, node } = ctx;
  const [x, padsT] = node.inputs as [string, string];
  if (node.inputs[3]) {
    throw new GradientSpecError(
      `Pad '${node.name}' in ${mode} mode with an axes input is not supported by the gradient rule`,
    );
  }
  const pads = constInts(ctx, padsT);
  const padsLength = pads?.length ?? ctx.staticShape(padsT)?.[0];
  const r = padsLength !== undefined ? padsLength / 2 : ctx.rank(x);
  if (r === undefined)
    throw new GradientSpecError(`Pad '${node.name}' in ${mode} mode: the rank of its input is not known`);
  const xs = ctx.staticShape(x);
  const xShape = shapeTensor(ctx, x);
  const one = b.constI64([1], []);
  let cur = g;
  for (let k = 0; k < r; k++) {
    if (pads && pads[k] === 0 && pads[r + k] === 0) continue;
    const n = scalarAt(ctx, xs?.[k], xShape, k);
    const before = scalarAt(ctx, pads?.[k], padsT, k);
    const after = scalarAt(ctx, pads?.[r + k], padsT, r + k);
    // Output position j reads source t = j - before, for t in [-before, n + after).
    const t = b.op('Range', [b.op('Sub', [b.constI64([0], []), before]), b.op('Add', [n, after]), one]);
    const last = b.op('Sub', [n, one]);
    let src: string;
    if (mode === 'edge') {
      src = b.op('Max', [b.op('Min', [t, last]), b.constI64([0], [])]);
    } else {
      // Mirror with period 2(n-1): m = t mod period in [0, period), src = last - |m - last|.
      const period = b.op('Max', [b.op('Add', [last, last]), one]);
      src = b.op('Sub', [last, b.op('Abs', [b.op('Sub', [b.op('Mod', [t, period]), last])])]);
    }
    const curShape = b.op('Shape', [cur]);
    const view = b.constI64(Array.from({ length: r }, (_, i) => (i === k ? -1 : 1)));
    const idx = b.op('Expand', [b.op('Reshape', [src, view]), curShape]);
    // The result has x's extent on axes 0..k (earlier axes are done or unpadded) and the padded extent beyond.
    const slice = (t: string, from: number, to: number) =>
      b.op('Slice', [t, b.constI64([from]), b.constI64([to])]);
    const target =
      k === r - 1
        ? xShape
        : b.op('Concat', [slice(xShape, 0, k + 1), slice(curShape, k + 1, r)], { axis: 0 });
    cur = b.op('ScatterElements', [zerosOfShape(ctx, target), idx, cur], { axis: k, reduction: 'add' });
  }
  return cur;
}

/** Element-wise Max/Min: the gradient goes to the inputs equal to the result, split evenly among ties (as PyTorch's maximum does). */
const elementwiseExtremum: GradRule = (ctx, [g]) => {
  const { b, node, needs } = ctx;
  if (!g) return node.inputs.map(() => null);
  if (node.inputs.length === 1) return [needs[0] ? g : null];
  const y = node.outputs[0]!;
  const hits = node.inputs.map((xi) => b.op('CastLike', [b.op('Equal', [xi, y]), g]));
  const share = b.op('Div', [g, b.op('Sum', hits)]);
  return node.inputs.map((_, i) => (needs[i] ? b.op('Mul', [share, hits[i]!]) : null));
};

export const shapeRules: GradRuleTable = {
  Reshape: reshapeBack,
  Flatten: reshapeBack,
  Squeeze: reshapeBack,
  Unsqueeze: reshapeBack,

  // The inverse permutation; the default (reversed axes) is its own inverse.
  Transpose: (ctx, [g]) => {
    if (!g || !ctx.needs[0]) return [null];
    const perm = intsAttr(ctx.node.attributes, 'perm');
    if (!perm) return [ctx.b.op('Transpose', [g])];
    const inv = new Array<number>(perm.length);
    perm.forEach((p, i) => (inv[p] = i));
    return [ctx.b.op('Transpose', [g], { perm: inv })];
  },

  // Split the gradient back into pieces as long as each input along the axis.
  Concat: (ctx, [g]) => {
    const { b, node, needs } = ctx;
    if (!g || !needs.some(Boolean)) return node.inputs.map(() => null);
    const axis = intAttr(node.attributes, 'axis', 0);
    const shapes = node.inputs.map((t) => ctx.staticShape(t));
    const sizes = shapes.every((s) => s !== undefined)
      ? b.constI64(shapes.map((s) => s.at(axis)!))
      : b.op(
          'Concat',
          node.inputs.map((t) => b.op('Gather', [ctx.shapeOf(t), b.constI64([axis])])),
          { axis: 0 },
        );
    const pieces = b.node('Split', [g, sizes], { axis }, node.inputs.length);
    return pieces.map((p, i) => (needs[i] ? p : null));
  },

  // Concatenate the output gradients; an output nothing depends on contributes zeros of its shape.
  Split: (ctx, gs) => {
    const { b, node } = ctx;
    if (!ctx.needs[0] || gs.every((g) => !g)) return firstInputOnly(ctx, null);
    const axis = intAttr(node.attributes, 'axis', 0);
    const parts = node.outputs.map((o, i) => gs[i] ?? zerosOfShape(ctx, shapeTensor(ctx, o)));
    return firstInputOnly(ctx, b.op('Concat', parts, { axis }));
  },

  /**
   * Unit steps with static parameters: a Pad. Otherwise (any steps, negative or out-of-range
   * bounds, run-time parameters) slice an iota of x's shape with the node's own parameters to get
   * the flat positions it read, and scatter the gradient there; this reproduces Slice's clamping exactly.
   */
  Slice: (ctx, [g]) => {
    if (!g || !ctx.needs[0]) return firstInputOnly(ctx, null);
    const { b, node } = ctx;
    const x = node.inputs[0]!;
    const pads = staticSlicePads(ctx);
    if (pads) return firstInputOnly(ctx, b.op('Pad', [g, b.constI64(pads)]));
    const xShape = shapeTensor(ctx, x);
    const count = b.op('ReduceProd', [xShape], { keepdims: 0 });
    const iota = b.op('Reshape', [b.op('Range', [b.constI64([0], []), count, b.constI64([1], [])]), xShape]);
    const read = b.op('Slice', [iota, ...node.inputs.slice(1)]);
    return firstInputOnly(ctx, scatterFlat(ctx, xShape, read, g));
  },

  Gather: gatherRule,

  Expand: (ctx, [g]) =>
    firstInputOnly(
      ctx,
      g && ctx.needs[0] ? ctx.unbroadcast(g, ctx.node.inputs[0]!, ctx.node.outputs[0]!) : null,
    ),

  /**
   * Constant mode: y[j] = x[j - before] where that is in range, so the gradient is g padded by the
   * negated pads (which also covers negative, cropping pads). The pad value gets the sum of g over
   * the padded positions.
   */
  Pad: (ctx, [g]) => {
    const { b, node, needs } = ctx;
    const [, padsT, value, axesT] = node.inputs as [string, string, string | undefined, string | undefined];
    const grads: (string | null)[] = node.inputs.map(() => null);
    if (!g) return grads;
    const mode = stringAttr(node.attributes, 'mode', 'constant');
    if (mode === 'edge' || mode === 'reflect') {
      if (needs[0]) grads[0] = padIndexedGrad(ctx, g, mode);
      return grads;
    }
    if (mode !== 'constant') {
      throw new GradientSpecError(
        `Pad '${node.name}': no gradient rule for mode '${mode}' (constant, edge and reflect have one)`,
      );
    }
    const pads = constInts(ctx, padsT);
    const neg = pads ? b.constI64(pads.map((p) => -p)) : b.op('Neg', [padsT]);
    const gx = b.op('Pad', axesT ? [g, neg, '', axesT] : [g, neg]);
    if (needs[0]) grads[0] = gx;
    if (value && needs[2]) {
      const padded = b.op('Sub', [
        b.op('ReduceSum', [g], { keepdims: 0 }),
        b.op('ReduceSum', [gx], { keepdims: 0 }),
      ]);
      grads[2] = b.op('Reshape', [padded, shapeTensor(ctx, value)]);
    }
    return grads;
  },

  // The condition gets nothing; each branch gets g where it was chosen (output-shaped: the driver reduces).
  Where: ({ b, node, needs }, [g]) => {
    if (!g) return [null, null, null];
    const [cond] = node.inputs as [string];
    const zero = b.scalarF(0);
    return [
      null,
      needs[1] ? b.op('Where', [cond, g, zero]) : null,
      needs[2] ? b.op('Where', [cond, zero, g]) : null,
    ];
  },

  /**
   * y = min(max(x, lo), hi). x gets g where lo <= x <= hi (inclusive, as PyTorch's clamp); lo gets
   * the sum of g where x < lo <= hi; hi where max(x, lo) > hi. The three masks partition every element.
   */
  Clip: (ctx, [g]) => {
    const { b, node, needs } = ctx;
    const [x, lo, hi] = node.inputs as [string, string | undefined, string | undefined];
    const out: (string | null)[] = node.inputs.map(() => null);
    if (!g) return out;
    const zero = b.scalarF(0);
    const and = (p: string | undefined, q: string | undefined) => (p && q ? b.op('And', [p, q]) : (p ?? q));
    if (needs[0]) {
      const mask = and(
        lo ? b.op('GreaterOrEqual', [x, lo]) : undefined,
        hi ? b.op('LessOrEqual', [x, hi]) : undefined,
      );
      out[0] = mask ? b.op('Where', [mask, g, zero]) : g;
    }
    const sumWhere = (mask: string, like: string) =>
      b.op('Reshape', [
        b.op('ReduceSum', [b.op('Where', [mask, g, zero])], { keepdims: 0 }),
        shapeTensor(ctx, like),
      ]);
    if (lo && needs[1]) {
      const below = b.op('Less', [x, lo]);
      out[1] = sumWhere(hi ? b.op('And', [below, b.op('LessOrEqual', [lo, hi])]) : below, lo);
    }
    if (hi && needs[2]) out[2] = sumWhere(b.op('Greater', [lo ? b.op('Max', [x, lo]) : x, hi]), hi);
    return out;
  },

  // Only float-to-float casts reach here (integer casts end the gradient): cast g back to x's type.
  Cast: (ctx, [g]) =>
    firstInputOnly(ctx, g && ctx.needs[0] ? ctx.b.op('CastLike', [g, ctx.node.inputs[0]!]) : null),

  Max: elementwiseExtremum,
  Min: elementwiseExtremum,
};
