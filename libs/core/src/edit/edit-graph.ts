import { DataType, GraphBuilder, inlineModel, type Model } from '@soundedit/models';
import { PICTURE_TOWERS, type ImageEncoder } from '../encoders/clip-image/image-encoder.ts';
import type { Generator } from '../generator/generator.ts';
import { SYNTHESIS_INPUT, SYNTHESIS_OUTPUT } from '../generator/generator.ts';
import { IMAGE_ENCODER_INPUT } from '../encoders/clip-image/image-encoder.ts';

/** The networks an edit runs through. */
export interface EditNetworks {
  generator: Generator;
  image: ImageEncoder;
  identity?: ImageEncoder | undefined;
}

/** Input names of the edit graph. */
export const EDIT_INPUTS = {
  wPlus: 'w_plus',
  wSource: 'w_source',
  mask: 'layer_mask',
  target: 'target',
  identitySource: 'identity_source',
  guidance: 'guidance_weight',
  lambdaSim: 'lambda_sim',
  lambdaId: 'lambda_id',
} as const;

export interface EditGraph {
  model: Model;
  loss: string;
  /** 1 - cos(E_img(G(w)), target), scaled as the official code scales it. */
  cosine: string;
  /** Per-layer squared change sum_d (w - w_s)^2, [1, L]. */
  layerChange: string;
  similarity: string;
  identityLoss?: string;
  image: string;
  /** The embedding of the current picture, [1, E]. */
  embedding: string;
}

/** The official code multiplies the cosine by exp(0.07) (CLIP's initial log temperature); kept for parity. */
export const COSINE_SCALE = Math.exp(0.07);

/**
 * One graph for the whole edit objective: synthesis W+ -> image in [-1, 1] -> [0, 1] -> resized to
 * the tower's input and normalised by its mean/std -> image tower -> 1 - cos to the target; plus
 * the masked latent penalty and, with an identity encoder, 1 - cos(R(G(w)), R(G(w_s))). Lambdas and
 * the mask are inputs, so one compiled program serves every setting.
 */
export function buildEditGraph(nets: EditNetworks): EditGraph {
  const { generator } = nets;
  const L = generator.styleLayers;
  const D = generator.styleDim;
  const R = generator.resolution;
  const b = new GraphBuilder('edit', 0);
  const w = b.input(EDIT_INPUTS.wPlus, [1, L, D]);
  const ws = b.input(EDIT_INPUTS.wSource, [1, L, D]);
  const mask = b.input(EDIT_INPUTS.mask, [L]);
  const target = b.input(EDIT_INPUTS.target, [1, nets.image.dim]);
  const guidance = b.input(EDIT_INPUTS.guidance, []);
  const lambdaSim = b.input(EDIT_INPUTS.lambdaSim, []);
  const image = inlineModel(b, generator.synthesisModel, { [SYNTHESIS_INPUT]: w }, 'generator')[
    SYNTHESIS_OUTPUT
  ]!;
  const unit = b.op('Mul', [b.op('Add', [image, b.scalarF(1)]), b.scalarF(0.5)]);

  const tower = (enc: ImageEncoder, scope: string) => towerEmbedding(b, unit, R, enc, scope);
  const embedding = tower(nets.image, 'image_tower');
  const sim = b.op('ReduceSum', [b.op('Mul', [embedding, target])], { keepdims: 0 });
  const cosine = b.op('Sub', [b.scalarF(1), b.op('Mul', [sim, b.scalarF(COSINE_SCALE)])]);
  const diff = b.op('Sub', [w, ws]);
  const layerChange = b.op('ReduceSum', [b.op('Mul', [diff, diff]), b.constI64([2])], { keepdims: 0 });
  const similarity = b.op('ReduceSum', [b.op('Mul', [layerChange, mask])], { keepdims: 0 });
  const terms = [b.op('Mul', [cosine, guidance]), b.op('Mul', [similarity, lambdaSim])];
  let identityLoss: string | undefined;
  if (nets.identity) {
    const source = b.input(EDIT_INPUTS.identitySource, [1, nets.identity.dim]);
    const lambdaId = b.input(EDIT_INPUTS.lambdaId, []);
    const r = tower(nets.identity, 'identity_tower');
    identityLoss = b.op('Sub', [
      b.scalarF(1),
      b.op('ReduceSum', [b.op('Mul', [r, source])], { keepdims: 0 }),
    ]);
    terms.push(b.op('Mul', [identityLoss, lambdaId]));
  }
  const loss = b.op('Sum', terms);
  for (const t of [loss, cosine, similarity, ...(identityLoss ? [identityLoss] : [])])
    b.output(t, DataType.FLOAT, []);
  b.output(layerChange, DataType.FLOAT, [1, L]);
  b.output(image, DataType.FLOAT, [1, 3, R, R]);
  b.output(embedding, DataType.FLOAT, [1, nets.image.dim]);
  return {
    model: b.model(),
    loss,
    cosine,
    layerChange,
    similarity,
    ...(identityLoss ? { identityLoss } : {}),
    image,
    embedding,
  };
}

/**
 * A picture tower inside a larger graph: x in [0, 1] at the generator's resolution `size` -> resized to
 * the tower's input (bilinear) -> normalised by its mean/std -> the tower's inlined graph -> its row.
 */
export function towerEmbedding(
  b: GraphBuilder,
  x: string,
  size: number,
  enc: ImageEncoder,
  scope: string,
): string {
  const p = enc.description.preprocess;
  let input = x;
  if (p.size !== size)
    input = b.op('Resize', [x, '', '', b.constI64([1, 3, p.size, p.size])], { mode: 'linear' });
  const mean = b.constF([...p.mean], [1, 3, 1, 1]);
  const std = b.constF([...p.std], [1, 3, 1, 1]);
  const normalised = b.op('Div', [b.op('Sub', [input, mean]), std]);
  return inlineModel(b, enc.model, { [IMAGE_ENCODER_INPUT]: normalised }, scope)[
    PICTURE_TOWERS[enc.kind].output
  ]!;
}
