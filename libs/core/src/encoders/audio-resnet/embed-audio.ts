import { RuntimeError, type Session } from '@soundedit/models';
import { prepareClip, type AudioClip, type PlanarAudio } from '../../audio/audio-clip.ts';
import { decodeAudio } from '../../audio/decode/decode.ts';
import type { DecodeLimits } from '../../audio/decode/limits.ts';
import { LogMelExtractor } from '../../audio/features/log-mel.ts';
import { clipConfigOf, inputFrames, validateAudioEncoderConfig, type AudioEncoderConfig } from './config.ts';
import { AudioEmbedError } from './errors.ts';
import { AUDIO_ENCODER_INPUT, AUDIO_ENCODER_OUTPUT } from './model.ts';

/** An uploaded file's bytes (any format decodeAudio reads) or audio already decoded. */
export type AudioInput = Uint8Array | PlanarAudio;

export interface AudioEmbedderOptions {
  /** Limits applied when an input is bytes. */
  decodeLimits?: Partial<DecodeLimits>;
}

/** How far a returned row's norm may be from 1 before the session is taken to be the wrong graph. */
const UNIT_NORM_TOLERANCE = 1e-3;

/**
 * Audio to embeddings for one encoder: prepare (decode, downmix, resample, crop/pad) -> front end
 * (log-mel) -> model (batches of up to `config.batchSize`) -> postprocess (checked unit rows).
 * Holds the front end's filterbank, so reuse one embedder for many calls.
 */
export class AudioEmbedder {
  readonly config: AudioEncoderConfig;
  readonly frontEnd: LogMelExtractor;
  readonly frames: number;

  constructor(
    readonly session: Session,
    config: AudioEncoderConfig,
    private readonly options: AudioEmbedderOptions = {},
  ) {
    this.config = validateAudioEncoderConfig(config);
    this.frontEnd = new LogMelExtractor(this.config.logMel);
    this.frames = inputFrames(this.config);
    const missing = [
      session.inputNames.includes(AUDIO_ENCODER_INPUT) ? null : `input '${AUDIO_ENCODER_INPUT}'`,
      session.outputNames.includes(AUDIO_ENCODER_OUTPUT) ? null : `output '${AUDIO_ENCODER_OUTPUT}'`,
    ].filter((m) => m !== null);
    if (missing.length > 0) {
      throw new AudioEmbedError(
        'SESSION_MISMATCH',
        `the session is not an audio encoder: it has no ${missing.join(' or ')} (inputs: ${session.inputNames.join(', ')}; outputs: ${session.outputNames.join(', ')})`,
      );
    }
  }

  /** Stage 1: one input to the mono, fixed-length clip the front end takes. */
  async prepare(input: AudioInput): Promise<AudioClip> {
    const audio = input instanceof Uint8Array ? await decodeAudio(input, this.options.decodeLimits) : input;
    return prepareClip(audio, clipConfigOf(this.config));
  }

  /** Stage 2: the clip's log-mel, (nMels, frames) row-major: one [1, nMels, frames] item of a batch. */
  features(clip: AudioClip): Float32Array {
    return this.frontEnd.compute(clip.samples).data;
  }

  /**
   * Stages 3 and 4: runs `count` feature items laid end to end and returns their embeddings,
   * [count, outputDim] row-major, each row checked finite and unit length. `firstClip` numbers
   * the clips in errors.
   */
  async embedFeatures(batch: Float32Array, count: number, firstClip = 0): Promise<Float32Array> {
    const { nMels } = this.config.logMel;
    const dims = [count, 1, nMels, this.frames];
    let out;
    try {
      out = await this.session.run({ [AUDIO_ENCODER_INPUT]: { data: batch, dims } }, [AUDIO_ENCODER_OUTPUT]);
    } catch (e) {
      if (e instanceof RuntimeError && e.code === 'BAD_FEED') {
        throw new AudioEmbedError(
          'SESSION_MISMATCH',
          `the session was built for another front end: ${e.message} (this config gives [${dims.join(', ')}])`,
          undefined,
          { cause: e },
        );
      }
      throw e;
    }
    const y = out[AUDIO_ENCODER_OUTPUT];
    const dim = this.config.outputDim;
    if (
      !y ||
      !(y.data instanceof Float32Array) ||
      y.dims.length !== 2 ||
      y.dims[0] !== count ||
      y.dims[1] !== dim
    ) {
      throw new AudioEmbedError(
        'SESSION_MISMATCH',
        `the session returned embeddings of shape [${y?.dims.join(', ') ?? ''}], expected [${count}, ${dim}] float32`,
      );
    }
    return postprocess(y.data, count, dim, firstClip);
  }

  /** All stages for one input or several; returns [n, outputDim] row-major, in input order. */
  async embed(inputs: AudioInput | readonly AudioInput[]): Promise<Float32Array> {
    const list = isInputList(inputs) ? inputs : [inputs];
    if (list.length === 0) throw new AudioEmbedError('NO_INPUT', 'embedAudio was given no audio to embed');
    const { nMels } = this.config.logMel;
    const item = nMels * this.frames;
    const dim = this.config.outputDim;
    const result = new Float32Array(list.length * dim);
    for (let first = 0; first < list.length; first += this.config.batchSize) {
      const count = Math.min(this.config.batchSize, list.length - first);
      const batch = new Float32Array(count * item);
      for (let k = 0; k < count; k++) {
        const clip = await this.prepare(list[first + k] as AudioInput);
        batch.set(this.features(clip), k * item);
      }
      result.set(await this.embedFeatures(batch, count, first), first * dim);
    }
    return result;
  }
}

/**
 * One-shot form of `AudioEmbedder.embed`: bytes or decoded audio (one or several) -> embeddings
 * [n, outputDim] row-major, each row unit length.
 */
export async function embedAudio(
  inputs: AudioInput | readonly AudioInput[],
  session: Session,
  config: AudioEncoderConfig,
  options: AudioEmbedderOptions = {},
): Promise<Float32Array> {
  return new AudioEmbedder(session, config, options).embed(inputs);
}

function isInputList(inputs: AudioInput | readonly AudioInput[]): inputs is readonly AudioInput[] {
  return Array.isArray(inputs);
}

/** Copies the rows out of onnxruntime's buffer, refusing NaN and rows that are not unit length. */
function postprocess(data: Float32Array, count: number, dim: number, firstClip: number): Float32Array {
  const out = data.slice(0, count * dim);
  for (let r = 0; r < count; r++) {
    let sq = 0;
    for (let j = r * dim; j < (r + 1) * dim; j++) {
      const v = out[j] as number;
      if (!Number.isFinite(v)) {
        throw new AudioEmbedError(
          'BAD_EMBEDDING',
          `the encoder returned ${String(v)} in the embedding of clip ${firstClip + r}`,
          firstClip + r,
        );
      }
      sq += v * v;
    }
    const norm = Math.sqrt(sq);
    if (Math.abs(norm - 1) > UNIT_NORM_TOLERANCE) {
      throw new AudioEmbedError(
        'BAD_EMBEDDING',
        `the embedding of clip ${firstClip + r} has norm ${norm.toPrecision(4)}, not 1: the session's graph lacks the L2 normalisation or its weights are degenerate`,
        firstClip + r,
      );
    }
  }
  return out;
}
