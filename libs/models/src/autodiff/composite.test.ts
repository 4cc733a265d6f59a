import { describe, expect, it } from 'vitest';
import type { GraphBuilder } from '../builder/graph-builder.ts';
import { basicBlock } from '../builder/layers/resnet.ts';
import {
  styleGan2NumLatents,
  styleGan2Synthesis,
  styledConv,
  toRgb,
  type ModulationForm,
  type StyleGan2Config,
} from '../builder/layers/stylegan2.ts';
import { residualAttentionBlock } from '../builder/layers/transformer.ts';
import { visionTransformer } from '../builder/layers/vit.ts';
import { Rng } from '../builder/rng.ts';
import { gradCheckProgram, type ProgramGradCheckReport } from '../testing/gradcheck.ts';

/**
 * Whole blocks built with the real layer functions, differentiated with the real rule table through
 * GradientProgram (weights lifted to inputs, shapes probed) and checked against central differences,
 * for inputs and weights alike.
 *
 * Networks with ReLU / leaky ReLU use a 1e-3 step: kinks then rarely fall inside a step, and `kinks`
 * judges those few by a one-sided difference. Where float32 rounding over that step nears the default
 * atol, atol is raised, always staying far below the gradients (a wrong rule errs by their size).
 */

/**
 * Overwrites initializers with seeded uniform values: the layers' inits (identity BN statistics,
 * zero biases and noise weights, unit LayerNorm scales) would leave terms of the gradient untested.
 */
function randomize(b: GraphBuilder, seed: number, ranges: Record<string, readonly [number, number]>): void {
  const rng = new Rng(seed);
  for (const [name, [lo, hi]] of Object.entries(ranges)) {
    const t = b.findInitializer(name);
    if (!t) throw new Error(`no initializer '${name}'`);
    rng.fillUniform(t.data as Float32Array, lo, hi);
  }
}

const bnRanges = (bn: string): Record<string, readonly [number, number]> => ({
  [`${bn}.weight`]: [0.5, 1.5],
  [`${bn}.bias`]: [-0.5, 0.5],
  [`${bn}.running_mean`]: [-0.3, 0.3],
  [`${bn}.running_var`]: [0.5, 2],
});

function expectGradOk(report: ProgramGradCheckReport): void {
  for (const [name, worst] of Object.entries(report.worst)) {
    const checked = report.checkedIndices[name]!.length;
    expect(worst, `d/d ${name}`).toBeLessThanOrEqual(1);
    // Most elements must pass on the central difference: kinks inside a step are the exception.
    expect(report.oneSided[name]!.length, `d/d ${name}: one-sided passes`).toBeLessThanOrEqual(checked / 2);
  }
}

