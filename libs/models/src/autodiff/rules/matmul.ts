import { float, floatAttr, intAttr, intsAttr } from '../../builder/attributes.ts';
import type { Graph, Node } from '../../onnx/ir.ts';
import { GradientSpecError } from '../errors.ts';
import type { GradContext, GradRuleTable } from '../grad-context.ts';
import { unbroadcastStatic } from '../unbroadcast.ts';

const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i);

/** Ops whose output has the rank of their first input. */
const SAME_RANK = new Set(
  [
    'Identity Neg Exp Log Sqrt Reciprocal Abs Relu LeakyRelu Sigmoid Tanh Erf Softmax LogSoftmax Clip Cast',
    'LayerNormalization BatchNormalization InstanceNormalization Dropout Elu Gelu Softplus HardSigmoid Sin Cos',
    'Slice Pad Resize Split Concat CumSum Conv ConvTranspose AveragePool MaxPool GlobalAveragePool',
  ].flatMap((line) => line.split(' ')),
);
const BROADCAST_RANK = new Set('Add Sub Mul Div Pow Max Min Sum Mean Where PRelu'.split(' '));

const producers = new WeakMap<Graph, Map<string, Node>>();

/**
 * The rank of a forward tensor: from the known shapes, else by following its producers through
 * ops whose output rank follows from their inputs' (MatMul's rule depends on ranks, and graphs
 * differentiated without probed shapes know them only for inputs and initializers).
 */
export function inferRank(ctx: GradContext, t: string, depth = 0): number | undefined {
  const known = ctx.rank(t);
  if (known !== undefined || depth > 200) return known;
  const graph = ctx.b.graph;
  let map = producers.get(graph);
  if (!map?.has(t)) {
    map = new Map();
    for (const n of graph.nodes) for (const o of n.outputs) map.set(o, n);
    producers.set(graph, map);
  }
  const node = map.get(t);
  if (!node) return undefined;
  const rankOf = (i: number) => (node.inputs[i] ? inferRank(ctx, node.inputs[i], depth + 1) : undefined);
  const constLen = (i: number) => {
    const name = node.inputs[i];
    return name ? ctx.b.findInitializer(name)?.data.length : undefined;
  };
  const a = node.attributes;
  switch (node.opType) {
    case 'MatMul': {
      const [ra, rb] = [rankOf(0), rankOf(1)];
      if (ra === undefined || rb === undefined) return undefined;
      if (ra === 1 && rb === 1) return 0;
      return ra === 1 || rb === 1 ? Math.max(ra, rb) - 1 : Math.max(ra, rb);
    }
    case 'Gemm':
    case 'Flatten':
      return 2;
    case 'Reshape':
      return constLen(1);
    case 'Transpose':
      return intsAttr(a, 'perm')?.length ?? rankOf(0);
    case 'Unsqueeze': {
      const r = rankOf(0);
      const n = constLen(1) ?? intsAttr(a, 'axes')?.length;
      return r === undefined || n === undefined ? undefined : r + n;
    }
    case 'Squeeze': {
      const r = rankOf(0);
      const n = constLen(1) ?? intsAttr(a, 'axes')?.length;
      return r === undefined || n === undefined ? undefined : r - n;
    }
    case 'Expand': {
      const r = rankOf(0);
      const n = constLen(1);
      return r === undefined || n === undefined ? undefined : Math.max(r, n);
    }
    default:
      if (SAME_RANK.has(node.opType)) return rankOf(0);
      if (BROADCAST_RANK.has(node.opType)) {
        const ranks = node.inputs.map((_, i) => rankOf(i));
        return ranks.every((r): r is number => r !== undefined) ? Math.max(...ranks) : undefined;
      }
      if (node.opType.startsWith('Reduce') && intAttr(a, 'keepdims', 1) === 1) return rankOf(0);
      return undefined;
  }
}

/** Swaps the last two axes of a tensor of rank `rank`. */
function swapLast(ctx: GradContext, t: string, rank: number): string {
  return ctx.b.op('Transpose', [t], { perm: [...range(0, rank - 2), rank - 1, rank - 2] });
}

/** The batch shape two MatMul operands broadcast to (numpy rules). */
function batchShape(a: readonly number[], b: readonly number[]): number[] {
  const n = Math.max(a.length, b.length);
  return range(0, n).map((i) => {
    const da = a[a.length - n + i] ?? 1;
    const db = b[b.length - n + i] ?? 1;
    return da === 1 ? db : da;
  });
}

/**
 * Reduces a batched product (broadcast batch dims, then the operand's last two) to the operand's
 * shape: MatMul broadcasts its batch dims, so the operand's grad sums over the ones it was spread on.
 */
