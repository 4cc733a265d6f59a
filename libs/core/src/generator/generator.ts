import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  createSession,
  DataType,
  GraphBuilder,
  loadModel,
  Rng,
  saveModel,
  styleGan2Mapping,
  styleGan2NumLatents,
  styleGan2Synthesis,
  type Model,
  type Session,
  type SessionOptions,
  type StyleGan2Config,
} from '@soundedit/models';
import { readFolderDescription } from '../encoders/folder-description.ts';
import { GeneratorError } from './errors.ts';

export const GENERATOR_DESCRIPTION = 'generator.json';
export const GENERATOR_FORMAT = 'soundedit-generator';
export const MAPPING_MODEL = 'mapping.onnx';
export const SYNTHESIS_MODEL = 'synthesis.onnx';
export const MAPPING_INPUT = 'z';
export const MAPPING_OUTPUT = 'w';
export const SYNTHESIS_INPUT = 'w_plus';
export const SYNTHESIS_OUTPUT = 'image';

/** generator.json: the StyleGAN2 generator as two graphs, and what editing needs to know about it. */
export interface GeneratorDescription {
  format: typeof GENERATOR_FORMAT;
  version: 1;
  mapping: typeof MAPPING_MODEL;
  synthesis: typeof SYNTHESIS_MODEL;
  /** z and w size. */
  styleDim: number;
  /** L: styles in W+, one per modulated conv and ToRGB. */
  styleLayers: number;
  resolution: number;
  /** Mean w over many z, the centre that truncation pulls towards. */
  wAvg: number[];
  /** The architecture, when authored here. */
  config?: StyleGan2Config;
}

/**
 * The two graphs: mapping z [B, D] -> w [B, D], and synthesis W+ [B, L, D] -> image [B, 3, R, R]
 * in [-1, 1] (noise stored as buffers, so a latent always renders the same picture).
 */
export function buildGeneratorGraphs(
  config: StyleGan2Config,
  seed = 0,
): { mapping: Model; synthesis: Model } {
  const m = new GraphBuilder('mapping', seed);
  const w = styleGan2Mapping(m, m.input(MAPPING_INPUT, ['batch', config.styleDim]), { config });
  m.graph.nodes.push(identity(m, w, MAPPING_OUTPUT));
  m.output(MAPPING_OUTPUT, DataType.FLOAT, ['batch', config.styleDim]);

  const s = new GraphBuilder('synthesis', seed + 1);
  const layers = styleGan2NumLatents(config.size);
  const wPlus = s.input(SYNTHESIS_INPUT, ['batch', layers, config.styleDim]);
  const image = styleGan2Synthesis(s, wPlus, { config, form: 'activation', noise: 'buffer' });
  s.graph.nodes.push(identity(s, image, SYNTHESIS_OUTPUT));
  s.output(SYNTHESIS_OUTPUT, DataType.FLOAT, ['batch', 3, config.size, config.size]);
  return { mapping: m.model(), synthesis: s.model() };
}

function identity(b: GraphBuilder, input: string, output: string) {
  return {
    opType: 'Identity',
    inputs: [input],
    outputs: [output],
    name: b.fresh(`${output}_identity`),
    domain: '',
    attributes: {},
  };
}

/** A StyleGAN2 generator: random latents, mapping, truncation and rendering. */
export class Generator {
  private constructor(
    readonly mappingModel: Model,
    readonly synthesisModel: Model,
    readonly description: GeneratorDescription,
    private readonly mappingSession: Session,
    private readonly synthesisSession: Session,
  ) {}

  get styleDim(): number {
    return this.description.styleDim;
  }

  get styleLayers(): number {
    return this.description.styleLayers;
  }

  get resolution(): number {
    return this.description.resolution;
  }

  /** Authors a generator with seeded random weights; w_avg is measured over `wAvgSamples` random z. */
  static async create(
    config: StyleGan2Config,
    options: { seed?: number; session?: SessionOptions; wAvgSamples?: number } = {},
  ): Promise<Generator> {
    const { mapping, synthesis } = buildGeneratorGraphs(config, options.seed ?? 0);
    return Generator.fromModels(mapping, synthesis, config, options);
  }

  /** Wraps trained mapping and synthesis graphs (a trainer's export), measuring w_avg on the mapping. */
  static async fromModels(
    mapping: Model,
    synthesis: Model,
    config: StyleGan2Config,
    options: { seed?: number; session?: SessionOptions; wAvgSamples?: number } = {},
  ): Promise<Generator> {
    const session = { ...options.session, cache: false };
    const description: GeneratorDescription = {
      format: GENERATOR_FORMAT,
      version: 1,
      mapping: MAPPING_MODEL,
      synthesis: SYNTHESIS_MODEL,
      styleDim: config.styleDim,
      styleLayers: styleGan2NumLatents(config.size),
      resolution: config.size,
      wAvg: new Array<number>(config.styleDim).fill(0),
      config,
    };
    const g = new Generator(
      mapping,
      synthesis,
      description,
      await createSession(mapping, session),
      await createSession(synthesis, session),
    );
    description.wAvg = Array.from(await g.meanW(options.wAvgSamples ?? 1024, (options.seed ?? 0) + 7));
    return g;
  }

