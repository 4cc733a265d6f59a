import { readFile } from 'node:fs/promises';
import {
  AUDIO_ENCODER_ARCHS,
  defaultAudioEncoderConfig,
  splitTrainValidation,
  ImageEncoder,
  installPackPart,
  openFrozenEncoders,
  TextEncoder,
  trainAudioEncoder,
  type AudioEncoderConfig,
  type ContrastiveTerm,
  type OptimizerSettings,
  type ScheduleSettings,
  type Temperature,
  type TrainingEvent,
} from '@soundedit/core';
import { openPack } from '@soundedit/models';
import { choiceFlag, intFlag, numberFlag, parseFlags, type Command } from '../command.ts';
import { DATASET_HELP, loadDatasetArg } from '../dataset-arg.ts';
import { cliPackDirs } from '../pack-dirs.ts';
import { ProgressBar } from '../progress-bar.ts';
import { UsageError } from '../usage-error.ts';

const usage = `soundedit train-audio --dataset KIND:PATH --run DIR [options]

Trains the audio encoder into a frozen text encoder's embedding space with the paper's objective
(InfoNCE audio<->text + audio<->SpecAugment view), checkpointing into DIR; run the same command
again to resume. The trained encoder is written to DIR/export.

${DATASET_HELP}
  --run DIR               run folder (run.json, metrics.jsonl, checkpoints/, export/)
  --pack NAME|DIR         take the frozen text and image encoders and the class prompts from a pack
  --install               with --pack: put the trained encoder into the pack (manifest re-hashed)
  --text-encoder DIR      frozen text encoder folder (text-encoder.json + .onnx + vocabulary)
  --image-encoder DIR     frozen image encoder folder (image-encoder.json + .onnx); items need images
  --encoder-config FILE   AudioEncoderConfig JSON (default: the paper's ResNet-18, 512-d, 10 s, 44.1 kHz)
  --arch resnet18|resnet50   --base-width N   --output-dim N
  --batch-size N (32)     --steps N | --epochs N (50)
  --optimizer sgd|adamw (sgd)  --lr X (1e-3)  --momentum X (0.9)  --weight-decay X (1e-4)
  --schedule cyclic-cosine|cosine|constant (cyclic-cosine)  --warmup N (0)
  --temperature learnable|FIXED (learnable, init 0.07)
  --weights at=1,av=1,aa=1  term weights (at: audio-text, av: audio-image, aa: audio-augmented audio)
  --no-audio-aug          switch the SpecAugment term off
  --text-variants N (3)   captions per clip: the original + EDA rewrites
  --validation-fraction X (0.2), or the dataset's folds    --seed N (0)
  --checkpoint-every N (500)  --validate-every N (500)  --threads N`;

const TERM_KEYS: Record<string, ContrastiveTerm> = { at: 'audioText', av: 'audioImage', aa: 'audioAudio' };

