/**
 * `npm run train:pack -- --world scenes|faces [--recipe full|smoke] [--run DIR] [--out DIR]`:
 * builds a model pack from nothing, seeded: renders the world, trains CLIP-like image and text
 * towers, a StyleGAN2 generator, the identity encoder (faces), an attribute probe and the audio
 * encoder, measures them, and writes the pack with its model card. Every stage checkpoints; rerun
 * the same command to resume.
 */
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import {
  embedDatasetAudio,
  encodeWav,
  Generator,
  ImageEncoder,
  installPackPart,
  loadAudioEncoderFolder,
  retrieval,
  TextEncoder,
  trainAttributeProbe,
  trainAudioEncoder,
  trainGenerator,
  trainIdentityEncoder,
  trainImageText,
  verification,
  probeError,
  reconstruction,
  WordLevelTokenizer,
  writePack,
  zeroShotClassify,
  type DatasetItem,
  type ImageTextExample,
} from '@soundedit/core';
import { Rng, verifyPack } from '@soundedit/models';
import { PNG } from 'pngjs';
import { ProgressBar } from '../cli/progress-bar.ts';
import { synthesizeSound } from '../worlds/sounds/synthesize.ts';
import { generatorLatents } from './generator-latents.ts';
import { packRecipe, RECIPE_NAMES, type PackRecipe, type RecipeName } from './pack-recipe.ts';
import { loadPictureSet, savePictureSet, toBytes, type PictureSet } from './picture-set.ts';
import { stage } from './stages.ts';
import { worldByName, type World, type WorldClass } from './world-adapters.ts';
import { writeModelCard, writeSampleGrid, type PackFigures } from './model-card.ts';

const TOOLS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SHARED_SOUNDS = path.resolve(TOOLS, '..', '..', 'shared', 'data', 'sounds');

interface PictureMeta {
  captions: string[];
  targets: number[];
}

export interface TrainPackOptions {
  world: World;
  recipe: RecipeName;
  runDir: string;
  outDir: string;
  seed: number;
  threads?: number;
  command: string;
  /** Written under the model card's times: what the build shared the machine with, say. */
  note?: string;
}

function bar(label: string) {
  const b = new ProgressBar({ label });
  return (done: number, total: number, detail?: string) => {
    b.update(done, total, detail);
    if (done >= total) b.finish();
  };
}

function renderPictures(
  world: World,
  r: PackRecipe,
  count: number,
  seed: number,
  label: string,
): PictureSet<PictureMeta> {
  const progress = bar(label);
  const rng = new Rng(seed);
  const pixels: Uint8Array[] = [];
  const meta: PictureMeta[] = [];
  for (let i = 0; i < count; i++) {
    const sample = world.sample(rng, 0.5);
    pixels.push(toBytes(sample.render(r.size).data));
    meta.push({
      captions: Array.from({ length: r.captionsPerPicture }, () => sample.caption(rng)),
      targets: [...sample.probeTargets()],
    });
    if (i % 50 === 49 || i === count - 1) progress(i + 1, count);
  }
  return { size: r.size, pixels, meta };
}

async function writePng(file: string, pixels: Uint8Array, size: number): Promise<void> {
  const png = new PNG({ width: size, height: size });
  const n = size * size;
  for (let i = 0; i < n; i++) png.data.set([pixels[i]!, pixels[n + i]!, pixels[2 * n + i]!, 255], 4 * i);
  await writeFile(file, PNG.sync.write(png));
}

/** Synthetic clips per class with a matching edited picture and caption; real clips split by recording. */
async function writeSoundData(world: World, r: PackRecipe, dir: string, seed: number) {
  const rng = new Rng(seed);
  const train: DatasetItem[] = [];
  const heldOut: DatasetItem[] = [];
  const realHeldOut: DatasetItem[] = [];
  const progress = bar('sounds');
  const perClass = r.audio.clipsPerClass + r.audio.heldOutPerClass;
  const total = world.classes.length * perClass;
  let done = 0;
  for (const cls of world.classes) {
    await mkdir(path.join(dir, cls.name), { recursive: true });
    for (let k = 0; k < perClass; k++) {
      const clip = synthesizeSound(cls.name, rng, { sampleRate: 16_000 });
      const audioPath = path.join(dir, cls.name, `${cls.name}_${k}.wav`);
      await writeFile(
        audioPath,
        encodeWav([clip.samples], clip.sampleRate, { encoding: 'pcm', bitsPerSample: 16 }),
      );
      const item = await pairWithPicture(world, cls, r, rng, dir, audioPath, k);
      (k < r.audio.clipsPerClass ? train : heldOut).push(item);
      progress(++done, total);
    }
    for (const [j, file] of realClips(cls)
      .slice(0, r.audio.realPerClass ?? Infinity)
      .entries()) {
      const item = await pairWithPicture(world, cls, r, rng, dir, file, 10_000 + j);
      // A third of the real recordings are kept out of training, for the real-clip zero-shot figure.
      (j % 3 === 2 ? realHeldOut : train).push(item);
    }
  }
  return { train, heldOut, realHeldOut };
}

