import {
  Adam,
  compileGradientProgram,
  DataType,
  GraphBuilder,
  inlineModel,
  styleClipLr,
  type GradientProgram,
  type HostTensor,
  type SessionOptions,
} from '@soundedit/models';
import type { ImageEncoder } from '../encoders/clip-image/image-encoder.ts';
import { resizeShorterAndCrop } from '../images/resize.ts';
import type { RgbImage } from '../images/rgb-image.ts';
import { SYNTHESIS_INPUT, SYNTHESIS_OUTPUT, type Generator } from '../generator/generator.ts';
import { towerEmbedding } from './edit-graph.ts';
import { EditError } from './errors.ts';

export interface InversionSettings {
  steps: number;
  lr: number;
  /** 'w' optimises one style shared by every layer (stays closer to what the generator makes); 'w+' one per layer. */
  space: 'w' | 'w+';
  /** Weight of 1 - cos between the CLIP-space embeddings of reconstruction and picture. */
  lambdaClip: number;
}

export const DEFAULT_INVERSION: InversionSettings = { steps: 200, lr: 0.05, space: 'w+', lambdaClip: 0.5 };

export interface InversionResult {
  wPlus: Float32Array;
  /** The reconstruction, [3, R, R] in [-1, 1]. */
  image: Float32Array;
  /** The picture as the generator sees it (centre square at its resolution), [3, R, R] in [-1, 1]. */
  target: Float32Array;
  /** Mean absolute error per channel value on the [0, 1] scale, and PSNR in dB, at the end. */
  meanAbsError: number;
  psnr: number;
  losses: number[];
}

/**
 * GAN inversion: finds the W (or W+) code whose picture reconstructs a user's image, starting from
 * w_avg, with an L1 pixel loss plus a CLIP-feature loss through the pack's image tower, so an
 * uploaded photo can be edited like a generated one.
 */
export class Inverter {
  private constructor(
    private readonly generator: Generator,
    private readonly program: GradientProgram,
    private readonly space: 'w' | 'w+',
  ) {}

  static async create(
    generator: Generator,
    image: ImageEncoder,
    space: 'w' | 'w+' = 'w+',
    session: SessionOptions = {},
  ): Promise<Inverter> {
    const L = generator.styleLayers;
    const D = generator.styleDim;
    const R = generator.resolution;
    const b = new GraphBuilder('inversion', 0);
    const code = b.input('code', space === 'w' ? [1, 1, D] : [1, L, D]);
    const target = b.input('target', [1, 3, R, R]);
    const lambdaClip = b.input('lambda_clip', []);
    const wPlus = space === 'w' ? b.op('Expand', [code, b.constI64([1, L, D])]) : code;
    const picture = inlineModel(b, generator.synthesisModel, { [SYNTHESIS_INPUT]: wPlus }, 'generator')[
      SYNTHESIS_OUTPUT
    ]!;
    const pixel = b.op('ReduceMean', [b.op('Abs', [b.op('Sub', [picture, target])])], { keepdims: 0 });
    const embed = (x: string, scope: string) =>
      towerEmbedding(b, b.op('Mul', [b.op('Add', [x, b.scalarF(1)]), b.scalarF(0.5)]), R, image, scope);
    const cos = b.op('ReduceSum', [b.op('Mul', [embed(picture, 'tower'), embed(target, 'tower_target')])], {
      keepdims: 0,
    });
    const loss = b.op('Add', [pixel, b.op('Mul', [lambdaClip, b.op('Sub', [b.scalarF(1), cos])])]);
    b.output(loss, DataType.FLOAT, []);
    b.output(picture, DataType.FLOAT, [1, 3, R, R]);
    const program = await compileGradientProgram(b.model(), {
      loss,
      wrt: ['code'],
      fetch: [picture],
      exampleFeeds: {
        code: {
          data: new Float32Array((space === 'w' ? 1 : L) * D),
          dims: space === 'w' ? [1, 1, D] : [1, L, D],
        },
        target: { data: new Float32Array(3 * R * R), dims: [1, 3, R, R] },
        lambda_clip: { data: Float32Array.of(0), dims: [] },
      },
      session: { ...session, cache: false },
    });
    return new Inverter(generator, program, space);
  }

  async invert(
    picture: RgbImage,
    settings: Partial<InversionSettings> = {},
    options: { signal?: AbortSignal; onProgress?: (step: number, total: number, loss: number) => void } = {},
  ): Promise<InversionResult> {
    const s = { ...DEFAULT_INVERSION, ...settings, space: this.space };
    if (!Number.isInteger(s.steps) || s.steps < 1 || s.steps > 5000) {
      throw new EditError(
        'BAD_SETTING',
        `steps must be a whole number in [1, 5000], got ${s.steps}`,
        'steps',
      );
    }
    if (!(s.lr > 0 && s.lr <= 10) || !(s.lambdaClip >= 0 && s.lambdaClip <= 100)) {
      throw new EditError('BAD_SETTING', 'lr must be in (0, 10] and lambdaClip in [0, 100]', 'lr');
    }
    const g = this.generator;
    const R = g.resolution;
    const square = resizeShorterAndCrop(picture, R);
    const target = square.data.map((v) => v * 2 - 1);
    const layers = this.space === 'w' ? 1 : g.styleLayers;
    const code = new Float32Array(layers * g.styleDim);
    for (let l = 0; l < layers; l++) code.set(g.description.wAvg, l * g.styleDim);
    const optimizer = new Adam({ code }, { lr: s.lr });
    const schedule = styleClipLr({ lr: s.lr, totalSteps: s.steps });
    const feeds: Record<string, HostTensor> = {
      target: { data: target, dims: [1, 3, R, R] },
      lambda_clip: { data: Float32Array.of(s.lambdaClip), dims: [] },
    };
    const losses: number[] = [];
    for (let step = 0; step < s.steps; step++) {
      options.signal?.throwIfAborted();
      const result = await this.program.step({
        ...feeds,
        code: { data: code, dims: [1, layers, g.styleDim] },
      });
      losses.push(result.loss);
      optimizer.step({ code: result.grads['code']! }, schedule(step));
      options.onProgress?.(step + 1, s.steps, result.loss);
    }
    const wPlus = layers === 1 ? g.toWPlus(code) : code;
    const image = await g.synthesize(wPlus);
    let abs = 0;
    let sq = 0;
    for (let i = 0; i < image.length; i++) {
      const d = (Math.min(1, Math.max(-1, image[i]!)) - target[i]!) / 2;
      abs += Math.abs(d);
      sq += d * d;
    }
    return {
      wPlus,
      image,
      target,
      meanAbsError: abs / image.length,
      psnr: 10 * Math.log10(1 / Math.max(sq / image.length, 1e-12)),
      losses,
    };
  }

  async release(): Promise<void> {
    await this.program.release();
  }
}
