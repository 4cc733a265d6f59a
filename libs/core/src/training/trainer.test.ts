import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { PNG } from 'pngjs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSession, loadModel } from '@soundedit/models';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AudioEmbedder } from '../encoders/audio-resnet/embed-audio.ts';
import { smallConfig } from '../encoders/audio-resnet/test-config.ts';
import { TextEncoder } from '../encoders/clip-text/text-encoder.ts';
import { ImageEncoder } from '../encoders/clip-image/image-encoder.ts';
import { WordLevelTokenizer } from '../text/word-level.ts';
import { DEFAULT_PROMPT_TEMPLATES } from '../evaluation/zero-shot.ts';
import { EXPORTED_DESCRIPTION, EXPORTED_MODEL } from '../encoders/audio-resnet/encoder-folder.ts';
import { METRICS_FILE } from './run-folder.ts';
import { TEST_SOUND_CLASSES, writeTestSounds } from './test-sounds.ts';
import { trainAudioEncoder } from './trainer.ts';
import type { TrainerOptions } from './trainer-options.ts';
import type { TrainingEvent } from './training-events.ts';

let dir: string;
let text: TextEncoder;
let train: Awaited<ReturnType<typeof writeTestSounds>>;
let heldOut: Awaited<ReturnType<typeof writeTestSounds>>;
const classes = [...TEST_SOUND_CLASSES];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'soundedit-trainer-'));
  train = await writeTestSounds(join(dir, 'train'), 16, 1);
  heldOut = await writeTestSounds(join(dir, 'held-out'), 6, 2);
  const prompts = classes.flatMap((c) => DEFAULT_PROMPT_TEMPLATES.map((t) => t.replaceAll('{label}', c)));
  const tokenizer = WordLevelTokenizer.fromTexts(prompts, { contextLength: 12 });
  text = await TextEncoder.create(
    { vocabSize: tokenizer.vocabSize, contextLength: 12, width: 32, layers: 2, heads: 4, embedDim: 32 },
    tokenizer,
    { seed: 5 },
  );
});

afterAll(async () => {
  await text.release();
  await rm(dir, { recursive: true, force: true });
});

function options(runDir: string, patch: Partial<TrainerOptions> = {}): TrainerOptions {
  return {
    encoder: smallConfig({ outputDim: 32, baseWidth: 8, batchSize: 16 }),
    runDir,
    train,
    validation: heldOut,
    classes,
    textEncoder: text,
    batchSize: 16,
    steps: 200,
    optimizer: { kind: 'adamw', lr: 2e-3, weightDecay: 1e-4 },
    schedule: { kind: 'cosine', warmupSteps: 10 },
    temperature: { kind: 'learnable', init: 0.1 },
    specAugment: { freqMasks: 1, freqMaskWidth: 4, timeMasks: 1, timeMaskWidth: 8, maskValue: 'mean' },
    textAugment: { variants: 3 },
    seed: 11,
    validateEvery: 100,
    checkpointEvery: 100,
    session: { threads: 1 },
    ...patch,
  };
}

