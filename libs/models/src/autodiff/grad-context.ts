import type { GraphBuilder } from '../builder/graph-builder.ts';
import type { Node } from '../onnx/ir.ts';
import type { ShapeTable } from './shape-table.ts';

/**
 * What a gradient rule sees: the forward node, which inputs need gradients, the builder to append
 * backward nodes with, and shape helpers that use static shapes when known and Shape ops otherwise.
 */
export interface GradContext {
  readonly b: GraphBuilder;
  readonly node: Node;
  /** needs[i]: input i is on a path to a requested tensor. Rules skip work for the others. */
  readonly needs: readonly boolean[];
  readonly opset: number;
  readonly shapes: ShapeTable;
  /** An int64 tensor holding the run-time shape of `tensor` (one Shape node per tensor). */
  shapeOf(tensor: string): string;
  /** The static shape of `tensor`, if every dim is known. */
  staticShape(tensor: string): readonly number[] | undefined;
  /** The static rank of `tensor`, if known. */
  rank(tensor: string): number | undefined;
  /**
   * Sums `grad` down to the shape of `like` (the reverse of numpy broadcasting). `gradShapeOf` names
   * a forward tensor with the same shape as `grad`, so a static shape can be used when known.
   */
  unbroadcast(grad: string, like: string, gradShapeOf?: string): string;
}

/**
 * A gradient rule: given the gradients of the node's outputs (null for outputs nothing depends on),
 * returns one gradient per input, null where there is none or none is needed.
 */
export type GradRule = (ctx: GradContext, gradOuts: readonly (string | null)[]) => InputGrads;

/** One entry per input; null or undefined where there is no gradient. */
export type InputGrads = (string | null | undefined)[];

export type GradRuleTable = Partial<Record<string, GradRule>>;

/** The gradient list for ops where only input 0 is differentiable (the rest are axes, shapes, indices). */
export function firstInputOnly(ctx: GradContext, g: string | null | undefined): InputGrads {
  return ctx.node.inputs.map((_, i) => (i === 0 && ctx.needs[0] ? g : null));
}