export const trainAudio: Command = {
  name: 'train-audio',
  summary: 'train the audio encoder contrastively (checkpoints, resume, JSONL metrics)',
  usage,
  async run(argv) {
    const f = parseFlags(
      argv,
      {
        dataset: { type: 'string' },
        run: { type: 'string' },
        pack: { type: 'string' },
        install: { type: 'boolean' },
        'text-encoder': { type: 'string' },
        'image-encoder': { type: 'string' },
        'encoder-config': { type: 'string' },
        arch: { type: 'string' },
        'base-width': { type: 'string' },
        'output-dim': { type: 'string' },
        'batch-size': { type: 'string' },
        steps: { type: 'string' },
        epochs: { type: 'string' },
        optimizer: { type: 'string' },
        lr: { type: 'string' },
        momentum: { type: 'string' },
        'weight-decay': { type: 'string' },
        schedule: { type: 'string' },
        warmup: { type: 'string' },
        temperature: { type: 'string' },
        weights: { type: 'string' },
        'no-audio-aug': { type: 'boolean' },
        'text-variants': { type: 'string' },
        'validation-fraction': { type: 'string' },
        seed: { type: 'string' },
        'checkpoint-every': { type: 'string' },
        'validate-every': { type: 'string' },
        threads: { type: 'string' },
      },
      usage,
    );
    if (!f.run) throw new UsageError(`--run is required\n\n${usage}`);
    const dataset = await loadDatasetArg(f.dataset);
    const seed = intFlag(f.seed, 'seed', 0)!;
    const threads = f.threads ? { threads: intFlag(f.threads, 'threads')! } : {};
    const split = splitTrainValidation(dataset.items, {
      validationFraction: numberFlag(f['validation-fraction'], 'validation-fraction', 0.2)!,
      seed,
    });
    if (f.install && !f.pack) throw new UsageError('--install needs --pack');
    if (f.pack && (f['text-encoder'] || f['image-encoder'])) {
      throw new UsageError(
        '--pack supplies the text and image encoders; drop --text-encoder / --image-encoder',
      );
    }
    const pack = f.pack ? await openPack(f.pack, cliPackDirs()) : undefined;
    const fromPack = pack ? await openFrozenEncoders(pack, threads) : undefined;
    const text =
      fromPack?.text ?? (f['text-encoder'] ? await TextEncoder.load(f['text-encoder']) : undefined);
    const image =
      fromPack?.image ?? (f['image-encoder'] ? await ImageEncoder.load(f['image-encoder']) : undefined);
    const withImages = dataset.items.every((i) => i.imagePath !== undefined);
    const encoder = await encoderConfig(f, text?.dim ?? image?.dim);
    const frozen = pack
      ? `pack ${pack.manifest.name} ${pack.manifest.files['text-encoder/text-encoder.onnx']?.sha256 ?? ''}`
      : [f['text-encoder'], f['image-encoder']].filter((d) => d !== undefined).join(' + ');
    const steps = intFlag(f.steps, 'steps');
    const optimizer = optimizerSettings(f);
    const bars = new Map<string, ProgressBar>();
    const bar = (label: string) => bars.get(label) ?? bars.set(label, new ProgressBar({ label })).get(label)!;
    const controller = new AbortController();
    process.once('SIGINT', () => {
      process.stderr.write('\nstopping after this step (a checkpoint is written; run again to resume)\n');
      controller.abort();
    });
    const result = await trainAudioEncoder({
      encoder,
      runDir: f.run,
      train: split.train,
      validation: split.validation,
      classes: dataset.classes,
      ...(text ? { textEncoder: text } : {}),
      // A pack's image tower joins only when the data has pictures; audio-text and a' still train.
      ...(image && (withImages || !pack) ? { imageEncoder: image } : {}),
      ...(pack
        ? { classPrompts: Object.fromEntries(pack.manifest.classes.map((c) => [c.name, c.prompts])) }
        : {}),
      ...(frozen ? { frozenEncodersId: frozen } : {}),
      batchSize: intFlag(f['batch-size'], 'batch-size', 32)!,
      ...(steps !== undefined ? { steps } : { epochs: intFlag(f.epochs, 'epochs', 50)! }),
      optimizer,
      schedule: scheduleSettings(f),
      temperature: temperature(f.temperature),
      weights: termWeights(f.weights),
      specAugment: f['no-audio-aug']
        ? false
        : { freqMasks: 2, freqMaskWidth: 16, timeMasks: 2, timeMaskWidth: 40, maskValue: 'mean' },
      textAugment: { variants: intFlag(f['text-variants'], 'text-variants', 3)! },
      seed,
      ...(f['checkpoint-every']
        ? { checkpointEvery: intFlag(f['checkpoint-every'], 'checkpoint-every')! }
        : {}),
      ...(f['validate-every'] ? { validateEvery: intFlag(f['validate-every'], 'validate-every')! } : {}),
      session: threads,
      signal: controller.signal,
      onEvent: (e) => report(e, bar),
    });
    await text?.release();
    await image?.release();
    if (pack && f.install && !result.stopped) {
      await installPackPart(pack, 'audioEncoder', result.exportDir);
      process.stdout.write(`installed into pack ${pack.manifest.name} (${pack.dir})\n`);
    }
    process.stdout.write(
      `${result.stopped ? 'stopped' : 'finished'} at step ${result.steps}; encoder exported to ${result.exportDir}\n`,
    );
  },
};

