import type { GraphBuilder } from '../builder/graph-builder.ts';

/** Axes of `out` that broadcasting expanded from `inp` (numpy rules), or undefined if they disagree. */
export function broadcastAxes(inp: readonly number[], out: readonly number[]): number[] | undefined {
  const lead = out.length - inp.length;
  if (lead < 0) return undefined;
  const axes: number[] = [];
  for (let i = 0; i < lead; i++) axes.push(i);
  for (let i = 0; i < inp.length; i++) {
    const a = inp[i]!;
    const b = out[lead + i]!;
    if (a === b) continue;
    if (a !== 1) return undefined;
    axes.push(lead + i);
  }
  return axes;
}

/** Static un-broadcast: one ReduceSum (and a Reshape when leading axes are dropped). */
export function unbroadcastStatic(
  b: GraphBuilder,
  grad: string,
  inp: readonly number[],
  out: readonly number[],
): string {
  const axes = broadcastAxes(inp, out);
  if (!axes) throw new Error(`cannot un-broadcast [${out.join(', ')}] to [${inp.join(', ')}]`);
  if (axes.length === 0) return grad;
  const summed = b.op('ReduceSum', [grad, b.constI64(axes)], { keepdims: 1 });
  return out.length === inp.length ? summed : b.op('Reshape', [summed, b.constI64(inp)]);
}

/**
 * Run-time un-broadcast for tensors whose shapes are not known when the graph is built:
 * sum the leading axes away, then sum (keeping dims) every axis where the input has size 1.
 */
export function unbroadcastDynamic(b: GraphBuilder, grad: string, inpShape: string): string {
  const gShape = b.op('Shape', [grad]);
  const k = b.op('Sub', [b.op('Size', [gShape]), b.op('Size', [inpShape])]);
  const lead = b.op('Range', [b.constI64([0], []), k, b.constI64([1], [])]);
  const g1 = b.op('ReduceSum', [grad, lead], { keepdims: 0, noop_with_empty_axes: 1 });
  const ones = b.op('Equal', [inpShape, b.constI64([1], [])]);
  const axes = b.op('Reshape', [b.op('NonZero', [ones]), b.constI64([-1])]);
  const g2 = b.op('ReduceSum', [g1, axes], { keepdims: 1, noop_with_empty_axes: 1 });
  return b.op('Reshape', [g2, inpShape]);
}
