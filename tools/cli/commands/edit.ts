import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { EDIT_SPACES, EditEngine, MASK_MODES, type EditOutcome, type EditRequest } from '@soundedit/core';
import { findPacks, openPack } from '@soundedit/models';
import { choiceFlag, intFlag, numberFlag, parseFlags, type Command } from '../command.ts';
import { cliPackDirs } from '../pack-dirs.ts';
import { writePicture, writeSideBySide, writeTrajectoryGif } from '../picture-files.ts';
import { ProgressBar } from '../progress-bar.ts';
import { UsageError } from '../usage-error.ts';

const usage = `soundedit edit --audio CLIP [--text "..."] [--seed N] [--pack NAME] [options] [--out DIR]

Edits a generated picture so it matches a sound (and/or a text): the generator's W+ code is
optimised towards the sound's embedding while a latent penalty keeps the rest of the picture.

  --audio FILE            WAV, MP3, OGG (Vorbis/Opus), FLAC, WebM, M4A/AAC, MP4
  --text "..."            text guidance (alone, blended with the sound, or on other layers)
  --text-weight X (0.5)   with both: how much of the target is the text's
  --mix-layers A-B        with both: W+ layers A..B (1-based, inclusive) follow the sound, the rest the text
  --seed N (0)            the source picture, generated
  --image FILE            or a picture of yours (PNG/JPEG), inverted into the generator first
  --pack NAME|DIR         default: the first pack found (soundedit packs list)
  --steps N  --lr X  --lambda-sim X  --lambda-id X  --mask ${MASK_MODES.join('|')}  --guidance X
  --space ${EDIT_SPACES.join('|')} (w+)  w+ moves each style layer; w moves all layers together
  --loudness-gain         a louder clip pulls harder: --guidance x 0.5..2 by its level (1 at -20 dBFS)
  --out DIR (edit-out)    source.png, result.png, side-by-side.png, trajectory.gif, edit.json
  --json                  print the record as JSON on stdout
  --threads N`;

export const edit: Command = {
  name: 'edit',
  summary: 'edit a generated picture with a sound and/or a text',
  usage,
  async run(argv) {
    const f = parseFlags(
      argv,
      {
        audio: { type: 'string' },
        text: { type: 'string' },
        'text-weight': { type: 'string' },
        'mix-layers': { type: 'string' },
        seed: { type: 'string' },
        image: { type: 'string' },
        pack: { type: 'string' },
        steps: { type: 'string' },
        lr: { type: 'string' },
        'lambda-sim': { type: 'string' },
        'lambda-id': { type: 'string' },
        mask: { type: 'string' },
        space: { type: 'string' },
        guidance: { type: 'string' },
        'loudness-gain': { type: 'boolean' },
        out: { type: 'string' },
        json: { type: 'boolean' },
        threads: { type: 'string' },
      },
      usage,
    );
    if (!f.audio && !f.text) throw new UsageError(`give --audio, --text or both\n\n${usage}`);
    const request = await requestFrom(f);
    const dirs = cliPackDirs();
    const pack = f.pack ? await openPack(f.pack, dirs) : (await findPacks(dirs)).packs[0];
    if (!pack)
      throw new UsageError(`no model pack found in ${dirs.join(', ')}; build one with npm run train:pack`);
    const threads = intFlag(f.threads, 'threads');
    const engine = await EditEngine.open(pack, threads ? { threads } : {});
    const bar = new ProgressBar({ label: 'editing' });
    let outcome: EditOutcome;
    const controller = new AbortController();
    const stop = () => controller.abort();
    process.once('SIGINT', stop);
    try {
      outcome = await engine.run(request, {
        signal: controller.signal,
        onProgress: (p) =>
          bar.update(
            p.step,
            p.totalSteps,
            `${p.phase ? `${p.phase} ` : ''}loss ${p.loss.toFixed(4)} cos-dist ${p.cosine.toFixed(4)}`,
          ),
      });
    } finally {
      process.off('SIGINT', stop);
      bar.finish();
    }
    const size = engine.models.generator.resolution;
    const out = path.resolve(process.env.INIT_CWD ?? process.cwd(), f.out ?? 'edit-out');
    await mkdir(out, { recursive: true });
    await writePicture(path.join(out, 'source.png'), outcome.sourceImage, size);
    await writePicture(path.join(out, 'result.png'), outcome.image, size);
    if (outcome.inversion) await writePicture(path.join(out, 'input.png'), outcome.inversion.target, size);
    await writeSideBySide(path.join(out, 'side-by-side.png'), [outcome.sourceImage, outcome.image], size);
    if (outcome.frames.length > 0)
      await writeTrajectoryGif(path.join(out, 'trajectory.gif'), outcome.frames, size);
    const record = {
      pack: pack.manifest.name,
      source: request.source.kind === 'image' ? { kind: 'image', file: f.image } : request.source,
      inversion: outcome.inversion
        ? { psnr: outcome.inversion.psnr, meanAbsError: outcome.inversion.meanAbsError }
        : null,
      guidance: {
        audio: f.audio ?? null,
        text: f.text ?? null,
        combine: request.guidance.combine ?? null,
        textWeight: request.guidance.textWeight ?? null,
        audioLayers: request.guidance.audioLayers ?? null,
        loudness: outcome.loudness ?? null,
      },
      settings: outcome.settings,
      finalCosine: outcome.finalCosine,
      identitySimilarity: outcome.identitySimilarity ?? null,
      layerWeights: outcome.layerWeights,
      layerChange: outcome.layerChange,
      layerSources: outcome.layerSources ?? null,
      steps: outcome.steps,
      files: [
        ...(outcome.inversion ? ['input.png'] : []),
        'source.png',
        'result.png',
        'side-by-side.png',
        ...(outcome.frames.length ? ['trajectory.gif'] : []),
      ],
    };
    await writeFile(path.join(out, 'edit.json'), `${JSON.stringify(record, null, 2)}\n`);
    await engine.release();
    if (f.json) process.stdout.write(`${JSON.stringify(record)}\n`);
    else {
      process.stdout.write(
        `edited with pack ${pack.manifest.name}: cos(picture, guidance) ${outcome.finalCosine.toFixed(3)}; wrote ${record.files.join(', ')}, edit.json to ${out}\n`,
      );
    }
  },
};

