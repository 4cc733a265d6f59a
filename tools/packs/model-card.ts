import { copyFile, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { refreshPackFiles, type Generator } from '@soundedit/core';
import type { Pack } from '@soundedit/models';
import { PNG } from 'pngjs';
import type { PackRecipe, RecipeName } from './pack-recipe.ts';

/** What the model card reports, every figure measured on data no network trained on. */
export interface PackFigures {
  retrieval: { pictures: number; imageToText: number; textToImage: number };
  zeroShotSynthetic?: { clips: number; top1: number; chance: number; failed: number } | undefined;
  zeroShotReal?: { clips: number; top1: number; chance: number; failed: number } | undefined;
  generator?: { psnr: number; meanAbsError: number } | undefined;
  /** The same on style-mixed latents: a W+ code with two latents spread over the layers. */
  generatorMixed?: { psnr: number; meanAbsError: number } | undefined;
  identity?: { pairs: number; verificationAccuracy: number; threshold: number } | undefined;
  probeMeanAbsError: Record<string, number>;
}

/** An n x n grid of the generator's pictures for seeds 0..n²-1 at the pack's truncation, 2x nearest upscaled. */
export async function writeSampleGrid(
  generator: Generator,
  file: string,
  n: number,
  truncation = 0.7,
): Promise<void> {
  const r = generator.resolution;
  const scale = 2;
  const side = n * r * scale;
  const png = new PNG({ width: side, height: side });
  for (let k = 0; k < n * n; k++) {
    const { image } = await generator.sample(k, truncation);
    const ox = (k % n) * r * scale;
    const oy = Math.floor(k / n) * r * scale;
    for (let y = 0; y < r * scale; y++) {
      for (let x = 0; x < r * scale; x++) {
        const i = Math.floor(y / scale) * r + Math.floor(x / scale);
        const at = 4 * ((oy + y) * side + ox + x);
        for (let c = 0; c < 3; c++) {
          png.data[at + c] = Math.round(255 * Math.min(1, Math.max(0, (image[c * r * r + i]! + 1) / 2)));
        }
        png.data[at + 3] = 255;
      }
    }
  }
  await writeFile(file, PNG.sync.write(png));
}

const pct = (x: number) => `${(100 * x).toFixed(1)} %`;

/** Writes MODEL_CARD.md and samples.png into the pack and re-hashes its manifest. */
export async function writeModelCard(
  pack: Pack,
  f: PackFigures,
  o: {
    recipe: PackRecipe;
    recipeName: RecipeName;
    command: string;
    runDir: string;
    seed: number;
    note?: string;
  },
  samplesPng: string,
): Promise<Pack> {
  const m = pack.manifest;
  await copyFile(samplesPng, path.join(pack.dir, 'samples.png'));
  const stages = await stageTimes(o.runDir);
  const r = o.recipe;
  const zs = (z: PackFigures['zeroShotSynthetic'], what: string) =>
    z
      ? `| zero-shot audio classification, ${what} (${z.clips} clips) | top-1 ${pct(z.top1)} (chance ${pct(z.chance)}) |`
      : `| zero-shot audio classification, ${what} | not measured (no clips) |`;
  const lines: (string | null)[] = [
    `# ${m.title}`,
    '',
    `Pack \`${m.name}\`, built by \`${o.command}\` (recipe \`${o.recipeName}\`, seed ${o.seed}) on ${m.provenance.created}.`,
    `Licence: ${m.licence}. Everything in it was trained by soundedit from data it made itself; no pretrained weights.`,
    '',
    '![random samples of the generator](samples.png)',
    '',
    'Random samples: seeds 0-63 at truncation 0.7.',
    '',
    '## Data',
    '',
    `- Pictures: ${r.pictures} rendered by the procedural ${m.name.replace('tiny-', '')} world at ${r.size} x ${r.size}, ${r.captionsPerPicture} generated captions each; ${r.validationPictures} more held out.`,
    `- Sounds: ${r.audio.clipsPerClass} synthesised clips per class for training and ${r.audio.heldOutPerClass} held out, each paired with a picture showing its edit and that picture's caption; real recordings from ../shared/data/sounds of the matching classes (two thirds train, one third held out).`,
    `- Classes: ${m.classes.map((c) => `\`${c.name}\``).join(', ')}.`,
    '',
    '## Networks',
    '',
    `- Image and text towers (CLIP layout): ViT ${r.clip.vit.layers} layers x ${r.clip.vit.width}, patch ${r.clip.vit.patchSize}; text transformer ${r.clip.text.layers} x ${r.clip.text.width}; ${m.embedDim}-d space; trained together with symmetric InfoNCE, ${r.clip.steps} steps of ${r.clip.batch}.`,
    `- Generator (StyleGAN2 layout): ${r.generator.config.size} px, ${r.generator.config.styleDim}-d styles, mapping depth ${r.generator.config.nMlp}, regressed onto the renderer through a fixed latent-to-parameter map, ${r.generator.steps} steps of ${r.generator.batch}; ${Math.round(100 * r.generator.mixing)} % of its latents style-mixed (each style layer owns a group of the world's parameters and draws it from its own latent), so W+ codes decode to valid pictures.`,
    `- Audio encoder: ResNet-18 of base width ${r.audio.encoder.baseWidth}, ${r.audio.encoder.clipSeconds} s at ${r.audio.encoder.logMel.sampleRate} Hz, ${r.audio.encoder.logMel.nMels} mels; InfoNCE against the frozen text and image towers plus a SpecAugment view, ${r.audio.steps} steps of ${r.audio.batch}.`,
    m.parts.identityEncoder
      ? `- Identity encoder: ViT ${r.identity.vit.layers} x ${r.identity.vit.width}, InfoNCE over pairs of one person with two expressions, ${r.identity.steps} steps.`
      : null,
    `- Attribute probe (evaluation only): ViT ${r.probe.vit.layers} x ${r.probe.vit.width} regressing ${Object.keys(f.probeMeanAbsError).join(', ')}.`,
    '',
    '## Measured',
    '',
    '| what | figure |',
    '| --- | --- |',
    `| text->image retrieval, held-out pictures (${f.retrieval.pictures}) | top-1 ${pct(f.retrieval.textToImage)} |`,
    `| image->text retrieval, held-out pictures | top-1 ${pct(f.retrieval.imageToText)} |`,
    zs(f.zeroShotSynthetic, 'held-out synthetic clips'),
    zs(f.zeroShotReal, 'held-out real recordings'),
    f.generator
      ? `| generator vs renderer, held-out latents | PSNR ${f.generator.psnr.toFixed(1)} dB, mean abs error ${f.generator.meanAbsError.toFixed(3)} |`
      : null,
    f.generatorMixed
      ? `| generator vs renderer, held-out style-mixed latents (two latents spread over the W+ layers) | PSNR ${f.generatorMixed.psnr.toFixed(1)} dB, mean abs error ${f.generatorMixed.meanAbsError.toFixed(3)} |`
      : null,
    f.identity
      ? `| identity verification (${f.identity.pairs} genuine + ${f.identity.pairs} impostor pairs) | ${pct(f.identity.verificationAccuracy)} |`
      : null,
    `| attribute probe, mean abs error on [0, 1] | ${Object.entries(f.probeMeanAbsError)
      .map(([k, v]) => `${k} ${v.toFixed(3)}`)
      .join(', ')} |`,
    '',
    '## Time',
    '',
    'Wall time per stage on the machine that built it (2 CPU cores, no GPU):',
    '',
    ...stages.map(([name, s]) => `- ${name}: ${(s / 60).toFixed(1)} min`),
    `- total: ${(stages.reduce((t, [, s]) => t + s, 0) / 60).toFixed(1)} min`,
    '',
    o.note ?? null,
    o.note ? '' : null,
  ];
  await writeFile(path.join(pack.dir, 'MODEL_CARD.md'), `${lines.filter((l) => l !== null).join('\n')}\n`);
  return refreshPackFiles(pack);
}

async function stageTimes(runDir: string): Promise<[string, number][]> {
  const out: [string, number][] = [];
  for (const name of ['pictures', 'clip', 'generator', 'identity', 'probe', 'sounds', 'audio']) {
    try {
      const done = JSON.parse(await readFile(path.join(runDir, name, 'done.json'), 'utf8')) as {
        wallSeconds?: number;
      };
      if (done.wallSeconds !== undefined) out.push([name, done.wallSeconds]);
    } catch {
      // The stage does not apply to this world.
    }
  }
  return out;
}
