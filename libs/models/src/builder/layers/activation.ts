import { float } from '../attributes.ts';
import type { GraphBuilder } from '../graph-builder.ts';

/** Exact GELU: x * Φ(x) = 0.5 x (1 + erf(x / √2)), as torch.nn.GELU() without the tanh approximation. */
export function gelu(b: GraphBuilder, x: string): string {
  const e = b.op('Erf', [b.op('Mul', [x, b.scalarF(Math.SQRT1_2)])]);
  return b.op('Mul', [b.op('Mul', [x, b.scalarF(0.5)]), b.op('Add', [e, b.scalarF(1)])]);
}

/** OpenAI CLIP's QuickGELU: x * sigmoid(1.702 x). */
export function quickGelu(b: GraphBuilder, x: string): string {
  return b.op('Mul', [x, b.op('Sigmoid', [b.op('Mul', [x, b.scalarF(1.702)])])]);
}

export interface FusedLeakyReluOptions {
  /** Rank of `x`; the bias (length C) is laid along axis 1, as rosinality's bias.view(1, C, 1, ...). */
  rank: number;
  negativeSlope?: number;
  /** Output gain; √2 keeps the activation variance of a leaky ReLU with slope 0.2 near 1. */
  scale?: number;
}

/**
 * StyleGAN2's FusedLeakyReLU: leaky_relu(x + bias, 0.2) * √2, with a per-channel bias on axis 1.
 * `bias` may be null (rosinality's fused_leaky_relu with bias=False).
 */
export function fusedLeakyRelu(
  b: GraphBuilder,
  x: string,
  bias: string | null,
  options: FusedLeakyReluOptions,
): string {
  const { rank, negativeSlope = 0.2, scale = Math.SQRT2 } = options;
  if (rank < 2) throw new Error(`fusedLeakyRelu: input rank ${rank} has no channel axis`);
  let y = x;
  if (bias !== null) {
    // [C] -> [C, 1, ..., 1] so it broadcasts against axis 1 of a rank-`rank` tensor.
    const b1 =
      rank > 2
        ? b.op('Unsqueeze', [bias, b.constI64(Array.from({ length: rank - 2 }, (_, i) => i + 1))])
        : bias;
    y = b.op('Add', [y, b1]);
  }
  y = b.op('LeakyRelu', [y], { alpha: float(negativeSlope) });
  return scale === 1 ? y : b.op('Mul', [y, b.scalarF(scale)]);
}