  /** A generator folder's description (sizes, layer count) without loading its networks. */
  static async describe(dir: string): Promise<GeneratorDescription> {
    const d = await readFolderDescription<GeneratorDescription>(
      join(dir, GENERATOR_DESCRIPTION),
      GENERATOR_FORMAT,
      (message, cause) => new GeneratorError('BAD_FOLDER', message, { cause }),
    );
    if (!Array.isArray(d.wAvg) || d.wAvg.length !== d.styleDim || !d.wAvg.every(Number.isFinite)) {
      throw new GeneratorError(
        'BAD_FOLDER',
        `${join(dir, GENERATOR_DESCRIPTION)}: wAvg must hold ${d.styleDim} numbers`,
      );
    }
    return d;
  }

  static async load(dir: string, session: SessionOptions = {}): Promise<Generator> {
    const d = await Generator.describe(dir);
    const opts = { ...session, cache: false };
    const mapping = await loadModel(join(dir, d.mapping));
    const synthesis = await loadModel(join(dir, d.synthesis));
    return new Generator(
      mapping,
      synthesis,
      d,
      await createSession(mapping, opts),
      await createSession(synthesis, opts),
    );
  }

  async save(dir: string): Promise<void> {
    await mkdir(dir, { recursive: true });
    await saveModel(join(dir, MAPPING_MODEL), this.mappingModel);
    await saveModel(join(dir, SYNTHESIS_MODEL), this.synthesisModel);
    await writeFile(join(dir, GENERATOR_DESCRIPTION), `${JSON.stringify(this.description, null, 2)}\n`);
  }

  /** Standard normal z for a seed: the same seed always gives the same source image. */
  randomZ(seed: number): Float32Array {
    return new Rng(seed).fillNormal(new Float32Array(this.styleDim));
  }

  /** z [n * D] -> w [n * D]. */
  async map(z: Float32Array): Promise<Float32Array> {
    const n = this.rows(z, 'z');
    const out = await this.mappingSession.run({ [MAPPING_INPUT]: { data: z, dims: [n, this.styleDim] } }, [
      MAPPING_OUTPUT,
    ]);
    return out[MAPPING_OUTPUT]!.data as Float32Array;
  }

  /** w_avg + psi (w - w_avg) per row: psi 1 keeps w, 0 gives the average image. */
  truncate(w: Float32Array, psi: number): Float32Array {
    if (!(psi >= 0 && psi <= 1))
      throw new GeneratorError('BAD_LATENT', `truncation must be in [0, 1], got ${psi}`);
    const avg = this.description.wAvg;
    return w.map((v, i) => avg[i % this.styleDim]! + psi * (v - avg[i % this.styleDim]!));
  }

  /** w [n * D] -> W+ [n * L * D], the same style for every layer (the source code of an edit). */
  toWPlus(w: Float32Array): Float32Array {
    const n = this.rows(w, 'w');
    const { styleDim: d, styleLayers: l } = this;
    const out = new Float32Array(n * l * d);
    for (let r = 0; r < n; r++)
      for (let k = 0; k < l; k++) out.set(w.subarray(r * d, (r + 1) * d), (r * l + k) * d);
    return out;
  }

  /** W+ [n * L * D] -> images [n, 3, R, R] in [-1, 1]. */
  async synthesize(wPlus: Float32Array): Promise<Float32Array> {
    const per = this.styleLayers * this.styleDim;
    if (wPlus.length === 0 || wPlus.length % per !== 0 || !wPlus.every(Number.isFinite)) {
      throw new GeneratorError(
        'BAD_LATENT',
        `W+ must be finite rows of ${this.styleLayers} x ${this.styleDim} values, got ${wPlus.length} values`,
      );
    }
    const n = wPlus.length / per;
    const out = await this.synthesisSession.run(
      { [SYNTHESIS_INPUT]: { data: wPlus, dims: [n, this.styleLayers, this.styleDim] } },
      [SYNTHESIS_OUTPUT],
    );
    return out[SYNTHESIS_OUTPUT]!.data as Float32Array;
  }

  /** A seed's source: z -> w -> truncated -> W+ and its image. */
  async sample(
    seed: number,
    truncation: number,
  ): Promise<{ w: Float32Array; wPlus: Float32Array; image: Float32Array }> {
    const w = this.truncate(await this.map(this.randomZ(seed)), truncation);
    const wPlus = this.toWPlus(w);
    return { w, wPlus, image: await this.synthesize(wPlus) };
  }

  private async meanW(samples: number, seed: number): Promise<Float32Array> {
    const rng = new Rng(seed);
    const d = this.styleDim;
    const sum = new Float64Array(d);
    for (let first = 0; first < samples; first += 256) {
      const n = Math.min(256, samples - first);
      const w = await this.map(rng.fillNormal(new Float32Array(n * d)));
      for (let i = 0; i < w.length; i++) sum[i % d] = sum[i % d]! + w[i]!;
    }
    return Float32Array.from(sum, (s) => s / samples);
  }

  private rows(v: Float32Array, what: string): number {
    if (v.length === 0 || v.length % this.styleDim !== 0 || !v.every(Number.isFinite)) {
      throw new GeneratorError(
        'BAD_LATENT',
        `${what} must be finite rows of ${this.styleDim} values, got ${v.length} values`,
      );
    }
    return v.length / this.styleDim;
  }

  async release(): Promise<void> {
    await Promise.all([this.mappingSession.release(), this.synthesisSession.release()]);
  }
}
