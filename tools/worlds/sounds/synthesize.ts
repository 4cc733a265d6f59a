/**
 * The procedural sound world of the default model packs: one labelled, captioned clip per call, with
 * the mixtures that happen in real recordings (rain under thunder, wind around a fire, a room's
 * ambience under anything), and a writer for a CSV dataset of them that `loadCsvDataset` reads.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { encodeWav, formatCsv } from '@soundedit/core';
import { Rng } from '@soundedit/models';
import { captionFor } from './captions.ts';
import { ambient } from './classes/ambient.ts';
import { explosion } from './classes/explosion.ts';
import { fireCrackling } from './classes/fire-crackling.ts';
import { giggling } from './classes/giggling.ts';
import { noseBlowing } from './classes/nose-blowing.ts';
import { rain } from './classes/rain.ts';
import { sobbing } from './classes/sobbing.ts';
import {
  DEFAULT_SAMPLE_RATE,
  DURATION_RANGE_S,
  SOUND_CLASSES,
  type SoundClass,
  type SoundClassSynth,
  type SoundTraits,
} from './classes/sound-class.ts';
import { thunderstorm } from './classes/thunderstorm.ts';
import { underwaterBubbling } from './classes/underwater-bubbling.ts';
import { wind } from './classes/wind.ts';
import { rms } from './dsp.ts';
import { chance, uniform } from './random.ts';
import { record } from './recording.ts';

export { SOUND_CLASSES, DEFAULT_SAMPLE_RATE, DURATION_RANGE_S, type SoundClass, type SoundTraits };

export const SOUND_SYNTHS: Readonly<Record<SoundClass, SoundClassSynth>> = {
  giggling,
  sobbing,
  nose_blowing: noseBlowing,
  fire_crackling: fireCrackling,
  wind,
  underwater_bubbling: underwaterBubbling,
  explosion,
  thunderstorm,
  rain,
  ambient,
};

interface MixRule {
  with: SoundClass;
  probability: number;
  /** Level of the added sound relative to the labelled one's RMS. */
  gainDb: readonly [number, number];
}

/** Co-occurring sounds, tried in order; at most one is added besides the ambient bed. */
const MIXTURES: Partial<Readonly<Record<SoundClass, readonly MixRule[]>>> = {
  thunderstorm: [{ with: 'rain', probability: 0.6, gainDb: [-18, -4] }],
  rain: [
    { with: 'thunderstorm', probability: 0.15, gainDb: [-8, 2] },
    { with: 'wind', probability: 0.2, gainDb: [-12, -3] },
  ],
  fire_crackling: [{ with: 'wind', probability: 0.25, gainDb: [-14, -4] }],
  wind: [{ with: 'rain', probability: 0.2, gainDb: [-12, -2] }],
};
const AMBIENT_BED: Omit<MixRule, 'with'> = { probability: 0.3, gainDb: [-26, -14] };

export class SoundSynthError extends Error {
  readonly code: 'UNKNOWN_CLASS' | 'BAD_SAMPLE_RATE' | 'BAD_DURATION' | 'BAD_COUNT';

  constructor(code: SoundSynthError['code'], message: string) {
    super(message);
    this.name = 'SoundSynthError';
    this.code = code;
  }
}

export interface SynthesizeSoundOptions {
  /** Default 16 kHz; 8-48 kHz. */
  sampleRate?: number;
  /** Default: uniform in [1.5, 8] s. */
  durationS?: number;
  /** Allow mixtures (default true); false gives the labelled sound alone. */
  mix?: boolean;
}

export interface SoundComponent {
  label: SoundClass;
  /** Level relative to the labelled sound, in dB RMS (0 for the labelled sound itself). */
  gainDb: number;
  traits: SoundTraits;
}

export interface SynthesizedSound {
  samples: Float32Array;
  sampleRate: number;
  label: SoundClass;
  caption: string;
  /** The labelled sound first, then whatever was mixed under it. */
  components: SoundComponent[];
}

export function isSoundClass(value: string): value is SoundClass {
  return (SOUND_CLASSES as readonly string[]).includes(value);
}

