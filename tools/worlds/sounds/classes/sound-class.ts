/** What every class module provides: a dry source with words describing it, and the room it is heard in. */
import type { Rng } from '@soundedit/models';
import { record, type RoomPreset } from '../recording.ts';
import { uniform } from '../random.ts';

export const SOUND_CLASSES = [
  'giggling',
  'sobbing',
  'nose_blowing',
  'fire_crackling',
  'wind',
  'underwater_bubbling',
  'explosion',
  'thunderstorm',
  'rain',
  'ambient',
] as const;

export type SoundClass = (typeof SOUND_CLASSES)[number];

export const DEFAULT_SAMPLE_RATE = 16_000;
export const DURATION_RANGE_S = [1.5, 8] as const;

/** Facts about one rendered clip that its caption can put into words. */
export interface SoundTraits {
  intensity: 'light' | 'moderate' | 'heavy';
  voice?: 'child' | 'woman' | 'man';
  distance?: 'near' | 'distant';
  /** Number of discrete events (honks, blasts, thunderclaps), where that is countable. */
  events?: number;
  /** A class-specific kind, e.g. ambient 'room' | 'outdoor' | 'hum', fire 'campfire' | 'fireplace'. */
  variant?: string;
}

export interface RenderedSource {
  samples: Float32Array;
  traits: SoundTraits;
}

export interface SynthOptions {
  /** Default 16 kHz; anything from 8 kHz to 48 kHz works (frequencies above Nyquist are left out). */
  sampleRate?: number;
  /** Default: uniform in [1.5, 8] s. */
  durationS?: number;
}

export interface SoundClassSynth {
  id: SoundClass;
  room: RoomPreset;
  /** The dry source, before room, noise floor, microphone and level. */
  render(rng: Rng, sampleRate: number, durationS: number): RenderedSource;
  /** A finished clip: rendered, then recorded. */
  synthesize(rng: Rng, options?: SynthOptions): Float32Array;
}

export function defineSoundClass(def: Omit<SoundClassSynth, 'synthesize'>): SoundClassSynth {
  return {
    ...def,
    synthesize(rng: Rng, options: SynthOptions = {}): Float32Array {
      const sampleRate = options.sampleRate ?? DEFAULT_SAMPLE_RATE;
      const durationS = options.durationS ?? uniform(rng, ...DURATION_RANGE_S);
      return record(rng, def.render(rng, sampleRate, durationS).samples, sampleRate, def.room);
    },
  };
}