describe('gradients of composite blocks (finite differences in onnxruntime)', () => {
  it('ResNet basic block, 4 -> 8 channels, stride 2, with a downsample shortcut: input and weights', async () => {
    const report = await gradCheckProgram({
      inputs: { x: { shape: [2, 4, 6, 6] } },
      params: [
        'blk.conv1.weight',
        'blk.bn1.weight',
        'blk.conv2.weight',
        'blk.bn2.bias',
        'blk.downsample.0.weight',
        'blk.downsample.1.weight',
      ],
      build: (b, i) => {
        const y = basicBlock(b, i.x!, { name: 'blk', inChannels: 4, planes: 8, stride: 2, downsample: true });
        randomize(b, 11, { ...bnRanges('blk.bn1'), ...bnRanges('blk.bn2'), ...bnRanges('blk.downsample.1') });
        return y;
      },
      eps: 1e-3,
      kinks: true,
      maxElements: 40,
    });
    expectGradOk(report);
  });

  it('pre-LN transformer block (attention, LayerNorm, QuickGELU): tokens and weights', async () => {
    const report = await gradCheckProgram({
      inputs: { x: { shape: [2, 3, 8] } },
      params: ['blk.attn.in_proj_weight', 'blk.ln_1.weight', 'blk.mlp.c_fc.weight'],
      build: (b, i) => {
        const y = residualAttentionBlock(b, i.x!, { name: 'blk', width: 8, heads: 2 });
        randomize(b, 12, {
          'blk.ln_1.weight': [0.5, 1.5],
          'blk.ln_1.bias': [-0.3, 0.3],
          'blk.attn.in_proj_bias': [-0.3, 0.3],
          'blk.ln_2.weight': [0.5, 1.5],
          'blk.ln_2.bias': [-0.3, 0.3],
        });
        return y;
      },
      // Smooth everywhere, so the default step, whose rounding noise is 10x smaller.
      maxElements: 40,
    });
    expectGradOk(report);
  });

  /** Upsampling StyledConv 4x4 -> 8x8, StyledConv, ToRGB added to the upsampled RGB skip. */
  const styleGanBlock = (form: ModulationForm) =>
    gradCheckProgram({
      inputs: {
        x: { shape: [2, 4, 4, 4] },
        w: { shape: [2, 3, 4] },
        skip: { shape: [2, 3, 4, 4] },
        noise: { shape: [1, 1, 8, 8], constant: true },
      },
      params: ['up.conv.modulation.weight', 'conv.conv.weight', 'rgb.conv.modulation.weight'],
      build: (b, i) => {
        const common = { styleDim: 4, form, batch: 2 };
        const conv = { ...common, inChannels: 4, outChannels: 4, kernel: 3, noise: i.noise! };
        const latent = (k: number) => b.op('Gather', [i.w!, b.constI64([k], [])], { axis: 1 });
        let h = styledConv(b, i.x!, latent(0), { ...conv, name: 'up', upsample: true });
        h = styledConv(b, h, latent(1), { ...conv, name: 'conv' });
        const rgb = toRgb(b, h, latent(2), i.skip!, { ...common, name: 'rgb', inChannels: 4 });
        randomize(b, 13, {
          'up.noise.weight': [0.2, 0.5],
          'up.activate.bias': [-0.3, 0.3],
          'conv.noise.weight': [0.2, 0.5],
          'conv.activate.bias': [-0.3, 0.3],
          'rgb.bias': [-0.3, 0.3],
        });
        return rgb;
      },
      eps: 1e-3,
      // Rounding through three modulated convs reaches 5e-3 in a difference quotient at this step;
      // the gradients are O(1..10).
      atol: 1e-2,
      kinks: true,
      maxElements: 32,
    });

  it('StyleGAN2 synthesis block in both modulation forms, which agree on the latent gradient', async () => {
    const fused = await styleGanBlock('fused');
    expectGradOk(fused);
    const activation = await styleGanBlock('activation');
    expectGradOk(activation);
    // Same weights, feeds and projection: the two forms are one function, so one gradient.
    const gf = fused.analytic.w!;
    const ga = activation.analytic.w!;
    const scale = Math.max(...gf.map(Math.abs));
    for (let k = 0; k < gf.length; k++) expect(Math.abs(gf[k]! - ga[k]!)).toBeLessThanOrEqual(1e-4 * scale);
  });

  it('W+ latent-optimisation loss through synthesis, a bilinear resize and a ViT', async () => {
    const config: StyleGan2Config = {
      size: 16,
      styleDim: 8,
      nMlp: 2,
      lrMlp: 0.01,
      blurKernel: [1, 3, 3, 1],
      channels: { 4: 8, 8: 8, 16: 4 },
    };
    const shape = [1, styleGan2NumLatents(config.size), config.styleDim];
    // The optimised latent stays near its source, so the image term, not the pull-back, dominates.
    const rng = new Rng(5);
    const w = rng.fillNormal(new Float32Array(shape[1]! * shape[2]!));
    const source = w.map((v) => v + 0.1 * rng.normal());
    const report = await gradCheckProgram({
      inputs: {
        w: { shape, gen: { values: w } },
        wSource: { shape, gen: { values: source }, constant: true },
        target: { shape: [1, 8], constant: true },
      },
      build: (b, i) => {
        const image = styleGan2Synthesis(b, i.w!, { config, form: 'activation', noise: 'buffer' });
        const resized = b.op('Resize', [image, '', b.constF([1, 1, 1.5, 1.5])], { mode: 'linear' });
        const emb = visionTransformer(b, resized, {
          name: 'visual',
          inputResolution: 24,
          patchSize: 8,
          width: 16,
          layers: 1,
          heads: 2,
          outputDim: 8,
        });
        const sum = (t: string) => b.op('ReduceSum', [t], { keepdims: 0 });
        const dot = (p: string, q: string) => sum(b.op('Mul', [p, q]));
        const cos = b.op('Div', [
          dot(emb, i.target!),
          b.op('Sqrt', [b.op('Mul', [dot(emb, emb), dot(i.target!, i.target!)])]),
        ]);
        const d = b.op('Sub', [i.w!, i.wSource!]);
        return b.op('Add', [b.op('Sub', [b.scalarF(1), cos]), b.op('Mul', [b.scalarF(0.1), dot(d, d)])]);
      },
      eps: 1e-3,
      // The embedding moves little per latent element: the gradients are ~0.05, so atol scales down
      // with them (the difference quotients differ from them by ~1e-4 at most).
      atol: 2e-4,
      kinks: true,
      maxElements: 32,
    });
    expectGradOk(report);
  });
});
