import { intAttr } from '../../builder/attributes.ts';
import type { GradContext, GradRuleTable } from '../grad-context.ts';
import { GradientSpecError } from '../errors.ts';

/** The softmax axis as a one-element int64 tensor. Before opset 13 the op flattened to 2-D, which these rules do not model. */
function softmaxAxis(ctx: GradContext): string {
  const { node, opset, b } = ctx;
  if (opset < 13) {
    throw new GradientSpecError(
      `${node.opType} '${node.name}': opset ${opset} softmax coerces its input to 2-D; only the opset 13+ single-axis form is differentiated`,
    );
  }
  return b.constI64([intAttr(node.attributes, 'axis', -1)]);
}

/** Sum over the softmax axis, kept so it broadcasts back against the input. */
const sumAxis = (ctx: GradContext, t: string): string =>
  ctx.b.op('ReduceSum', [t, softmaxAxis(ctx)], { keepdims: 1 });

export const softmaxRules: GradRuleTable = {
  // y = softmax(x): dx = y * (g - sum(g * y)), the Jacobian diag(y) - y y^T applied to g.
  Softmax: (ctx, [g]) => {
    if (!g || !ctx.needs[0]) return [null];
    const { b } = ctx;
    const y = ctx.node.outputs[0]!;
    return [b.op('Mul', [y, b.op('Sub', [g, sumAxis(ctx, b.op('Mul', [g, y]))])])];
  },

  // y = x - logsumexp(x): dx = g - softmax(x) * sum(g), with softmax(x) = exp(y).
  LogSoftmax: (ctx, [g]) => {
    if (!g || !ctx.needs[0]) return [null];
    const { b } = ctx;
    const y = ctx.node.outputs[0]!;
    return [b.op('Sub', [g, b.op('Mul', [b.op('Exp', [y]), sumAxis(ctx, g)])])];
  },
};
