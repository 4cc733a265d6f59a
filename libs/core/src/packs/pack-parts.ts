import { cp, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  describeFiles,
  loadPack,
  MANIFEST_FILE,
  PackError,
  type Pack,
  type PackManifest,
  type PackPart,
  type SessionOptions,
} from '@soundedit/models';
import { ImageEncoder } from '../encoders/clip-image/image-encoder.ts';
import { TextEncoder } from '../encoders/clip-text/text-encoder.ts';
import { loadAudioEncoderFolder, type LoadedAudioEncoder } from '../encoders/audio-resnet/encoder-folder.ts';
import { Generator } from '../generator/generator.ts';

/** The folder of a part inside a pack. */
export function partDir(pack: Pack, part: PackPart): string {
  const ref = pack.manifest.parts[part];
  if (!ref) throw new PackError('BAD_PART', `pack '${pack.manifest.name}' has no ${part}`);
  return join(pack.dir, ref.dir);
}

/** The pack's frozen text and image towers (what the audio trainer aligns to). */
export async function openFrozenEncoders(
  pack: Pack,
  session: SessionOptions = {},
): Promise<{ text: TextEncoder; image: ImageEncoder; release(): Promise<void> }> {
  const text = await TextEncoder.load(partDir(pack, 'textEncoder'), session);
  const image = await ImageEncoder.load(partDir(pack, 'imageEncoder'), { session });
  checkDim(pack, 'textEncoder', text.dim);
  checkDim(pack, 'imageEncoder', image.dim);
  return { text, image, release: async () => void (await Promise.all([text.release(), image.release()])) };
}

export interface PackModels {
  pack: Pack;
  generator: Generator;
  text: TextEncoder;
  image: ImageEncoder;
  audio: LoadedAudioEncoder;
  release(): Promise<void>;
}

/** Every network of a pack, loaded and checked against the manifest's embedding size. */
export async function openPackModels(pack: Pack, session: SessionOptions = {}): Promise<PackModels> {
  const { text, image } = await openFrozenEncoders(pack, session);
  const audio = await loadAudioEncoderFolder(partDir(pack, 'audioEncoder'), { session });
  checkDim(pack, 'audioEncoder', audio.description.config.outputDim);
  const generator = await Generator.load(partDir(pack, 'generator'), session);
  return {
    pack,
    generator,
    text,
    image,
    audio,
    release: async () =>
      void (await Promise.all([text.release(), image.release(), audio.release(), generator.release()])),
  };
}

function checkDim(pack: Pack, part: PackPart, dim: number): void {
  if (dim !== pack.manifest.embedDim) {
    throw new PackError(
      'BAD_PART',
      `pack '${pack.manifest.name}': the ${part} embeds to ${dim} dimensions, the manifest's embedDim is ${pack.manifest.embedDim}`,
    );
  }
}

/** Rewrites manifest.json with every file re-hashed; written beside and renamed, so readers never see half a manifest. */
async function writeManifest(dir: string, manifest: Omit<PackManifest, 'files'>): Promise<Pack> {
  const full: PackManifest = { ...manifest, files: await describeFiles(dir) } as PackManifest;
  const temp = join(dir, `${MANIFEST_FILE}.partial`);
  await writeFile(temp, `${JSON.stringify(full, null, 2)}\n`);
  await rename(temp, join(dir, MANIFEST_FILE));
  return loadPack(dir);
}

/** Re-hashes every file of a pack (after adding a model card or previews) and rewrites its manifest. */
export async function refreshPackFiles(pack: Pack): Promise<Pack> {
  const { files: _, ...rest } = pack.manifest;
  return writeManifest(pack.dir, rest);
}

/**
 * Replaces one part of a pack with the contents of `sourceDir` (a trained audio encoder's export
 * folder, say) and re-hashes the manifest.
 */
export async function installPackPart(pack: Pack, part: PackPart, sourceDir: string): Promise<Pack> {
  const dir = pack.manifest.parts[part]?.dir ?? defaultPartDir(part);
  const target = join(pack.dir, dir);
  await rm(target, { recursive: true, force: true });
  await cp(sourceDir, target, { recursive: true });
  const { files: _, ...rest } = pack.manifest;
  return writeManifest(pack.dir, { ...rest, parts: { ...rest.parts, [part]: { dir } } });
}

export function defaultPartDir(part: PackPart): string {
  return part.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

export interface NewPackParts {
  generator: Generator;
  text: TextEncoder;
  image: ImageEncoder;
  /** An audio encoder folder (the trainer's export). */
  audioDir: string;
}

/** Writes a complete pack folder from its networks and manifest fields; returns it loaded and validated. */
export async function writePack(
  dir: string,
  manifest: Omit<PackManifest, 'files' | 'parts' | 'format' | 'version'>,
  parts: NewPackParts,
): Promise<Pack> {
  await mkdir(dir, { recursive: true });
  await parts.generator.save(join(dir, 'generator'));
  await parts.text.save(join(dir, 'text-encoder'));
  await parts.image.save(join(dir, 'image-encoder'));
  await rm(join(dir, 'audio-encoder'), { recursive: true, force: true });
  await cp(parts.audioDir, join(dir, 'audio-encoder'), { recursive: true });
  return writeManifest(dir, {
    format: 'soundedit-pack',
    version: 1,
    ...manifest,
    parts: {
      generator: { dir: 'generator' },
      textEncoder: { dir: 'text-encoder' },
      imageEncoder: { dir: 'image-encoder' },
      audioEncoder: { dir: 'audio-encoder' },
    },
  });
}
