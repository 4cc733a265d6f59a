import {
  CLIP_VIT_B_32,
  GraphBuilder,
  stateDictKeys,
  styleGan2ConfigF,
  styleGan2NumLatents,
  styleGan2Synthesis,
  visionTransformer,
  type Model,
} from '@soundedit/models';

/** CLIP's input normalisation, applied to the generator's [-1, 1] image after resizing. */
const CLIP_MEAN = [0.48145466, 0.4578275, 0.40821073];
const CLIP_STD = [0.26862954, 0.26130258, 0.27577711];

export interface ReferenceGraph {
  model: Model;
  loss: string;
  nLatent: number;
  /** Every weight of G and the image encoder (not noise buffers or FIR kernels). */
  weights: string[];
}

/**
 * The W+ optimisation graph the product runs, at real size: rosinality-layout StyleGAN2 synthesis
 * (config-f widths) -> bilinear resize to 224 -> CLIP ViT-B/32, loss = 1 - cos(embedding, target)
 * + lambda * ||w - w_s||^2. Weights are seeded random: speed does not depend on their values.
 */
export function buildReferenceGraph(size: number, lambda = 0.008): ReferenceGraph {
  const b = new GraphBuilder(`wplus_step_${size}`, 7);
  const nLatent = styleGan2NumLatents(size);
  const w = b.input('w_plus', [1, nLatent, 512]);
  const ws = b.input('w_source', [1, nLatent, 512]);
  const target = b.input('target', [1, 512]);
  const image = styleGan2Synthesis(b, w, {
    name: 'g',
    config: styleGan2ConfigF(size),
    form: 'activation',
    noise: 'buffer',
  });
  const resized = b.op('Resize', [image, '', '', b.constI64([1, 3, 224, 224])], {
    mode: 'linear',
    coordinate_transformation_mode: 'half_pixel',
  });
  // ((x + 1) / 2 - mean) / std as one multiply-add per channel.
  const scale = CLIP_STD.map((s) => 0.5 / s);
  const shift = CLIP_MEAN.map((m, i) => (0.5 - m) / CLIP_STD[i]!);
  const normalised = b.op('Add', [
    b.op('Mul', [resized, b.constF(scale, [1, 3, 1, 1])]),
    b.constF(shift, [1, 3, 1, 1]),
  ]);
  const emb = visionTransformer(b, normalised, { ...CLIP_VIT_B_32, name: 'visual' });
  const dot = b.op('ReduceSum', [b.op('Mul', [emb, target]), b.constI64([-1])], { keepdims: 0 });
  const norms = b.op('Mul', [
    b.op('ReduceL2', [emb], { axes: [-1], keepdims: 0 }),
    b.op('ReduceL2', [target], { axes: [-1], keepdims: 0 }),
  ]);
  const cos = b.op('ReduceMean', [b.op('Div', [dot, norms])], { keepdims: 0 });
  const diff = b.op('Sub', [w, ws]);
  const l2 = b.op('ReduceSum', [b.op('Mul', [diff, diff])], { keepdims: 0 });
  const loss = b.op('Add', [
    b.op('Sub', [b.scalarF(1), cos]),
    b.op('Mul', [l2, b.constF([lambda], [], 'lambda')]),
  ]);
  b.output(loss);
  const weights = stateDictKeys(b).filter((k) => !k.includes('noises.') && !k.endsWith('kernel'));
  return { model: b.model(), loss, nLatent, weights };
}