async function pairWithPicture(
  world: World,
  cls: WorldClass,
  r: PackRecipe,
  rng: Rng,
  dir: string,
  audioPath: string,
  k: number,
): Promise<DatasetItem> {
  const sample = world.sample(rng, 0).withEdit(cls.edit, 0.6 + 0.4 * rng.next());
  const imagePath = path.join(dir, cls.name, `${cls.name}_${k}.png`);
  await writePng(imagePath, toBytes(sample.render(r.size).data), r.size);
  return { audioPath, imagePath, label: cls.name, caption: sample.caption(rng) };
}

function realClips(cls: WorldClass): string[] {
  const out: string[] = [];
  for (const folder of cls.realFolders) {
    const dir = path.join(SHARED_SOUNDS, folder);
    if (!existsSync(dir)) continue;
    // Short clips only: the long field recordings would be cropped to their middle anyway.
    for (const name of readdirSorted(dir))
      if (/\.(wav|ogg|mp3|flac)$/i.test(name)) out.push(path.join(dir, name));
  }
  return out;
}

function readdirSorted(dir: string): string[] {
  return readdirSync(dir).sort();
}

export async function trainPack(
  o: TrainPackOptions,
): Promise<{ outDir: string; files: number; bytes: number; figures: PackFigures }> {
  const r = packRecipe(o.recipe);
  const world = o.world;
  const session = o.threads ? { threads: o.threads } : {};
  await mkdir(o.runDir, { recursive: true });
  const common = (runDir: string) => ({ runDir, seed: o.seed, checkpointEvery: r.checkpointEvery, session });

  const pictures = await stage(o.runDir, 'pictures', async (dir) => {
    await savePictureSet(path.join(dir, 'train'), renderPictures(world, r, r.pictures, o.seed, 'pictures'));
    await savePictureSet(
      path.join(dir, 'validation'),
      renderPictures(world, r, r.validationPictures, o.seed + 1, 'validation'),
    );
    return { dir };
  });
  const train = await loadPictureSet<PictureMeta>(path.join(pictures.dir, 'train'));
  const validation = await loadPictureSet<PictureMeta>(path.join(pictures.dir, 'validation'));
  const examples = (set: PictureSet<PictureMeta>): ImageTextExample[] =>
    set.pixels.map((pixels, i) => ({ pixels, captions: set.meta[i]!.captions }));

  const clip = await stage(o.runDir, 'clip', async (dir) => {
    const texts = [
      ...train.meta.flatMap((m) => m.captions),
      ...world.classes.flatMap((c) => [...c.prompts, c.editPrompt]),
    ];
    const tokenizer = WordLevelTokenizer.fromTexts(texts, { contextLength: r.clip.text.contextLength });
    const progress = bar('image-text');
    const result = await trainImageText({
      ...common(dir),
      examples: examples(train),
      validation: examples(validation),
      vit: r.clip.vit,
      text: r.clip.text,
      tokenizer,
      batchSize: r.clip.batch,
      steps: r.clip.steps,
      optimizer: { kind: 'adamw', lr: r.clip.lr, weightDecay: 0.05 },
      schedule: { kind: 'cosine', warmupSteps: Math.ceil(r.clip.steps / 20) },
      temperature: { kind: 'learnable', init: 0.07 },
      validateEvery: Math.max(1, Math.floor(r.clip.steps / 4)),
      onEvent: (e) => {
        if (e.type === 'step')
          progress(e.step, e.totalSteps, `loss ${e.loss.toFixed(3)} acc ${(100 * e.accuracy).toFixed(0)}%`);
      },
    });
    return { exportDir: result.exportDir, validation: result.lastValidation };
  });

  const generator = await stage(o.runDir, 'generator', async (dir) => {
    const rng = new Rng(o.seed + 2);
    const latents = (n: number, mixing: number) =>
      generatorLatents(world, { size: r.size, styleDim: r.generator.config.styleDim, mixing }, rng, n);
    const progress = bar('generator');
    const held = Math.max(8, Math.floor(r.generator.latents / 50));
    const examples = latents(r.generator.latents, r.generator.mixing);
    const validation = latents(held, 0);
    const mixedValidation = latents(held, 1);
    const result = await trainGenerator({
      ...common(dir),
      config: r.generator.config,
      examples,
      validation,
      batchSize: r.generator.batch,
      steps: r.generator.steps,
      optimizer: { kind: 'adamw', lr: r.generator.lr, weightDecay: 0 },
      schedule: { kind: 'cosine', warmupSteps: Math.ceil(r.generator.steps / 50) },
      validateEvery: Math.max(1, Math.floor(r.generator.steps / 4)),
      onEvent: (e) => {
        if (e.type === 'step') progress(e.step, e.totalSteps, `L1 ${e.loss.toFixed(4)}`);
      },
    });
    const trained = await Generator.load(result.exportDir, session);
    const mixed = await reconstruction(trained, mixedValidation);
    await trained.release();
    return { exportDir: result.exportDir, validation: result.lastValidation, mixed };
  });

  const identity =
    world.name === 'faces'
      ? await stage(o.runDir, 'identity', async (dir) => {
          const rng = new Rng(o.seed + 3);
          const pairs = (n: number) =>
            Array.from({ length: n }, () => {
              const a = world.sample(rng, 0.8);
              return {
                a: toBytes(a.render(r.size).data),
                b: toBytes(a.sameIdentity!(rng).render(r.size).data),
              };
            });
          const progress = bar('identity');
          const result = await trainIdentityEncoder({
            ...common(dir),
            vit: r.identity.vit,
            pairs: pairs(r.identity.pairs),
            validation: pairs(Math.max(8, Math.floor(r.identity.pairs / 20))),
            batchSize: r.identity.batch,
            steps: r.identity.steps,
            optimizer: { kind: 'adamw', lr: 1e-3, weightDecay: 0.05 },
            schedule: { kind: 'cosine', warmupSteps: Math.ceil(r.identity.steps / 20) },
            validateEvery: Math.max(1, Math.floor(r.identity.steps / 2)),
            onStep: (e) => progress(e.step, e.totalSteps, `loss ${e.loss.toFixed(3)}`),
          });
          return { exportDir: result.exportDir, validation: result.lastValidation };
        })
      : undefined;

  const probe = await stage(o.runDir, 'probe', async (dir) => {
    const progress = bar('probe');
    const asProbe = (set: PictureSet<PictureMeta>) =>
      set.pixels.map((pixels, i) => ({ pixels, target: Float32Array.from(set.meta[i]!.targets) }));
    const result = await trainAttributeProbe({
      ...common(dir),
      vit: { ...r.probe.vit, outputDim: world.probeOutputs.length },
      examples: asProbe(train),
      validation: asProbe(validation),
      outputs: world.probeOutputs,
      batchSize: r.probe.batch,
      steps: r.probe.steps,
      optimizer: { kind: 'adamw', lr: 1e-3, weightDecay: 0.01 },
      schedule: { kind: 'cosine', warmupSteps: Math.ceil(r.probe.steps / 20) },
      validateEvery: Math.max(1, Math.floor(r.probe.steps / 2)),
      onStep: (e) => progress(e.step, e.totalSteps, `mse ${e.loss.toFixed(4)}`),
    });
    return { exportDir: result.exportDir, validation: result.lastValidation };
  });

  const sounds = await stage(o.runDir, 'sounds', async (dir) => writeSoundData(world, r, dir, o.seed + 4));

  const audio = await stage(o.runDir, 'audio', async (dir) => {
    const text = await TextEncoder.load(path.join(clip.exportDir, 'text-encoder'), session);
    const image = await ImageEncoder.load(path.join(clip.exportDir, 'image-encoder'), { session });
    const progress = bar('audio');
    const result = await trainAudioEncoder({
      ...common(dir),
      encoder: r.audio.encoder,
      train: sounds.train,
      validation: sounds.heldOut,
      classes: world.classes.map((c) => c.name),
      classPrompts: Object.fromEntries(world.classes.map((c) => [c.name, c.prompts])),
      textEncoder: text,
      imageEncoder: image,
      frozenEncodersId: clip.exportDir,
      batchSize: r.audio.batch,
      steps: r.audio.steps,
      optimizer: { kind: 'adamw', lr: r.audio.lr, weightDecay: 1e-4 },
      schedule: { kind: 'cosine', warmupSteps: Math.ceil(r.audio.steps / 20) },
      temperature: { kind: 'learnable', init: 0.07 },
      specAugment: { freqMasks: 2, freqMaskWidth: 8, timeMasks: 2, timeMaskWidth: 20, maskValue: 'mean' },
      validateEvery: Math.max(1, Math.floor(r.audio.steps / 4)),
      onEvent: (e) => {
        if (e.type === 'step') progress(e.step, e.totalSteps, `loss ${e.loss.toFixed(3)}`);
      },
    });
    await Promise.all([text.release(), image.release()]);
    return { exportDir: result.exportDir, validation: result.lastValidation };
  });

  return stage(o.runDir, 'pack', async () => {
    const figures = await measure(
      world,
      r,
      { clip, generator, identity, probe, audio },
      sounds,
      validation,
      session,
    );
    const text = await TextEncoder.load(path.join(clip.exportDir, 'text-encoder'), session);
    const image = await ImageEncoder.load(path.join(clip.exportDir, 'image-encoder'), { session });
    const gen = await Generator.load(generator.exportDir, session);
    await writeSampleGrid(gen, path.join(o.runDir, 'samples.png'), 8);
    let pack = await writePack(
      o.outDir,
      {
        name: `tiny-${world.name}`,
        title: world.title,
        description: `Trained by soundedit on its procedural ${world.name} world; recipe '${o.recipe}'.`,
        embedDim: r.embedDim,
        classes: world.classes.map((c) => ({
          name: c.name,
          prompts: c.prompts,
          editPrompt: c.editPrompt,
          ...(c.edit ? { attribute: c.edit } : {}),
        })),
        defaults:
          world.name === 'faces'
            ? { steps: 300, lr: 0.1, lambdaId: 0.008, lambdaSim: 0.004, truncation: 0.7, space: 'w+' }
            : { steps: 300, lr: 0.1, lambdaId: 0, lambdaSim: 0.002, truncation: 0.7, space: 'w+' },
        provenance: {
          createdBy: 'soundedit tools/packs/train-pack.ts',
          created: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
          command: o.command,
          sources: [
            'procedural renderer tools/worlds',
            'sound synthesiser tools/worlds/sounds',
            '../shared/data/sounds (real clips, read in place)',
          ],
        },
        licence: 'MIT',
      },
      { generator: gen, text, image, audioDir: audio.exportDir },
    );
    await Promise.all([text.release(), image.release(), gen.release()]);
    if (identity) pack = await installPackPart(pack, 'identityEncoder', identity.exportDir);
    pack = await installPackPart(pack, 'attributeProbe', probe.exportDir);
    pack = await writeModelCard(
      pack,
      figures,
      { ...o, recipe: r, recipeName: o.recipe },
      path.join(o.runDir, 'samples.png'),
    );
    const verified = await verifyPack(pack);
    return { outDir: o.outDir, files: verified.checked, bytes: verified.bytes, figures };
  });
}

