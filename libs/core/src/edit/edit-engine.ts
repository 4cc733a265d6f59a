import { join } from 'node:path';
import type { Pack, SessionOptions } from '@soundedit/models';
import { ImageEncoder } from '../encoders/clip-image/image-encoder.ts';
import { decodeImage } from '../images/decode-image.ts';
import type { RgbImage } from '../images/rgb-image.ts';
import { Inverter, type InversionSettings } from './inversion.ts';
import { decodeAudio } from '../audio/decode/decode.ts';
import type { AudioInput } from '../encoders/audio-resnet/embed-audio.ts';
import { loudnessGain } from './loudness-gain.ts';
import { openPackModels, type PackModels } from '../packs/pack-parts.ts';
import { defaultEditSettings, type EditSettings } from './edit-settings.ts';
import { ensemblePromptEmbeddings } from '../evaluation/zero-shot.ts';
import { EditError } from './errors.ts';
import { LatentEditor, normalised, type EditProgress, type LatentEditResult } from './latent-edit.ts';

/** Where an edit starts. */
export type EditSource =
  | { kind: 'seed'; seed: number; truncation?: number }
  /** A W+ code of the pack's generator, [L * D]. */
  | { kind: 'latent'; wPlus: Float32Array }
  /** A user's picture (PNG or JPEG bytes, or decoded), inverted into W+ first. */
  | { kind: 'image'; image: Uint8Array | RgbImage; inversion?: Partial<InversionSettings> };

/** What guides an edit: a sound, a text, or both (blended, or mixed by W+ layer ranges). */
export interface EditGuidance {
  audio?: AudioInput;
  text?: string;
  /**
   * With both: 'blend' edits towards normalize((1 - textWeight) a + textWeight t); 'layers' edits
   * once per modality and takes `audioLayers` from the sound's result and the rest from the text's
   * (the paper's style mixing: sound on the coarse layers, text on the fine ones).
   */
  combine?: 'blend' | 'layers';
  textWeight?: number;
  /** Inclusive 0-based W+ layer range taken from the sound's edit; default the pack's, else the first half. */
  audioLayers?: [number, number];
  /** Scale the guidance weight by the clip's loudness (loudnessGain): a louder sound pulls harder. */
  loudnessGain?: boolean;
}

export interface EditRequest {
  source: EditSource;
  guidance: EditGuidance;
  settings?: Partial<EditSettings>;
}

export interface EditOutcome extends LatentEditResult {
  /** The settings used, after the pack's defaults were applied. */
  settings: EditSettings;
  /** Which layers came from which guidance, when mixing by layers. */
  layerSources?: ('audio' | 'text')[];
  /** With an image source: how well the generator reconstructed it before the edit. */
  inversion?: { psnr: number; meanAbsError: number; target: Float32Array };
  /** With loudnessGain: the clip's level and the factor the guidance weight was multiplied by. */
  loudness?: { rmsDb: number; gain: number };
}

/**
 * A pack's networks and its compiled edit objective, ready for any number of edits one after
 * another (the job worker keeps one per pack). Bounded memory: one program, one set of sessions.
 */
export class EditEngine {
  private readonly inverters = new Map<'w' | 'w+', Inverter>();
  private classEmbeddings: { name: string; embedding: Float32Array }[] | undefined;

  private constructor(
    readonly models: PackModels,
    private readonly editor: LatentEditor,
  ) {}

  static async open(pack: Pack, session: SessionOptions = {}): Promise<EditEngine> {
    const models = await openPackModels(pack, session);
    const identity = await openIdentity(pack, session);
    const editor = await LatentEditor.create(
      { generator: models.generator, image: models.image, ...(identity ? { identity } : {}) },
      session,
    );
    return new EditEngine(models, editor);
  }

  get pack(): Pack {
    return this.models.pack;
  }

  /** The pack's defaults under the request's settings. */
  settingsFor(request: EditRequest): EditSettings {
    const d = this.pack.manifest.defaults;
    return defaultEditSettings({
      steps: d.steps,
      lr: d.lr,
      lambdaSim: d.lambdaSim,
      lambdaId: this.editor.nets.identity ? d.lambdaId : 0,
      ...(d.space ? { space: d.space } : {}),
      ...request.settings,
    });
  }

  /** The source code (W+): a seed's truncated sample, a given code, or an inverted picture. */
  async sourceCode(
    source: EditSource,
    signal?: AbortSignal,
  ): Promise<{ wPlus: Float32Array; inversion?: EditOutcome['inversion'] }> {
    const g = this.models.generator;
    if (source.kind === 'latent') return { wPlus: source.wPlus };
    if (source.kind === 'image') {
      const picture = source.image instanceof Uint8Array ? decodeImage(source.image) : source.image;
      const space = source.inversion?.space ?? 'w+';
      let inverter = this.inverters.get(space);
      if (!inverter)
        this.inverters.set(space, (inverter = await Inverter.create(g, this.models.image, space)));
      const r = await inverter.invert(picture, source.inversion, signal ? { signal } : {});
      return { wPlus: r.wPlus, inversion: { psnr: r.psnr, meanAbsError: r.meanAbsError, target: r.target } };
    }
    if (!Number.isSafeInteger(source.seed) || source.seed < 0) {
      throw new EditError('BAD_SETTING', `seed must be a whole number >= 0, got ${source.seed}`, 'seed');
    }
    const truncation = source.truncation ?? this.pack.manifest.defaults.truncation;
    return { wPlus: (await g.sample(source.seed, truncation)).wPlus };
  }