function checkOptions(label: string, options: SynthesizeSoundOptions): { sampleRate: number } {
  if (!isSoundClass(label))
    throw new SoundSynthError(
      'UNKNOWN_CLASS',
      `unknown sound class ${JSON.stringify(label)} (known: ${SOUND_CLASSES.join(', ')})`,
    );
  const sampleRate = options.sampleRate ?? DEFAULT_SAMPLE_RATE;
  if (!Number.isInteger(sampleRate) || sampleRate < 8000 || sampleRate > 48_000)
    throw new SoundSynthError(
      'BAD_SAMPLE_RATE',
      `sampleRate must be a whole number of Hz in [8000, 48000], got ${sampleRate}`,
    );
  const d = options.durationS;
  if (d !== undefined && !(Number.isFinite(d) && d >= 0.5 && d <= 60))
    throw new SoundSynthError('BAD_DURATION', `durationS must be in [0.5, 60] seconds, got ${d}`);
  return { sampleRate };
}

/** One clip of `label`, every choice drawn from `rng`. */
export function synthesizeSound(
  label: SoundClass,
  rng: Rng,
  options: SynthesizeSoundOptions = {},
): SynthesizedSound {
  const { sampleRate } = checkOptions(label, options);
  const durationS = options.durationS ?? uniform(rng, ...DURATION_RANGE_S);
  const synth = SOUND_SYNTHS[label];
  const main = synth.render(rng, sampleRate, durationS);
  const mixed = main.samples.slice();
  const components: SoundComponent[] = [{ label, gainDb: 0, traits: main.traits }];
  const reference = Math.max(rms(mixed), 1e-9);
  const add = (other: SoundClass, rule: Omit<MixRule, 'with'>): void => {
    const extra = SOUND_SYNTHS[other].render(rng, sampleRate, durationS);
    const gainDb = uniform(rng, ...rule.gainDb);
    const gain = (reference * 10 ** (gainDb / 20)) / Math.max(rms(extra.samples), 1e-9);
    for (let i = 0; i < mixed.length; i++)
      mixed[i] = (mixed[i] as number) + gain * (extra.samples[i] as number);
    components.push({ label: other, gainDb, traits: extra.traits });
  };
  if (options.mix ?? true) {
    const rule = (MIXTURES[label] ?? []).find((r) => chance(rng, r.probability));
    if (rule !== undefined) add(rule.with, rule);
    if (label !== 'ambient' && chance(rng, AMBIENT_BED.probability)) add('ambient', AMBIENT_BED);
  }
  return {
    samples: record(rng, mixed, sampleRate, synth.room),
    sampleRate,
    label,
    caption: captionFor(rng, components),
    components,
  };
}

/**
 * A seed for clip `index` of class number `classIndex`: each clip gets its own stream, so a set
 * written with more clips per class starts with the same clips.
 */
export function clipSeed(seed: number, classIndex: number, index: number): number {
  let h = Math.imul(seed ^ 0x5bd1e995, 0x9e3779b1) ^ Math.imul(classIndex + 1, 0x85ebca77);
  h = Math.imul(h ^ (h >>> 15), 0xc2b2ae3d) ^ Math.imul(index + 1, 0x27d4eb2f);
  h = Math.imul(h ^ (h >>> 13), 0x165667b1);
  return (h ^ (h >>> 16)) >>> 0;
}

export interface SoundSetResult {
  /** The metadata.csv written (columns audio, caption, label; paths relative to it). */
  metadataFile: string;
  clips: number;
}

/** Writes `countPerClass` 16-bit WAVs per class under `dir/<class>/` and `dir/metadata.csv`. */
export async function writeSoundSet(
  dir: string,
  countPerClass: number,
  seed: number,
  sampleRate: number = DEFAULT_SAMPLE_RATE,
  options: Omit<SynthesizeSoundOptions, 'sampleRate'> = {},
): Promise<SoundSetResult> {
  if (!Number.isInteger(countPerClass) || countPerClass < 1)
    throw new SoundSynthError('BAD_COUNT', `countPerClass must be a whole number >= 1, got ${countPerClass}`);
  const records: string[][] = [['audio', 'caption', 'label']];
  for (const [classIndex, label] of SOUND_CLASSES.entries()) {
    await mkdir(path.join(dir, label), { recursive: true });
    for (let k = 0; k < countPerClass; k++) {
      const clip = synthesizeSound(label, new Rng(clipSeed(seed, classIndex, k)), { ...options, sampleRate });
      const file = `${label}/${label}_${String(k).padStart(4, '0')}.wav`;
      await writeFile(
        path.join(dir, file),
        encodeWav([clip.samples], sampleRate, { encoding: 'pcm', bitsPerSample: 16 }),
      );
      records.push([file, clip.caption, label]);
    }
  }
  const metadataFile = path.join(dir, 'metadata.csv');
  await writeFile(metadataFile, formatCsv(records));
  return { metadataFile, clips: countPerClass * SOUND_CLASSES.length };
}