function reduceBatch(
  ctx: GradContext,
  grad: string,
  operand: string,
  other: string,
  rank: number,
  otherRank: number,
): string {
  if (otherRank === 2) return grad;
  if (rank === 2)
    return ctx.b.op('ReduceSum', [grad, ctx.b.constI64(range(0, otherRank - 2))], { keepdims: 0 });
  const s = ctx.staticShape(operand);
  const o = ctx.staticShape(other);
  if (!s || !o) return ctx.unbroadcast(grad, operand);
  return unbroadcastStatic(ctx.b, grad, s, [...batchShape(s.slice(0, -2), o.slice(0, -2)), ...s.slice(-2)]);
}

export const matmulRules: GradRuleTable = {
  // Y = A @ B with numpy semantics: a 1-D A is a row vector, a 1-D B a column vector, and batch
  // dims broadcast. dA = dY @ B^T, dB = A^T @ dY, each reduced back over broadcast batch dims.
  MatMul: (ctx, [g]) => {
    const { b, node, needs } = ctx;
    const [A, B] = node.inputs as [string, string];
    if (!g) return [null, null];
    const rA = inferRank(ctx, A);
    const rB = inferRank(ctx, B);
    if (rA === undefined || rB === undefined) {
      throw new GradientSpecError(
        `MatMul '${node.name}': the gradient needs the ranks of both operands and they cannot be inferred; pass static shapes`,
      );
    }
    const unsq = (t: string, axis: number) => b.op('Unsqueeze', [t, b.constI64([axis])]);
    if (rA === 1 && rB === 1)
      return [needs[0] ? b.op('Mul', [g, B]) : null, needs[1] ? b.op('Mul', [g, A]) : null];
    if (rA === 1) {
      // A (K), B (..., K, N), dY (..., N).
      const dA = () =>
        rB === 2
          ? b.op('MatMul', [B, g])
          : b.op('ReduceSum', [b.op('MatMul', [B, unsq(g, -1)]), b.constI64([...range(0, rB - 2), rB - 1])], {
              keepdims: 0,
            });
      return [needs[0] ? dA() : null, needs[1] ? b.op('Mul', [unsq(A, -1), unsq(g, -2)]) : null];
    }
    if (rB === 1) {
      // A (..., M, K), B (K), dY (..., M).
      const dB = () =>
        rA === 2
          ? b.op('MatMul', [g, A])
          : b.op('ReduceSum', [b.op('MatMul', [unsq(g, -2), A]), b.constI64(range(0, rA - 1))], {
              keepdims: 0,
            });
      return [needs[0] ? b.op('Mul', [unsq(g, -1), B]) : null, needs[1] ? dB() : null];
    }
    const dA = () => reduceBatch(ctx, b.op('MatMul', [g, swapLast(ctx, B, rB)]), A, B, rA, rB);
    const dB = () => {
      if (rB === 2 && rA > 2) {
        // A weight shared across a batch: flatten the batch into the contraction instead of
        // computing one product per batch element and summing them.
        const bs = ctx.staticShape(B);
        const dim = (i: number) =>
          bs
            ? b.constI64([-1, bs[i]!])
            : b.op(
                'Concat',
                [b.constI64([-1]), b.op('Slice', [ctx.shapeOf(B), b.constI64([i]), b.constI64([i + 1])])],
                { axis: 0 },
              );
        return b.op('Gemm', [b.op('Reshape', [A, dim(0)]), b.op('Reshape', [g, dim(1)])], { transA: 1 });
      }
      return reduceBatch(ctx, b.op('MatMul', [swapLast(ctx, A, rA), g]), B, A, rB, rA);
    };
    return [needs[0] ? dA() : null, needs[1] ? dB() : null];
  },

  // Y = alpha * A' @ B' + beta * C with A' = transA ? A^T : A (likewise B'); the trans flags of
  // the backward Gemms fold the transposes of dA' = alpha dY B'^T and dB' = alpha A'^T dY.
  Gemm: (ctx, [g]) => {
    const { b, node, needs } = ctx;
    const [A, B, C] = node.inputs as [string, string, string | undefined];
    if (!g) return node.inputs.map(() => null);
    const alpha = floatAttr(node.attributes, 'alpha', 1);
    const beta = floatAttr(node.attributes, 'beta', 1);
    const tA = intAttr(node.attributes, 'transA', 0);
    const tB = intAttr(node.attributes, 'transB', 0);
    const gemm = (x: string, y: string, transA: number, transB: number) =>
      b.op('Gemm', [x, y], { transA, transB, alpha: alpha === 1 ? undefined : float(alpha) });
    const dA = () => (tA ? gemm(B, g, tB, 1) : gemm(g, B, 0, 1 - tB));
    const dB = () => (tB ? gemm(g, A, 1, tA) : gemm(A, g, 1 - tA, 0));
    const dC = () => {
      const reduced = ctx.unbroadcast(g, C!, node.outputs[0]!);
      return beta === 1 ? reduced : b.op('Mul', [reduced, b.scalarF(beta)]);
    };
    return node.inputs.map((_, i) => (!needs[i] ? null : i === 0 ? dA() : i === 1 ? dB() : dC()));
  },
};
