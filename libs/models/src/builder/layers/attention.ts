import type { GraphBuilder } from '../graph-builder.ts';
import { key, paramAt } from './params.ts';

export interface MultiHeadAttentionOptions {
  /**
   * Module path, with nn.MultiheadAttention's parameter layout (as OpenAI CLIP stores it):
   * `${name}.in_proj_weight` [3D, D] (q, k, v stacked), `${name}.in_proj_bias` [3D],
   * `${name}.out_proj.weight` [D, D], `${name}.out_proj.bias` [D].
   */
  name: string;
  dim: number;
  heads: number;
  /** An additive attention mask broadcastable to [L, L] (CLIP's text encoder: -inf above the diagonal). */
  mask?: string;
}

/**
 * Multi-head self-attention on batch-first x [N, L, D] -> [N, L, D]. (nn.MultiheadAttention defaults
 * to sequence-first; the arithmetic is the same, only the activation layout differs.) Batch and
 * sequence length may be dynamic: the reshapes copy them with 0.
 */
export function multiHeadSelfAttention(
  b: GraphBuilder,
  x: string,
  options: MultiHeadAttentionOptions,
): string {
  const { name, dim, heads, mask } = options;
  if (dim % heads !== 0) throw new Error(`${name}: width ${dim} does not split into ${heads} heads`);
  const headDim = dim / heads;
  // nn.MultiheadAttention's init: xavier-uniform in_proj, zero biases, nn.Linear default out_proj weight.
  const inW = paramAt(b, key(name, 'in_proj_weight'), [3 * dim, dim], {
    kind: 'uniform',
    bound: Math.sqrt(6 / (4 * dim)),
  });
  const inB = paramAt(b, key(name, 'in_proj_bias'), [3 * dim], { kind: 'zeros' });
  const outW = paramAt(b, key(name, 'out_proj.weight'), [dim, dim], {
    kind: 'uniform',
    bound: 1 / Math.sqrt(dim),
  });
  const outB = paramAt(b, key(name, 'out_proj.bias'), [dim], { kind: 'zeros' });
  return b.scope(name, () => {
    const qkv = b.op('Add', [b.op('MatMul', [x, b.op('Transpose', [inW], { perm: [1, 0] })]), inB]);
    const [q, k, v] = b.node('Split', [qkv, b.constI64([dim, dim, dim])], { axis: -1 }, 3) as [
      string,
      string,
      string,
    ];
    const splitHeads = (t: string, perm: number[]): string =>
      b.op('Transpose', [b.op('Reshape', [t, b.constI64([0, 0, heads, headDim])])], { perm });
    // q [N, H, L, hd] pre-scaled by 1/√hd as torch does; k transposed straight to [N, H, hd, L].
    const qh = splitHeads(b.op('Mul', [q, b.scalarF(1 / Math.sqrt(headDim))]), [0, 2, 1, 3]);
    const kt = splitHeads(k, [0, 2, 3, 1]);
    const vh = splitHeads(v, [0, 2, 1, 3]);
    let scores = b.op('MatMul', [qh, kt]);
    if (mask) scores = b.op('Add', [scores, mask]);
    const attn = b.op('Softmax', [scores], { axis: -1 });
    const merged = b.op('Reshape', [
      b.op('Transpose', [b.op('MatMul', [attn, vh])], { perm: [0, 2, 1, 3] }),
      b.constI64([0, 0, dim]),
    ]);
    return b.op('Add', [b.op('MatMul', [merged, b.op('Transpose', [outW], { perm: [1, 0] })]), outB]);
  });
}

/** CLIP's causal text mask: 0 on and below the diagonal, -inf above, [length, length]. */
export function causalMask(b: GraphBuilder, length: number): string {
  const data = new Float32Array(length * length);
  for (let i = 0; i < length; i++) for (let j = i + 1; j < length; j++) data[i * length + j] = -Infinity;
  return b.constF(data, [length, length], 'causal_mask');
}