/** The figures of the model card, each measured on data no network trained on. */
async function measure(
  world: World,
  r: PackRecipe,
  parts: {
    clip: { exportDir: string };
    generator: {
      exportDir: string;
      validation?: { psnr: number; meanAbsError: number } | undefined;
      mixed?: { psnr: number; meanAbsError: number } | undefined;
    };
    identity?: { exportDir: string } | undefined;
    probe: { exportDir: string };
    audio: { exportDir: string };
  },
  sounds: { heldOut: DatasetItem[]; realHeldOut: DatasetItem[] },
  validation: PictureSet<PictureMeta>,
  session: { threads?: number },
): Promise<PackFigures> {
  const text = await TextEncoder.load(path.join(parts.clip.exportDir, 'text-encoder'), session);
  const image = await ImageEncoder.load(path.join(parts.clip.exportDir, 'image-encoder'), { session });
  const audio = await loadAudioEncoderFolder(parts.audio.exportDir, { session });
  try {
    const retrievalFigures = await retrieval(
      image,
      text,
      validation.pixels.map((pixels, i) => ({ pixels, captions: validation.meta[i]!.captions })),
      r.size,
      0,
    );
    const classPrompts = await Promise.all(
      world.classes.map(async (c) => {
        const rows = await text.embed(c.prompts);
        return c.prompts.map((_, i) => rows.slice(i * text.dim, (i + 1) * text.dim));
      }),
    );
    const zeroShot = async (items: DatasetItem[]) => {
      if (items.length === 0) return undefined;
      const embedded = await embedDatasetAudio(audio.embedder, items);
      const report = zeroShotClassify({
        audio: embedded.rows,
        labels: embedded.items.map((i) => world.classes.findIndex((c) => c.name === i.label)),
        classNames: world.classes.map((c) => c.name),
        classPrompts,
        topK: [1, 3],
      });
      return {
        clips: report.samples,
        top1: report.topK[1]!,
        chance: report.chance[1]!,
        failed: embedded.failures.length,
      };
    };
    const probe = await ImageEncoder.load(parts.probe.exportDir, { kind: 'probe', session });
    const probeFigures = await probeError(
      probe,
      validation.pixels.map((pixels, i) => ({
        pixels,
        target: Float32Array.from(validation.meta[i]!.targets),
      })),
      world.probeOutputs,
      r.size,
    );
    await probe.release();
    let identityFigures;
    if (parts.identity) {
      const enc = await ImageEncoder.load(parts.identity.exportDir, { kind: 'identity', session });
      const rng = new Rng(987);
      const pairs = Array.from({ length: 200 }, () => {
        const a = world.sample(rng, 0.8);
        return { a: toBytes(a.render(r.size).data), b: toBytes(a.sameIdentity!(rng).render(r.size).data) };
      });
      identityFigures = await verification(enc, pairs, r.size);
      await enc.release();
    }
    return {
      retrieval: {
        pictures: retrievalFigures.pictures,
        imageToText: retrievalFigures.imageToText,
        textToImage: retrievalFigures.textToImage,
      },
      zeroShotSynthetic: await zeroShot(sounds.heldOut),
      zeroShotReal: await zeroShot(sounds.realHeldOut),
      generator: parts.generator.validation,
      generatorMixed: parts.generator.mixed,
      identity: identityFigures,
      probeMeanAbsError: probeFigures.meanAbsError,
    };
  } finally {
    await Promise.all([text.release(), image.release(), audio.release()]);
  }
}