  async run(
    request: EditRequest,
    options: {
      signal?: AbortSignal;
      onProgress?: (p: EditProgress & { phase?: 'audio' | 'text' }) => void;
    } = {},
  ): Promise<EditOutcome> {
    let settings = this.settingsFor(request);
    const { text } = request.guidance;
    let { audio } = request.guidance;
    if (audio === undefined && (text === undefined || text.trim() === '')) {
      throw new EditError('BAD_INPUT', 'an edit needs a sound, a text, or both', 'guidance');
    }
    const textWeight = request.guidance.textWeight ?? 0.5;
    if (!(textWeight >= 0 && textWeight <= 1)) {
      throw new EditError('BAD_SETTING', `textWeight must be in [0, 1], got ${textWeight}`, 'textWeight');
    }
    const L = this.models.generator.styleLayers;
    const range = request.guidance.audioLayers ??
      this.pack.manifest.defaults.audioLayers ?? [0, Math.ceil(L / 2) - 1];
    if (!(
      Number.isInteger(range[0]) &&
      Number.isInteger(range[1]) &&
      range[0] >= 0 &&
      range[0] <= range[1] &&
      range[1] < L
    )) {
      throw new EditError(
        'BAD_SETTING',
        `audioLayers must be an ordered range within 0..${L - 1}, got [${range.join(', ')}]`,
        'audioLayers',
      );
    }
    let loudness: { rmsDb: number; gain: number } | undefined;
    if (request.guidance.loudnessGain && audio !== undefined) {
      // Decoded once here, for the level and for the embedding.
      if (audio instanceof Uint8Array) audio = await decodeAudio(audio);
      loudness = loudnessGain(audio);
      settings = { ...settings, guidance: settings.guidance * loudness.gain };
    }
    const { wPlus: wSource, inversion } = await this.sourceCode(request.source, options.signal);
    const a = audio !== undefined ? await this.audioEmbedding(audio) : undefined;
    const t = text !== undefined && text.trim() !== '' ? await this.textEmbedding(text) : undefined;
    const run = (target: Float32Array, phase?: 'audio' | 'text') =>
      this.editor.edit(wSource, target, settings, {
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.onProgress
          ? { onProgress: (p: EditProgress) => options.onProgress!({ ...p, ...(phase ? { phase } : {}) }) }
          : {}),
      });
    if (a && t && request.guidance.combine === 'layers') {
      const fromAudio = await run(a, 'audio');
      const fromText = await run(t, 'text');
      const D = this.models.generator.styleDim;
      const mixed = Float32Array.from(fromText.wPlus);
      const layerSources: ('audio' | 'text')[] = [];
      for (let l = 0; l < L; l++) {
        const useAudio = l >= range[0] && l <= range[1];
        layerSources.push(useAudio ? 'audio' : 'text');
        if (useAudio) mixed.set(fromAudio.wPlus.subarray(l * D, (l + 1) * D), l * D);
      }
      const image = await this.models.generator.synthesize(mixed);
      return {
        ...fromText,
        wPlus: mixed,
        image,
        settings,
        ...(loudness ? { loudness } : {}),
        layerSources,
        frames: [...fromAudio.frames, ...fromText.frames, image],
      };
    }
    const target =
      a && t
        ? normalised(
            a.map((v, i) => (1 - textWeight) * v + textWeight * t[i]!),
            a.length,
            'blend',
          )
        : (a ?? t)!;
    return {
      ...(await run(target)),
      settings,
      ...(inversion ? { inversion } : {}),
      ...(loudness ? { loudness } : {}),
    };
  }

  async audioEmbedding(audio: AudioInput): Promise<Float32Array> {
    return this.models.audio.embedder.embed(audio);
  }

  async textEmbedding(text: string): Promise<Float32Array> {
    return this.models.text.embed([text]);
  }

  /**
   * The pack class nearest a sound: cosine between the sound's embedding and each class's prompts
   * (normalised and averaged, as zero-shot evaluation does). Class embeddings are computed once.
   */
  async nearestClass(audio: AudioInput): Promise<{ name: string; cosine: number }> {
    if (!this.classEmbeddings) {
      const classes = [];
      for (const c of this.pack.manifest.classes) {
        const prompts = await Promise.all(c.prompts.map((p) => this.textEmbedding(p)));
        classes.push({ name: c.name, embedding: ensemblePromptEmbeddings(prompts, c.name) });
      }
      this.classEmbeddings = classes;
    }
    const a = normalised(await this.audioEmbedding(audio), this.pack.manifest.embedDim, 'the sound');
    let best = { name: '', cosine: -Infinity };
    for (const c of this.classEmbeddings) {
      let dot = 0;
      for (let i = 0; i < a.length; i++) dot += a[i]! * c.embedding[i]!;
      if (dot > best.cosine) best = { name: c.name, cosine: dot };
    }
    return best;
  }

  async release(): Promise<void> {
    for (const inverter of this.inverters.values()) await inverter.release();
    await this.editor.release();
    await this.editor.nets.identity?.release();
    await this.models.release();
  }
}

async function openIdentity(pack: Pack, session: SessionOptions): Promise<ImageEncoder | undefined> {
  const ref = pack.manifest.parts.identityEncoder;
  if (!ref) return undefined;
  return ImageEncoder.load(join(pack.dir, ref.dir), { kind: 'identity', session });
}
