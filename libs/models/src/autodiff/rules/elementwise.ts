import { floatAttr } from '../../builder/attributes.ts';
import type { GradRule, GradRuleTable } from '../grad-context.ts';

/**
 * Element-wise ops. Gradients come back in the output's shape; the driver un-broadcasts the
 * inputs of broadcasting ops, so no rule here reduces anything.
 */

/** Applies `f` to the single incoming gradient, for one-input ops. */
const unary =
  (f: (ctx: Parameters<GradRule>[0], g: string, x: string, y: string) => string): GradRule =>
  (ctx, [g]) => [g && ctx.needs[0] ? f(ctx, g, ctx.node.inputs[0]!, ctx.node.outputs[0]!) : null];

export const elementwiseRules: GradRuleTable = {
  Identity: (ctx, [g]) => [g],

  Add: (ctx, [g]) => [ctx.needs[0] ? g : null, ctx.needs[1] ? g : null],

  Sum: (ctx, [g]) => ctx.node.inputs.map((_, i) => (ctx.needs[i] ? g : null)),

  Sub: ({ b, needs }, [g]) => [needs[0] ? g : null, needs[1] && g ? b.op('Neg', [g]) : null],

  Mul: ({ b, needs, node }, [g]) => {
    const [x, y] = node.inputs as [string, string];
    return [needs[0] && g ? b.op('Mul', [g, y]) : null, needs[1] && g ? b.op('Mul', [g, x]) : null];
  },

  // d(x/y)/dx = 1/y; d(x/y)/dy = -(x/y)/y, reusing the forward output.
  Div: ({ b, needs, node }, [g]) => {
    const [, y] = node.inputs as [string, string];
    const out = node.outputs[0]!;
    if (!g) return [null, null];
    const gx = b.op('Div', [g, y]);
    return [needs[0] ? gx : null, needs[1] ? b.op('Neg', [b.op('Mul', [gx, out])]) : null];
  },

  Neg: unary(({ b }, g) => b.op('Neg', [g])),

  Exp: unary(({ b }, g, _x, y) => b.op('Mul', [g, y])),

  Log: unary(({ b }, g, x) => b.op('Div', [g, x])),

  // d sqrt(x) = 1 / (2 sqrt(x))
  Sqrt: unary(({ b }, g, _x, y) => b.op('Div', [b.op('Mul', [g, b.scalarF(0.5)]), y])),

  // d (1/x) = -1/x^2 = -y^2
  Reciprocal: unary(({ b }, g, _x, y) => b.op('Neg', [b.op('Mul', [g, b.op('Mul', [y, y])])])),

  // d x^p / dx = p x^(p-1); d x^p / dp = x^p ln x (defined for x > 0, as in PyTorch).
  Pow: ({ b, needs, node }, [g]) => {
    const [x, p] = node.inputs as [string, string];
    const y = node.outputs[0]!;
    if (!g) return [null, null];
    const gx = needs[0]
      ? b.op('Mul', [g, b.op('Mul', [p, b.op('Pow', [x, b.op('Sub', [p, b.scalarF(1)])])])])
      : null;
    const gp = needs[1] ? b.op('Mul', [g, b.op('Mul', [y, b.op('Log', [x])])]) : null;
    return [gx, gp];
  },

  // Sign(0) = 0, so |x| has subgradient 0 at 0, as in PyTorch.
  Abs: unary(({ b }, g, x) => b.op('Mul', [g, b.op('Sign', [x])])),

  // Mask from the output: y > 0 exactly where x > 0.
  Relu: unary(({ b }, g, _x, y) => b.op('Where', [b.op('Greater', [y, b.scalarF(0)]), g, b.scalarF(0)])),

  LeakyRelu: unary(({ b, node }, g, x) => {
    const alpha = floatAttr(node.attributes, 'alpha', 0.01);
    return b.op('Where', [b.op('Greater', [x, b.scalarF(0)]), g, b.op('Mul', [g, b.scalarF(alpha)])]);
  }),

  // s' = s (1 - s)
  Sigmoid: unary(({ b }, g, _x, y) => b.op('Mul', [g, b.op('Mul', [y, b.op('Sub', [b.scalarF(1), y])])])),

  // tanh' = 1 - tanh^2
  Tanh: unary(({ b }, g, _x, y) => b.op('Mul', [g, b.op('Sub', [b.scalarF(1), b.op('Mul', [y, y])])])),

  // erf'(x) = 2/sqrt(pi) exp(-x^2)
  Erf: unary(({ b }, g, x) =>
    b.op('Mul', [
      g,
      b.op('Mul', [b.scalarF(2 / Math.sqrt(Math.PI)), b.op('Exp', [b.op('Neg', [b.op('Mul', [x, x])])])]),
    ]),
  ),
};