describe('trainAudioEncoder', () => {
  it('learns: the loss falls and held-out zero-shot accuracy beats chance by a wide margin', async () => {
    const events: TrainingEvent[] = [];
    const result = await trainAudioEncoder(
      options(join(dir, 'run-main'), { onEvent: (e) => events.push(e) }),
    );
    const steps = events.filter((e) => e.type === 'step');
    expect(steps).toHaveLength(200);
    const mean = (xs: { loss: number }[]) => xs.reduce((s, x) => s + x.loss, 0) / xs.length;
    const first = mean(steps.slice(0, 20));
    const last = mean(steps.slice(-20));
    console.log(`loss ${first.toFixed(3)} -> ${last.toFixed(3)}; validation`, result.lastValidation);
    expect(last).toBeLessThan(0.75 * first);
    expect(result.lastValidation!.chanceTop1).toBeCloseTo(0.25);
    expect(result.lastValidation!.zeroShotTop1).toBeGreaterThanOrEqual(0.75);

    const metrics = (await readFile(join(dir, 'run-main', METRICS_FILE), 'utf8')).trim().split('\n');
    expect(metrics.filter((l) => l.includes('"type":"step"'))).toHaveLength(200);
    expect(metrics.filter((l) => l.includes('"type":"validation"'))).toHaveLength(2);

    // The export is a working encoder: it loads, embeds a clip to a unit vector, and says how it was made.
    const description = JSON.parse(await readFile(join(result.exportDir, EXPORTED_DESCRIPTION), 'utf8'));
    expect(description.training.steps).toBe(200);
    const session = await createSession(await loadModel(join(result.exportDir, EXPORTED_MODEL)), {
      cache: false,
    });
    const embedder = new AudioEmbedder(session, description.config);
    const row = await embedder.embed(new Uint8Array(await readFile(heldOut[0]!.audioPath)));
    expect(Math.hypot(...row)).toBeCloseTo(1, 4);
    await session.release();
  }, 300_000);

  it('resumes from its last checkpoint and ends exactly where an uninterrupted run ends', async () => {
    const quick = (runDir: string, patch: Partial<TrainerOptions> = {}) =>
      options(runDir, {
        train: train.slice(0, 32),
        validation: [],
        batchSize: 8,
        steps: 12,
        checkpointEvery: 4,
        ...patch,
      });
    const straight = await trainAudioEncoder(quick(join(dir, 'run-straight')));
    const controller = new AbortController();
    const events: TrainingEvent[] = [];
    const first = await trainAudioEncoder(
      quick(join(dir, 'run-resumed'), {
        signal: controller.signal,
        onEvent: (e) => {
          events.push(e);
          if (e.type === 'step' && e.step === 6) controller.abort();
        },
      }),
    );
    expect(first).toMatchObject({ steps: 6, stopped: true });
    expect(
      events.filter((e) => e.type === 'checkpoint').map((e) => e.type === 'checkpoint' && e.step),
    ).toEqual([4, 6]);
    const resumedEvents: TrainingEvent[] = [];
    const second = await trainAudioEncoder(
      quick(join(dir, 'run-resumed'), { onEvent: (e) => resumedEvents.push(e) }),
    );
    expect(second).toMatchObject({ steps: 12, stopped: false });
    expect(resumedEvents.find((e) => e.type === 'start')).toMatchObject({ fromStep: 6 });
    const sha = async (d: string) => JSON.parse(await readFile(join(d, EXPORTED_DESCRIPTION), 'utf8')).sha256;
    expect(await sha(second.exportDir)).toBe(await sha(straight.exportDir));
    const lines = (await readFile(join(dir, 'run-resumed', METRICS_FILE), 'utf8')).trim().split('\n');
    expect(lines.map((l) => JSON.parse(l).step)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);

    // The same folder with other settings is another experiment: refused, nothing overwritten.
    await expect(trainAudioEncoder(quick(join(dir, 'run-resumed'), { seed: 12 }))).rejects.toMatchObject({
      code: 'RUN_MISMATCH',
    });
  }, 300_000);

  it('refuses settings and data it cannot train with, with typed errors', async () => {
    const bad = (patch: Partial<TrainerOptions>) => trainAudioEncoder(options(join(dir, 'run-bad'), patch));
    await expect(bad({ batchSize: 1 })).rejects.toMatchObject({ code: 'BAD_OPTION' });
    await expect(bad({ train: train.slice(0, 4) })).rejects.toMatchObject({ code: 'BAD_BATCH_SIZE' });
    await expect(bad({ epochs: 2 })).rejects.toMatchObject({ code: 'BAD_OPTION' });
    await expect(bad({ optimizer: { kind: 'sgd', lr: Number.NaN } })).rejects.toMatchObject({
      code: 'BAD_OPTION',
    });
    const { textEncoder: _, ...noText } = options(join(dir, 'run-bad'));
    await expect(trainAudioEncoder({ ...noText, specAugment: false })).rejects.toMatchObject({
      code: 'BAD_DATA',
    });
    await expect(
      bad({ train: train.map(({ label: _l, ...rest }) => rest), validation: [] }),
    ).rejects.toMatchObject({ code: 'BAD_DATA' });
  });

  it("trains the audio<->image term from the clips' pictures, embedded once by a frozen image tower", async () => {
    const colours: Record<string, [number, number, number]> = {
      whistle: [240, 240, 60],
      hum: [60, 60, 200],
      hiss: [200, 200, 200],
      clicks: [30, 30, 30],
    };
    const withImages = await Promise.all(
      train.slice(0, 32).map(async (item, i) => {
        const png = new PNG({ width: 24, height: 24 });
        const rgb = colours[item.label!]!;
        for (let p = 0; p < 24 * 24; p++) {
          const jitter = ((p * 7919 + i * 104729) % 41) - 20;
          png.data.set([...rgb.map((v) => Math.max(0, Math.min(255, v + jitter))), 255], 4 * p);
        }
        const imagePath = join(dir, `image-${i}.png`);
        await writeFile(imagePath, PNG.sync.write(png));
        return { ...item, imagePath };
      }),
    );
    const image = await ImageEncoder.create(
      { inputResolution: 16, patchSize: 8, width: 32, layers: 1, heads: 2, outputDim: 32 },
      { seed: 4 },
    );
    const events: TrainingEvent[] = [];
    await trainAudioEncoder(
      options(join(dir, 'run-image'), {
        train: withImages,
        validation: [],
        imageEncoder: image,
        weights: { audioText: 0 },
        batchSize: 8,
        steps: 40,
        onEvent: (e) => events.push(e),
      }),
    );
    await image.release();
    const steps = events.flatMap((e) => (e.type === 'step' ? [e] : []));
    expect(Object.keys(steps[0]!.terms).sort()).toEqual(['audioAudio', 'audioImage']);
    const mean = (xs: typeof steps) => xs.reduce((s, x) => s + x.terms.audioImage!, 0) / xs.length;
    expect(mean(steps.slice(-10))).toBeLessThan(0.8 * mean(steps.slice(0, 10)));
    expect(events.some((e) => e.type === 'prepare' && e.stage === 'image')).toBe(true);
  }, 120_000);
});
