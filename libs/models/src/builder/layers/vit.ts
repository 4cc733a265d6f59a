import type { GraphBuilder } from '../graph-builder.ts';
import { layerNorm } from './norm.ts';
import { key, paramAt } from './params.ts';
import { transformer } from './transformer.ts';

export interface VisionTransformerConfig {
  inputResolution: number;
  patchSize: number;
  width: number;
  layers: number;
  heads: number;
  outputDim: number;
  inChannels?: number;
  activation?: 'quickGelu' | 'gelu';
}

/** OpenAI CLIP ViT-B/32's image tower. */
export const CLIP_VIT_B_32: VisionTransformerConfig = {
  inputResolution: 224,
  patchSize: 32,
  width: 768,
  layers: 12,
  heads: 12,
  outputDim: 512,
};

export interface VisionTransformerOptions extends VisionTransformerConfig {
  /**
   * Module path, as CLIP's VisionTransformer (`visual` inside a full CLIP model): `conv1.weight`,
   * `class_embedding` [W], `positional_embedding` [g²+1, W], `ln_pre.*`, `transformer.resblocks.{i}.*`,
   * `ln_post.*`, `proj` [W, outputDim].
   */
  name: string;
}

/**
 * CLIP's ViT image encoder: normalised images [N, C, R, R] -> embeddings [N, outputDim] (not
 * L2-normalised). Patches are embedded by a bias-free stride-`patch` conv; the class token leads the
 * sequence; ln_post reads the class token only.
 */
export function visionTransformer(b: GraphBuilder, image: string, options: VisionTransformerOptions): string {
  const {
    name,
    inputResolution,
    patchSize,
    width,
    layers,
    heads,
    outputDim,
    inChannels = 3,
    activation,
  } = options;
  if (inputResolution % patchSize !== 0)
    throw new Error(`${name}: resolution ${inputResolution} is not a multiple of patch ${patchSize}`);
  const grid = inputResolution / patchSize;
  const tokens = grid * grid + 1;
  const s = 1 / Math.sqrt(width);
  const conv1 = paramAt(b, key(name, 'conv1.weight'), [width, inChannels, patchSize, patchSize], {
    kind: 'uniform',
    bound: 1 / Math.sqrt(inChannels * patchSize * patchSize),
  });
  const cls = paramAt(b, key(name, 'class_embedding'), [width], { kind: 'normal', std: s });
  const pos = paramAt(b, key(name, 'positional_embedding'), [tokens, width], { kind: 'normal', std: s });

  let x = b.scope(name, () => {
    const patches = b.op('Conv', [image, conv1], {
      kernel_shape: [patchSize, patchSize],
      strides: [patchSize, patchSize],
    });
    // [N, W, g, g] -> [N, g², W], then one zero slot in front of the patches for the class token.
    const seq = b.op('Transpose', [b.op('Reshape', [patches, b.constI64([0, width, -1])])], {
      perm: [0, 2, 1],
    });
    const padded = b.op('Pad', [seq, b.constI64([0, 1, 0, 0, 0, 0])]);
    // [class_embedding; 0; ...; 0] + positional_embedding, added to every batch item: the same sum as
    // CLIP's cat([class_embedding + zeros(N, 1, W), x]) + positional_embedding, with no batch-sized expand.
    const clsRow = b.op('Pad', [
      b.op('Unsqueeze', [cls, b.constI64([0])]),
      b.constI64([0, 0, tokens - 1, 0]),
    ]);
    return b.op('Add', [padded, b.op('Add', [clsRow, pos])]);
  });
  x = layerNorm(b, x, { name: key(name, 'ln_pre'), dim: width });
  x = transformer(b, x, {
    name: key(name, 'transformer'),
    width,
    layers,
    heads,
    ...(activation ? { activation } : {}),
  });
  const clsToken = b.scope(name, () => b.op('Gather', [x, b.constI64([0], [])], { axis: 1 }));
  const pooled = layerNorm(b, clsToken, { name: key(name, 'ln_post'), dim: width });
  const proj = paramAt(b, key(name, 'proj'), [width, outputDim], { kind: 'normal', std: s });
  return b.scope(name, () => b.op('MatMul', [pooled, proj]));
}
