import { floatAttr, intAttr, tensorAttr } from '../../builder/attributes.ts';
import { DataType } from '../../onnx/ir.ts';
import type { GradContext, GradRuleTable, InputGrads } from '../grad-context.ts';
import { GradientSpecError } from '../errors.ts';

const range = (from: number, to: number): number[] =>
  Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);

/** Run-time rank of `x` as an int64 scalar. */
const runtimeRank = (ctx: GradContext, x: string): string => ctx.b.op('Size', [ctx.shapeOf(x)]);

/** Statistics of a LayerNormalization node, recomputed only where the forward node did not output them. */
interface LayerNormStats {
  /** int64 axes [axis, rank). */
  axes: string;
  /** Number of normalised elements, a float scalar. */
  count: string;
  invStd: string;
  /** (x - mean) * invStd */
  xhat: string;
}

function layerNormStats(ctx: GradContext): LayerNormStats {
  const { b, node } = ctx;
  const x = node.inputs[0]!;
  const axis = intAttr(node.attributes, 'axis', -1);
  const epsilon = floatAttr(node.attributes, 'epsilon', 1e-5);
  const rank = ctx.rank(x);
  const shape = ctx.staticShape(x);

  // A negative axis names the trailing dims without knowing the rank; a positive one needs it.
  let axes: string;
  if (rank !== undefined) axes = b.constI64(range(axis < 0 ? axis + rank : axis, rank));
  else if (axis < 0) axes = b.constI64(range(axis, 0));
  else axes = b.op('Range', [b.constI64([axis], []), runtimeRank(ctx, x), b.constI64([1], [])]);

  let count: string;
  if (shape) count = b.scalarF(shape.slice(axis < 0 ? axis + shape.length : axis).reduce((n, d) => n * d, 1));
  else {
    const trailing = b.op('Slice', [
      ctx.shapeOf(x),
      b.constI64([axis]),
      b.constI64([Number.MAX_SAFE_INTEGER]),
    ]);
    count = b.op('ReduceProd', [b.op('Cast', [trailing], { to: DataType.FLOAT })], { keepdims: 0 });
  }
  const meanOf = (t: string): string => b.op('Div', [b.op('ReduceSum', [t, axes], { keepdims: 1 }), count]);

  const mean = node.outputs[1] || meanOf(x);
  const centred = b.op('Sub', [x, mean]);
  const invStd =
    node.outputs[2] ||
    b.op('Reciprocal', [
      b.op('Sqrt', [b.op('Add', [meanOf(b.op('Mul', [centred, centred])), b.scalarF(epsilon)])]),
    ]);
  return { axes, count, invStd, xhat: b.op('Mul', [centred, invStd]) };
}

/** Reshapes a per-channel [C] vector to [C, 1, ..., 1] so it broadcasts against an NC... tensor. */
function perChannel(ctx: GradContext, v: string, x: string): string {
  const { b } = ctx;
  const rank = ctx.rank(x);
  if (rank !== undefined)
    return b.op('Reshape', [v, b.constI64([-1, ...Array<number>(Math.max(0, rank - 2)).fill(1)])]);
  const spatialRank = b.op('Reshape', [
    b.op('Sub', [runtimeRank(ctx, x), b.constI64([2], [])]),
    b.constI64([1]),
  ]);
  const one = tensorAttr({ name: '', dataType: DataType.INT64, dims: [1], data: BigInt64Array.of(1n) });
  const ones = b.op('ConstantOfShape', [spatialRank], { value: one });
  return b.op('Reshape', [v, b.op('Concat', [b.constI64([-1]), ones], { axis: 0 })]);
}

/** Every axis of an NC... tensor except the channel axis 1. */
function nonChannelAxes(ctx: GradContext, x: string): string {
  const { b } = ctx;
  const rank = ctx.rank(x);
  if (rank !== undefined) return b.constI64([0, ...range(2, rank)]);
  const spatial = b.op('Range', [b.constI64([2], []), runtimeRank(ctx, x), b.constI64([1], [])]);
  return b.op('Concat', [b.constI64([0]), spatial], { axis: 0 });
}