async function requestFrom(f: Record<string, string | boolean | undefined>): Promise<EditRequest> {
  const str = (k: string) => f[k] as string | undefined;
  const settings: EditRequest['settings'] = {};
  const steps = intFlag(str('steps'), 'steps');
  if (steps !== undefined) settings.steps = steps;
  const lr = numberFlag(str('lr'), 'lr');
  if (lr !== undefined) settings.lr = lr;
  const lambdaSim = numberFlag(str('lambda-sim'), 'lambda-sim');
  if (lambdaSim !== undefined) settings.lambdaSim = lambdaSim;
  const lambdaId = numberFlag(str('lambda-id'), 'lambda-id');
  if (lambdaId !== undefined) settings.lambdaId = lambdaId;
  const guidance = numberFlag(str('guidance'), 'guidance');
  if (guidance !== undefined) settings.guidance = guidance;
  if (str('mask') !== undefined) settings.mask = choiceFlag(str('mask'), 'mask', MASK_MODES, 'adaptive');
  if (str('space') !== undefined) settings.space = choiceFlag(str('space'), 'space', EDIT_SPACES, 'w+');
  const audioPath = str('audio');
  let audio: Uint8Array | undefined;
  if (audioPath) {
    try {
      audio = new Uint8Array(await readFile(audioPath));
    } catch (e) {
      throw new UsageError(`cannot read --audio ${audioPath}: ${(e as Error).message}`);
    }
  }
  const mix = str('mix-layers');
  let audioLayers: [number, number] | undefined;
  if (mix !== undefined) {
    const m = /^(\d+)-(\d+)$/.exec(mix);
    if (!m) throw new UsageError(`--mix-layers takes A-B (1-based layers), got '${mix}'`);
    audioLayers = [Number(m[1]) - 1, Number(m[2]) - 1];
  }
  const textWeight = numberFlag(str('text-weight'), 'text-weight');
  const imagePath = str('image');
  if (imagePath && str('seed') !== undefined) throw new UsageError('give --seed or --image, not both');
  let source: EditRequest['source'] = { kind: 'seed', seed: intFlag(str('seed'), 'seed', 0)! };
  if (imagePath) {
    try {
      source = { kind: 'image', image: new Uint8Array(await readFile(imagePath)) };
    } catch (e) {
      throw new UsageError(`cannot read --image ${imagePath}: ${(e as Error).message}`);
    }
  }
  return {
    source,
    guidance: {
      ...(audio ? { audio } : {}),
      ...(str('text') !== undefined ? { text: str('text')! } : {}),
      ...(audioLayers ? { combine: 'layers' as const, audioLayers } : {}),
      ...(textWeight !== undefined ? { textWeight } : {}),
      ...(f['loudness-gain'] ? { loudnessGain: true } : {}),
    },
    settings,
  };
}
