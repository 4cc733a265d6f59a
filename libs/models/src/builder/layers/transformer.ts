import type { GraphBuilder } from '../graph-builder.ts';
import { gelu, quickGelu } from './activation.ts';
import { multiHeadSelfAttention } from './attention.ts';
import { linear } from './linear.ts';
import { layerNorm } from './norm.ts';
import { key } from './params.ts';

export interface ResidualAttentionBlockOptions {
  /**
   * Module path, as OpenAI CLIP's ResidualAttentionBlock: `${name}.ln_1.*`, `${name}.attn.*`,
   * `${name}.ln_2.*`, `${name}.mlp.c_fc.*` [4W, W], `${name}.mlp.c_proj.*` [W, 4W].
   */
  name: string;
  width: number;
  heads: number;
  /** Additive attention mask (text encoder). */
  mask?: string;
  /** OpenAI CLIP uses QuickGELU; open_clip models trained later use exact GELU. */
  activation?: 'quickGelu' | 'gelu';
  mlpRatio?: number;
}

/** Pre-LN residual block on x [N, L, W]: x += attn(ln_1(x)); x += c_proj(act(c_fc(ln_2(x)))). */
export function residualAttentionBlock(
  b: GraphBuilder,
  x: string,
  options: ResidualAttentionBlockOptions,
): string {
  const { name, width, heads, mask, activation = 'quickGelu', mlpRatio = 4 } = options;
  const hidden = width * mlpRatio;
  const attn = multiHeadSelfAttention(b, layerNorm(b, x, { name: key(name, 'ln_1'), dim: width }), {
    name: key(name, 'attn'),
    dim: width,
    heads,
    ...(mask ? { mask } : {}),
  });
  const h = b.op('Add', [x, attn]);
  const fc = linear(b, layerNorm(b, h, { name: key(name, 'ln_2'), dim: width }), {
    name: key(name, 'mlp.c_fc'),
    inFeatures: width,
    outFeatures: hidden,
  });
  const act = b.scope(key(name, 'mlp'), () => (activation === 'gelu' ? gelu(b, fc) : quickGelu(b, fc)));
  const proj = linear(b, act, { name: key(name, 'mlp.c_proj'), inFeatures: hidden, outFeatures: width });
  return b.op('Add', [h, proj]);
}

export interface TransformerOptions extends Omit<ResidualAttentionBlockOptions, 'name'> {
  /** Module path: blocks are `${name}.resblocks.${i}`. */
  name: string;
  layers: number;
}

/** A stack of residual attention blocks on x [N, L, W], as CLIP's Transformer. */
export function transformer(b: GraphBuilder, x: string, options: TransformerOptions): string {
  const { name, layers, ...block } = options;
  let h = x;
  for (let i = 0; i < layers; i++)
    h = residualAttentionBlock(b, h, { ...block, name: key(name, `resblocks.${i}`) });
  return h;
}
