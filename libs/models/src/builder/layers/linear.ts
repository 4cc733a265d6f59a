import type { GraphBuilder } from '../graph-builder.ts';
import { fusedLeakyRelu } from './activation.ts';
import { key, paramAt, scaleBy } from './params.ts';

export interface LinearOptions {
  /** Module path: the weights are `${name}.weight` [out, in] and `${name}.bias` [out], as nn.Linear. */
  name: string;
  inFeatures: number;
  outFeatures: number;
  bias?: boolean;
}

/** x @ weightᵀ + bias over the last axis of x (any leading axes), as torch.nn.Linear. Gemm-free so it takes any rank. */
export function linear(b: GraphBuilder, x: string, options: LinearOptions): string {
  const { name, inFeatures, outFeatures, bias = true } = options;
  // nn.Linear's default init: U(-1/√in, 1/√in) for weight and bias.
  const bound = 1 / Math.sqrt(inFeatures);
  const w = paramAt(b, key(name, 'weight'), [outFeatures, inFeatures], { kind: 'uniform', bound });
  return b.scope(name, () => {
    const y = b.op('MatMul', [x, b.op('Transpose', [w], { perm: [1, 0] })]);
    if (!bias) return y;
    return b.op('Add', [y, paramAt(b, key(name, 'bias'), [outFeatures], { kind: 'uniform', bound })]);
  });
}

export interface EqualLinearOptions {
  /** Module path: `${name}.weight` [out, in], `${name}.bias` [out], as rosinality's EqualLinear. */
  name: string;
  inDim: number;
  outDim: number;
  bias?: boolean;
  biasInit?: number;
  /** Learning-rate multiplier: weights are stored divided by it and multiplied back at run time. */
  lrMul?: number;
  /** 'fusedLeakyRelu' applies StyleGAN2's bias + leaky ReLU(0.2) * √2 after the product. */
  activation?: 'fusedLeakyRelu';
}

/**
 * StyleGAN2's equalized-learning-rate linear layer: y = x @ (W * lrMul/√in)ᵀ + b * lrMul, W ~ N(0, 1/lrMul²).
 * The scale is applied to the [.., out] product, not the [out, in] weight: the same numbers, fewer multiplies.
 */
export function equalLinear(b: GraphBuilder, x: string, options: EqualLinearOptions): string {
  const { name, inDim, outDim, bias = true, biasInit = 0, lrMul = 1, activation } = options;
  const w = paramAt(b, key(name, 'weight'), [outDim, inDim], { kind: 'normal', std: 1 / lrMul });
  const bi = bias ? paramAt(b, key(name, 'bias'), [outDim], { kind: 'constant', value: biasInit }) : null;
  return b.scope(name, () => {
    const y = scaleBy(
      b,
      b.op('MatMul', [x, b.op('Transpose', [w], { perm: [1, 0] })]),
      lrMul / Math.sqrt(inDim),
    );
    const scaledBias = bi === null ? null : scaleBy(b, bi, lrMul);
    // rank 2: the [out] bias broadcasts on the last axis, which is the feature axis here at any rank.
    if (activation === 'fusedLeakyRelu') return fusedLeakyRelu(b, y, scaledBias, { rank: 2 });
    return scaledBias === null ? y : b.op('Add', [y, scaledBias]);
  });
}
