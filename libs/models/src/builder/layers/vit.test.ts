import { describe, expect, it } from 'vitest';
import { createSession } from '../../runtime/session.ts';
import { f32 } from '../../runtime/host-tensor.ts';
import { GraphBuilder } from '../graph-builder.ts';
import { Rng } from '../rng.ts';
import { stateDictKeys } from './params.ts';
import { visionTransformer, type VisionTransformerOptions } from './vit.ts';

const tiny: VisionTransformerOptions = {
  name: 'visual',
  inputResolution: 8,
  patchSize: 4,
  width: 8,
  layers: 2,
  heads: 2,
  outputDim: 6,
};

function buildVit(batch: number | string = 2): { b: GraphBuilder; y: string } {
  const b = new GraphBuilder('vit', 31);
  const y = visionTransformer(b, b.input('image', [batch, 3, 8, 8]), tiny);
  b.output(y);
  // LN affine and biases start at 1/0; randomise them so the checks see every parameter.
  const rng = new Rng(32);
  for (const t of b.graph.initializers) {
    if (/(ln_|bias)/.test(t.name))
      rng.fillNormal(t.data as Float32Array, 0.3, t.name.endsWith('.weight') ? 1 : 0);
  }
  return { b, y };
}

const param = (b: GraphBuilder, k: string): Float32Array =>
  b.findInitializer(`visual.${k}`)!.data as Float32Array;

describe('CLIP vision transformer', () => {
  it('has CLIP VisionTransformer state_dict keys and shapes', () => {
    const { b } = buildVit();
    const keys = stateDictKeys(b);
    const top = keys.filter((k) => !k.includes('.transformer.'));
    expect(top).toEqual([
      'visual.conv1.weight',
      'visual.class_embedding',
      'visual.positional_embedding',
      'visual.ln_pre.weight',
      'visual.ln_pre.bias',
      'visual.ln_post.weight',
      'visual.ln_post.bias',
      'visual.proj',
    ]);
    expect(keys.filter((k) => k.includes('.transformer.resblocks.')).length).toBe(2 * 12);
    expect(b.findInitializer('visual.conv1.weight')!.dims).toEqual([8, 3, 4, 4]);
    expect(b.findInitializer('visual.positional_embedding')!.dims).toEqual([5, 8]);
    expect(b.findInitializer('visual.proj')!.dims).toEqual([8, 6]);
  });

  it('embeds a batch [2, 3, 8, 8] -> [2, 6], each sample as if alone', async () => {
    const { b, y } = buildVit('n');
    const session = await createSession(b.model());
    const img = new Rng(1).fillNormal(new Float32Array(2 * 192));
    const both = (await session.run({ image: f32(img, [2, 3, 8, 8]) }))[y]!;
    expect(both.dims).toEqual([2, 6]);
    for (let i = 0; i < 2; i++) {
      const one = (await session.run({ image: f32(img.slice(i * 192, (i + 1) * 192), [1, 3, 8, 8]) }))[y]!;
      [...(one.data as Float32Array)].forEach((v, j) => expect(both.data[i * 6 + j]).toBeCloseTo(v, 5));
    }
    // And the image matters.
    expect(Math.abs(Number(both.data[0]) - Number(both.data[6]))).toBeGreaterThan(1e-4);
  });

  it('reads the class token: with identity blocks the output is ln_post(ln_pre(cls + pos[0])) @ proj', async () => {
    const { b, y } = buildVit();
    for (const t of b.graph.initializers)
      if (/\.(attn\.out_proj|mlp\.c_proj)\./.test(t.name)) (t.data as Float32Array).fill(0);
    const img = new Rng(2).fillNormal(new Float32Array(2 * 192));
    const out = (await (await createSession(b.model())).run({ image: f32(img, [2, 3, 8, 8]) }))[y]!;
    const lnRef = (r: number[], g: Float32Array, beta: Float32Array): number[] => {
      const m = r.reduce((s, v) => s + v, 0) / r.length;
      const v = r.reduce((s, t) => s + (t - m) ** 2, 0) / r.length;
      return r.map((t, i) => ((t - m) / Math.sqrt(v + 1e-5)) * g[i]! + beta[i]!);
    };
    const cls = [...param(b, 'class_embedding')].map((v, i) => v + param(b, 'positional_embedding')[i]!);
    const pooled = lnRef(
      lnRef(cls, param(b, 'ln_pre.weight'), param(b, 'ln_pre.bias')),
      param(b, 'ln_post.weight'),
      param(b, 'ln_post.bias'),
    );
    const proj = param(b, 'proj');
    for (let n = 0; n < 2; n++)
      for (let o = 0; o < 6; o++) {
        expect(out.data[n * 6 + o]).toBeCloseTo(
          pooled.reduce((s, v, i) => s + v * proj[i * 6 + o]!, 0),
          4,
        );
      }
  });
});