export const normRules: GradRuleTable = {
  /**
   * y = xhat * scale + B over the trailing dims from `axis`. With gh = g * scale and means over
   * those dims: dx = invStd * (gh - mean(gh) - xhat * mean(gh * xhat)). The optional Mean and
   * InvStdDev outputs add their own terms when something downstream reads them.
   */
  LayerNormalization: (ctx, [gY, gMean, gInvStd]) => {
    const { b, node, needs } = ctx;
    const [x, scale, bias] = node.inputs as [string, string, string | undefined];
    const grads: InputGrads = node.inputs.map(() => null);
    let memo: LayerNormStats | undefined;
    const stats = (): LayerNormStats => (memo ??= layerNormStats(ctx));

    if (gY && needs[2] && bias) grads[2] = ctx.unbroadcast(gY, bias, x);
    if (gY && needs[1]) grads[1] = ctx.unbroadcast(b.op('Mul', [gY, stats().xhat]), scale, x);
    if (!needs[0] || !(gY || gMean || gInvStd)) return grads;

    const { axes, count, invStd, xhat } = stats();
    const meanOf = (t: string): string => b.op('Div', [b.op('ReduceSum', [t, axes], { keepdims: 1 }), count]);
    const full: string[] = [];
    if (gY) {
      const gh = b.op('Mul', [gY, scale]);
      const centred = b.op('Sub', [gh, meanOf(gh)]);
      full.push(
        b.op('Mul', [invStd, b.op('Sub', [centred, b.op('Mul', [xhat, meanOf(b.op('Mul', [gh, xhat]))])])]),
      );
    }
    // invStd = (var + eps)^-1/2 and d var / dx = 2 (x - mean) / n, so d invStd / dx = -invStd^2 * xhat / n.
    if (gInvStd) {
      const coef = b.op('Neg', [b.op('Div', [b.op('Mul', [gInvStd, b.op('Mul', [invStd, invStd])]), count])]);
      full.push(b.op('Mul', [coef, xhat]));
    }
    let gx = full.length === 0 ? null : full.length === 1 ? full[0]! : b.op('Add', [full[0]!, full[1]!]);
    if (gMean) {
      const fromMean = b.op('Div', [gMean, count]);
      gx = gx ? b.op('Add', [gx, fromMean]) : b.op('Expand', [fromMean, ctx.shapeOf(x)]);
    }
    grads[0] = gx;
    return grads;
  },

  /**
   * Inference form: y = (x - mean) * invStd * scale + B per channel, with the running mean and
   * variance as inputs. All five inputs get exact gradients (the running statistics only when asked).
   */
  BatchNormalization: (ctx, [g]) => {
    const { b, node, needs } = ctx;
    if (intAttr(node.attributes, 'training_mode', 0) !== 0 || node.outputs.slice(1).some((o) => o !== '')) {
      throw new GradientSpecError(
        `BatchNormalization '${node.name}' runs in training mode (batch statistics); only the inference form with running mean/var inputs is differentiated`,
      );
    }
    const grads: InputGrads = node.inputs.map(() => null);
    if (!g) return grads;
    const [x, scale, , mean, variance] = node.inputs as [string, string, string, string, string];
    const epsilon = floatAttr(node.attributes, 'epsilon', 1e-5);
    const invStd = b.op('Reciprocal', [b.op('Sqrt', [b.op('Add', [variance, b.scalarF(epsilon)])])]);

    if (needs[0]) grads[0] = b.op('Mul', [g, perChannel(ctx, b.op('Mul', [scale, invStd]), x)]);
    if (!(needs[1] || needs[2] || needs[3] || needs[4])) return grads;

    const axes = nonChannelAxes(ctx, x);
    const sumPerChannel = (t: string): string => b.op('ReduceSum', [t, axes], { keepdims: 0 });
    if (needs[2] || needs[3]) {
      const gSum = sumPerChannel(g);
      if (needs[2]) grads[2] = gSum;
      // dy/dmean = -scale * invStd
      if (needs[3]) grads[3] = b.op('Neg', [b.op('Mul', [gSum, b.op('Mul', [scale, invStd])])]);
    }
    if (needs[1] || needs[4]) {
      const xhat = b.op('Mul', [b.op('Sub', [x, perChannel(ctx, mean, x)]), perChannel(ctx, invStd, x)]);
      const gxhat = sumPerChannel(b.op('Mul', [g, xhat]));
      if (needs[1]) grads[1] = gxhat;
      // dy/dvar = scale * (x - mean) * -1/2 (var + eps)^-3/2 = -1/2 * scale * invStd^2 * xhat
      if (needs[4]) {
        const coef = b.op('Mul', [scale, b.op('Mul', [b.op('Mul', [invStd, invStd]), b.scalarF(-0.5)])]);
        grads[4] = b.op('Mul', [gxhat, coef]);
      }
    }
    return grads;
  },
};
