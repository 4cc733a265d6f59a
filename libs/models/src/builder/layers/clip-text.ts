import { DataType } from '../../onnx/ir.ts';
import type { GraphBuilder } from '../graph-builder.ts';
import { causalMask } from './attention.ts';
import { layerNorm } from './norm.ts';
import { key, paramAt } from './params.ts';
import { transformer } from './transformer.ts';

export interface TextTransformerConfig {
  vocabSize: number;
  /** Tokens per sequence: inputs are always padded to this length, as CLIP's tokenizer does. */
  contextLength: number;
  width: number;
  layers: number;
  heads: number;
  embedDim: number;
  activation?: 'quickGelu' | 'gelu';
  /**
   * Where the sequence is read. Unset: at the row's largest id, as CLIP (its EOT is the last id
   * of the vocabulary). A number: at the first occurrence of that id, for vocabularies (word-level
   * ones, say) whose end token is not the largest id.
   */
  eotId?: number;
}

/** OpenAI CLIP ViT-B/32's text tower (the same text tower as ViT-B/16). */
export const CLIP_TEXT_B_32: TextTransformerConfig = {
  vocabSize: 49408,
  contextLength: 77,
  width: 512,
  layers: 12,
  heads: 8,
  embedDim: 512,
};

export interface TextTransformerOptions extends TextTransformerConfig {
  /**
   * Module path of the text tower's parameters. OpenAI's CLIP keeps them at the top level of the
   * state_dict (`token_embedding.weight` [V, W], `positional_embedding` [ctx, W],
   * `transformer.resblocks.{i}.*`, `ln_final.*`, `text_projection` [W, embedDim]), so '' there.
   */
  name: string;
}

/**
 * CLIP.encode_text: token ids int64 [N, contextLength] -> text features [N, embedDim] (not
 * L2-normalised). Attention is causal, and the sequence is read at its end-of-text token, found as
 * the row's largest id (EOT is the last id in CLIP's vocabulary).
 */
export function textTransformer(b: GraphBuilder, tokens: string, options: TextTransformerOptions): string {
  const { name, vocabSize, contextLength, width, layers, heads, embedDim, activation, eotId } = options;
  for (const [what, v] of Object.entries({ vocabSize, contextLength, width, layers, heads, embedDim }))
    if (!Number.isInteger(v) || v < 1)
      throw new Error(`${name || 'text'}: ${what} must be a positive integer`);
  if (eotId !== undefined && !(Number.isInteger(eotId) && eotId >= 0 && eotId < vocabSize))
    throw new Error(`${name || 'text'}: eotId must be an id below vocabSize ${vocabSize}, got ${eotId}`);
  const declared = b.graph.inputs.find((i) => i.name === tokens)?.shape?.[1];
  if (typeof declared === 'number' && declared !== contextLength)
    throw new Error(
      `${name || 'text'}: '${tokens}' holds ${declared} tokens per row, expected ${contextLength}`,
    );

  // OpenAI's initialisation, for graphs used before a checkpoint is loaded.
  const tokenEmbedding = paramAt(b, key(name, 'token_embedding.weight'), [vocabSize, width], {
    kind: 'normal',
    std: 0.02,
  });
  const positional = paramAt(b, key(name, 'positional_embedding'), [contextLength, width], {
    kind: 'normal',
    std: 0.01,
  });
  // Scope label for the unnamed ops: '' (OpenAI's top-level keys) would name them '/...'.
  const scope = name || 'text';

  const { x, mask } = b.scope(scope, () => ({
    x: b.op('Add', [b.op('Gather', [tokenEmbedding, tokens], { axis: 0 }), positional]),
    // Not a state_dict entry: OpenAI builds the mask in code and keeps it as a plain attribute.
    mask: causalMask(b, contextLength),
  }));
  const h = transformer(b, x, {
    name: key(name, 'transformer'),
    width,
    layers,
    heads,
    mask,
    ...(activation ? { activation } : {}),
  });
  const normed = layerNorm(b, h, { name: key(name, 'ln_final'), dim: width });
  const projection = paramAt(b, key(name, 'text_projection'), [width, embedDim], {
    kind: 'normal',
    std: 1 / Math.sqrt(width),
  });

  return b.scope(scope, () => {
    // x[arange(N), tokens.argmax(-1)] as one Gather on the flattened [N * ctx, W] sequence, at
    // row offsets n * ctx + eot[n]. ArgMax returns the first maximum, as torch.argmax does.
    const marks =
      eotId === undefined
        ? tokens
        : b.op('Cast', [b.op('Equal', [tokens, b.constI64([eotId], [])])], { to: DataType.INT64 });
    const eot = b.op('ArgMax', [marks], { axis: 1, keepdims: 0 });
    const batch = b.op('Gather', [b.op('Shape', [tokens]), b.constI64([0], [])], { axis: 0 });
    const rowStarts = b.op('Range', [
      b.constI64([0], []),
      b.op('Mul', [batch, b.constI64([contextLength], [])]),
      b.constI64([contextLength], []),
    ]);
    const flat = b.op('Reshape', [normed, b.constI64([-1, width])]);
    const pooled = b.op('Gather', [flat, b.op('Add', [rowStarts, eot])], { axis: 0 });
    return b.op('MatMul', [pooled, projection]);
  });
}
