import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createSession, loadModel, saveModel, type Model, type SessionOptions } from '@soundedit/models';
import { validateAudioEncoderConfig, type AudioEncoderConfig } from './config.ts';
import { AudioEmbedder, type AudioEmbedderOptions } from './embed-audio.ts';
import { AudioEmbedError } from './errors.ts';
import { readFolderDescription } from '../folder-description.ts';

export const EXPORTED_MODEL = 'audio-encoder.onnx';
export const EXPORTED_DESCRIPTION = 'audio-encoder.json';
export const AUDIO_ENCODER_EXPORT_FORMAT = 'soundedit-audio-encoder';

/** What a pack's manifest takes over for its audio encoder: the front end, the file and how it was trained. */
export interface AudioEncoderDescription {
  format: typeof AUDIO_ENCODER_EXPORT_FORMAT;
  version: 1;
  file: typeof EXPORTED_MODEL;
  sha256: string;
  config: AudioEncoderConfig;
  training: {
    steps: number;
    fingerprint: string;
    logitScale?: number;
    /** The trainer's last validation figures. */
    validation?: Record<string, number>;
  };
}

/**
 * An encoder folder (what the trainer exports, and a pack's audio part): `audio-encoder.onnx`, the
 * inference graph, and `audio-encoder.json`, its front end and provenance.
 *
 * Writes the trained encoder (inference graph: running BatchNorm statistics, L2-normalised output)
 * and its description into `dir`, replacing what was there only once both files are complete.
 */
export async function exportAudioEncoder(
  model: Model,
  config: AudioEncoderConfig,
  dir: string,
  training: AudioEncoderDescription['training'],
): Promise<AudioEncoderDescription> {
  const temp = `${dir}.partial`;
  await rm(temp, { recursive: true, force: true });
  await mkdir(temp, { recursive: true });
  await saveModel(join(temp, EXPORTED_MODEL), model);
  const sha256 = createHash('sha256')
    .update(await readFile(join(temp, EXPORTED_MODEL)))
    .digest('hex');
  const description: AudioEncoderDescription = {
    format: AUDIO_ENCODER_EXPORT_FORMAT,
    version: 1,
    file: EXPORTED_MODEL,
    sha256,
    config,
    training,
  };
  await writeFile(join(temp, EXPORTED_DESCRIPTION), `${JSON.stringify(description, null, 2)}\n`);
  await rm(dir, { recursive: true, force: true });
  await rename(temp, dir);
  return description;
}

export interface LoadedAudioEncoder {
  embedder: AudioEmbedder;
  description: AudioEncoderDescription;
  release(): Promise<void>;
}

/** Opens an encoder folder: checks the description and the file's hash, loads the graph into a session. */
export async function loadAudioEncoderFolder(
  dir: string,
  options: { session?: SessionOptions; embedder?: AudioEmbedderOptions } = {},
): Promise<LoadedAudioEncoder> {
  const description = await readFolderDescription<AudioEncoderDescription>(
    join(dir, EXPORTED_DESCRIPTION),
    AUDIO_ENCODER_EXPORT_FORMAT,
    (message, cause) => new AudioEmbedError('BAD_FOLDER', message, undefined, { cause }),
  );
  const config = validateAudioEncoderConfig(description.config);
  const bytes = await readFile(join(dir, EXPORTED_MODEL));
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  if (sha256 !== description.sha256) {
    throw new AudioEmbedError(
      'BAD_FOLDER',
      `${join(dir, EXPORTED_MODEL)} does not match its description (sha256 ${sha256}, expected ${description.sha256}): the folder is damaged or was edited`,
    );
  }
  const session = await createSession(await loadModel(join(dir, EXPORTED_MODEL)), {
    ...options.session,
    cache: false,
  });
  return {
    embedder: new AudioEmbedder(session, config, options.embedder),
    description: { ...description, config },
    release: () => session.release(),
  };
}
