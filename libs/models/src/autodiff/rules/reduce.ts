import { intAttr, intsAttr } from '../../builder/attributes.ts';
import { firstInputOnly, type GradContext, type GradRule, type GradRuleTable } from '../grad-context.ts';
import { GradientSpecError } from '../errors.ts';

/**
 * The axes a Reduce* node reduces: from its `axes` input (opset 13+ for ReduceSum, 18+ for the
 * others) or attribute, as an int64 tensor name; undefined means all axes.
 */
export function reduceAxes(ctx: GradContext): { axesTensor?: string; axes?: number[] } {
  const { node, b } = ctx;
  const fromInput = node.inputs[1];
  if (fromInput) {
    const init = b.findInitializer(fromInput);
    if (init) {
      const axes = Array.from(init.data as BigInt64Array, Number);
      return axes.length ? { axesTensor: fromInput, axes } : {};
    }
    return { axesTensor: fromInput };
  }
  const attr = intsAttr(node.attributes, 'axes');
  return attr && attr.length ? { axesTensor: b.constI64(attr), axes: attr } : {};
}

/**
 * Brings a reduced gradient back to the input's shape: re-insert reduced axes if keepdims=0, then
 * Expand. Unsqueeze takes the same (possibly negative) axes because the result has the input's rank.
 */
export function expandReduced(ctx: GradContext, g: string): string {
  return ctx.b.op('Expand', [reinsertReducedAxes(ctx, g), ctx.shapeOf(ctx.node.inputs[0]!)]);
}

/**
 * The reduced gradient with its reduced axes back as size-1 axes: broadcastable against the input,
 * so a rule that multiplies by the input anyway needs no full-size Expand.
 */
export function reinsertReducedAxes(ctx: GradContext, g: string): string {
  const { b, node } = ctx;
  const keepdims = intAttr(node.attributes, 'keepdims', 1);
  const { axesTensor } = reduceAxes(ctx);
  const noop = intAttr(node.attributes, 'noop_with_empty_axes', 0);
  if (!axesTensor && noop) {
    throw new GradientSpecError(
      `${node.opType} '${node.name}' with noop_with_empty_axes=1 and no axes is an identity; remove it`,
    );
  }
  if (keepdims !== 0) return g;
  if (axesTensor) return b.op('Unsqueeze', [g, axesTensor]);
  // All axes reduced to a scalar: it broadcasts as it is.
  return g;
}

/** Number of elements reduced (as a float scalar tensor), static when shapes are known. */
export function reducedCount(ctx: GradContext): string {
  const { b, node } = ctx;
  const x = node.inputs[0]!;
  const shape = ctx.staticShape(x);
  const { axes, axesTensor } = reduceAxes(ctx);
  if (shape && (axes || !axesTensor)) {
    const r = shape.length;
    const list = axes ? axes.map((a) => (a < 0 ? a + r : a)) : [...shape.keys()];
    return b.scalarF(list.reduce((n, a) => n * shape[a]!, 1));
  }
  const xs = b.op('Cast', [ctx.shapeOf(x)], { to: 1 });
  const all = b.op('ReduceProd', [xs], { keepdims: 0 });
  if (!axesTensor) return all;
  const kept = b.op('ReduceProd', [b.op('Cast', [ctx.shapeOf(node.outputs[0]!)], { to: 1 })], {
    keepdims: 0,
  });
  return b.op('Div', [all, kept]);
}

/**
 * ReduceMax/ReduceMin: the gradient goes to the positions equal to the result, split evenly among
 * ties. That is PyTorch's amax/amin rule, and it is also what central differences measure at a tie.
 */
const extremum: GradRule = (ctx, [g]) => {
  if (!g || !ctx.needs[0]) return firstInputOnly(ctx, null);
  const { b, node } = ctx;
  const x = node.inputs[0]!;
  const hit = b.op('CastLike', [b.op('Equal', [x, expandReduced(ctx, node.outputs[0]!)]), x]);
  const { axesTensor } = reduceAxes(ctx);
  const count = b.op('ReduceSum', axesTensor ? [hit, axesTensor] : [hit], { keepdims: 1 });
  return firstInputOnly(ctx, b.op('Mul', [expandReduced(ctx, g), b.op('Div', [hit, count])]));
};

export const reduceRules: GradRuleTable = {
  ReduceSum: (ctx, [g]) => firstInputOnly(ctx, g && expandReduced(ctx, g)),

  ReduceMean: (ctx, [g]) =>
    firstInputOnly(ctx, g && ctx.b.op('Div', [expandReduced(ctx, g), reducedCount(ctx)])),

  // d sum(x^2) = 2x
  ReduceSumSquare: (ctx, [g]) =>
    firstInputOnly(
      ctx,
      g &&
        ctx.b.op('Mul', [
          ctx.b.op('Mul', [reinsertReducedAxes(ctx, g), ctx.b.scalarF(2)]),
          ctx.node.inputs[0]!,
        ]),
    ),

  // d ||x|| = x / ||x||, taken as 0 where the norm is 0 (the subgradient PyTorch's norm uses).
  ReduceL2: (ctx, [g]) => {
    if (!g || !ctx.needs[0]) return firstInputOnly(ctx, null);
    const { b, node } = ctx;
    const x = node.inputs[0]!;
    const norm = expandReduced(ctx, node.outputs[0]!);
    const unit = b.op('Where', [b.op('Equal', [norm, b.scalarF(0)]), b.scalarF(0), b.op('Div', [x, norm])]);
    return firstInputOnly(ctx, b.op('Mul', [expandReduced(ctx, g), unit]));
  },

  ReduceMax: extremum,

  ReduceMin: extremum,
};