function report(e: TrainingEvent, bar: (label: string) => ProgressBar): void {
  switch (e.type) {
    case 'prepare':
      bar(`preparing ${e.stage}`).update(e.done, e.total);
      if (e.done === e.total) bar(`preparing ${e.stage}`).finish();
      return;
    case 'start':
      process.stderr.write(
        `${e.resumedFrom ? `resuming from ${e.resumedFrom}` : 'starting'}: step ${e.fromStep} of ${e.totalSteps}, ${e.stepsPerEpoch} steps per epoch, ${e.trainableValues.toLocaleString('en')} trainable values\n`,
      );
      return;
    case 'step':
      bar('training').update(
        e.step,
        e.totalSteps,
        `loss ${e.loss.toFixed(4)} lr ${e.lr.toExponential(2)} scale ${e.logitScale.toFixed(1)} ${e.samplesPerSecond.toFixed(1)} clips/s`,
      );
      return;
    case 'validation': {
      const parts = [`validation @${e.step}: ${e.clips} clips`];
      if (e.captionCosine !== undefined) parts.push(`caption cosine ${e.captionCosine.toFixed(3)}`);
      if (e.zeroShotTop1 !== undefined) {
        parts.push(
          `zero-shot top-1 ${(100 * e.zeroShotTop1).toFixed(1)}% (chance ${(100 * e.chanceTop1!).toFixed(1)}%)`,
        );
      }
      process.stderr.write(`\n${parts.join(', ')}\n`);
      return;
    }
    case 'checkpoint':
    case 'done':
      return;
  }
}

async function encoderConfig(
  f: Record<string, string | boolean | undefined>,
  textDim: number | undefined,
): Promise<AudioEncoderConfig> {
  const file = f['encoder-config'];
  const arch = choiceFlag(f.arch as string | undefined, 'arch', AUDIO_ENCODER_ARCHS, 'resnet18');
  const base: AudioEncoderConfig =
    typeof file === 'string'
      ? (JSON.parse(await readFile(file, 'utf8')) as AudioEncoderConfig)
      : defaultAudioEncoderConfig(arch);
  const width = intFlag(f['base-width'] as string | undefined, 'base-width');
  const outputDim = intFlag(f['output-dim'] as string | undefined, 'output-dim') ?? textDim ?? base.outputDim;
  return {
    ...base,
    ...(f.arch ? { arch } : {}),
    outputDim,
    ...(width !== undefined ? { baseWidth: width } : {}),
  };
}

function optimizerSettings(f: Record<string, string | boolean | undefined>): OptimizerSettings {
  const kind = choiceFlag(f.optimizer as string | undefined, 'optimizer', ['sgd', 'adamw'] as const, 'sgd');
  const lr = numberFlag(f.lr as string | undefined, 'lr', 1e-3)!;
  const weightDecay = numberFlag(f['weight-decay'] as string | undefined, 'weight-decay');
  if (kind === 'sgd') {
    return {
      kind,
      lr,
      momentum: numberFlag(f.momentum as string | undefined, 'momentum', 0.9)!,
      ...(weightDecay !== undefined ? { weightDecay } : {}),
    };
  }
  return { kind, lr, ...(weightDecay !== undefined ? { weightDecay } : {}) };
}

function scheduleSettings(f: Record<string, string | boolean | undefined>): ScheduleSettings {
  const kind = choiceFlag(
    f.schedule as string | undefined,
    'schedule',
    ['cyclic-cosine', 'cosine', 'constant'] as const,
    'cyclic-cosine',
  );
  return { kind, warmupSteps: intFlag(f.warmup as string | undefined, 'warmup', 0)! };
}

function temperature(value: string | undefined): Temperature {
  if (value === undefined || value === 'learnable') return { kind: 'learnable', init: 0.07 };
  return { kind: 'fixed', value: numberFlag(value, 'temperature')! };
}

function termWeights(value: string | undefined): Partial<Record<ContrastiveTerm, number>> {
  const out: Partial<Record<ContrastiveTerm, number>> = {};
  for (const part of value ? value.split(',') : []) {
    const [key, weight] = part.split('=');
    const term = TERM_KEYS[key ?? ''];
    if (!term) throw new UsageError(`--weights takes at=W,av=W,aa=W; '${key}' is not a term`);
    out[term] = numberFlag(weight, `weights ${key}`)!;
  }
  return out;
}