/** The model card's figures, one `train:pack <pack> <name> <value>` line each (the README quotes them). */
function figureLines(world: string, built: { bytes: number; figures: PackFigures }): string[] {
  const f = built.figures;
  const pct = (x: number) => (100 * x).toFixed(1);
  const rows: [string, string][] = [
    ['bytes', String(built.bytes)],
    ['text_to_image_top1_pct', pct(f.retrieval.textToImage)],
    ['image_to_text_top1_pct', pct(f.retrieval.imageToText)],
  ];
  if (f.zeroShotSynthetic) rows.push(['zero_shot_synthetic_top1_pct', pct(f.zeroShotSynthetic.top1)]);
  if (f.zeroShotReal) rows.push(['zero_shot_real_top1_pct', pct(f.zeroShotReal.top1)]);
  if (f.generator) rows.push(['generator_psnr_db', f.generator.psnr.toFixed(1)]);
  if (f.generatorMixed) rows.push(['generator_mixed_psnr_db', f.generatorMixed.psnr.toFixed(1)]);
  if (f.identity) rows.push(['identity_verification_pct', pct(f.identity.verificationAccuracy)]);
  return rows.map(([name, value]) => `train:pack tiny-${world} ${name} ${value}`);
}

function withoutNote(args: string[]): string[] {
  return args.filter((a, i) => !a.startsWith('--note') && args[i - 1] !== '--note');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      world: { type: 'string' },
      recipe: { type: 'string', default: 'full' },
      run: { type: 'string' },
      out: { type: 'string' },
      seed: { type: 'string', default: '1' },
      threads: { type: 'string' },
      note: { type: 'string' },
    },
  });
  const world = worldByName(values.world ?? '');
  const recipe = values.recipe as RecipeName;
  if (!RECIPE_NAMES.includes(recipe)) throw new Error(`--recipe takes ${RECIPE_NAMES.join(' or ')}`);
  const repo = path.resolve(TOOLS, '..');
  const t0 = performance.now();
  const built = await trainPack({
    world,
    recipe,
    runDir: path.resolve(values.run ?? path.join(repo, '.runs', `pack-${world.name}-${recipe}`)),
    outDir: path.resolve(values.out ?? path.join(repo, 'models', `tiny-${world.name}`)),
    seed: Number(values.seed),
    ...(values.threads ? { threads: Number(values.threads) } : {}),
    ...(values.note ? { note: values.note } : {}),
    // The command that rebuilds the pack: everything but the card's note.
    command: `npm run train:pack -- ${withoutNote(process.argv.slice(2)).join(' ')}`,
  });
  process.stderr.write(`train:pack finished in ${((performance.now() - t0) / 60_000).toFixed(1)} min\n`);
  for (const line of figureLines(world.name, built)) process.stdout.write(`${line}\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) await main();
