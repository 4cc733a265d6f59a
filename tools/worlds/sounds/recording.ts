/**
 * The capture chain every clip goes through: a room (reverb), a background noise floor, a
 * microphone's colouring, and a level. Varying these widely, independently of the class, is what
 * keeps an encoder trained on these sounds from keying on the recording instead of the content.
 */
import type { Rng } from '@soundedit/models';
import {
  brownNoise,
  filterChain,
  highpassCoefficients,
  limitPeaks,
  lowpassCoefficients,
  normaliseRms,
  peak,
  peakingCoefficients,
  pinkNoise,
  reverb,
  rms,
  type BiquadCoefficients,
} from './dsp.ts';
import { chance, logUniform, uniform } from './random.ts';

type Range = readonly [number, number];

export interface RoomPreset {
  /** Probability that the clip is reverberant at all (some recordings are close-miked and dry). */
  reverbChance: number;
  rt60S: Range;
  /** Reverberant-to-direct RMS ratio. */
  wet: Range;
  size: Range;
  damping: Range;
  /** Background noise floor in dB relative to the source's RMS. */
  noiseDb: Range;
}

export const ROOMS = {
  /** Living rooms, offices, bathrooms: short to medium tails, for voices and the nose. */
  indoor: {
    reverbChance: 0.8,
    rt60S: [0.2, 1.2],
    wet: [0.05, 0.45],
    size: [0.6, 1.4],
    damping: [0.2, 0.6],
    noiseDb: [-55, -28],
  },
  /** Open air: little or no reflection, a higher noise floor. */
  outdoor: {
    reverbChance: 0.35,
    rt60S: [0.1, 0.6],
    wet: [0.02, 0.15],
    size: [0.8, 1.6],
    damping: [0.4, 0.8],
    noiseDb: [-50, -25],
  },
  /** Valleys, streets, stadiums: long sparse echoes that carry blasts and thunder. */
  openSpace: {
    reverbChance: 0.7,
    rt60S: [0.8, 3],
    wet: [0.1, 0.5],
    size: [1.2, 2.5],
    damping: [0.4, 0.8],
    noiseDb: [-55, -30],
  },
  /** A hydrophone or a head under water: no air reflections to speak of. */
  underwater: {
    reverbChance: 0.3,
    rt60S: [0.1, 0.4],
    wet: [0.02, 0.12],
    size: [0.5, 1],
    damping: [0.6, 0.9],
    noiseDb: [-50, -30],
  },
} as const satisfies Record<string, RoomPreset>;

/** RMS range of finished clips: quiet recordings to hot ones. */
export const LEVEL_DBFS: Range = [-32, -16];
/** At most this much peak reduction: spiky sounds (crackles, clicks) end up quieter instead of squashed. */
const MAX_LIMITING_DB = 6;
const CEILING = 0.98;

function backgroundNoise(rng: Rng, n: number, sampleRate: number): Float32Array {
  // Somewhere between a hissy preamp (pink) and traffic/HVAC rumble (brown).
  const mixBrown = rng.next();
  const pink = pinkNoise(rng, n);
  const brown = brownNoise(rng, n, sampleRate);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = (1 - mixBrown) * (pink[i] as number) + mixBrown * (brown[i] as number);
  return out;
}

/** A random microphone/channel: low cut, sometimes a band limit, a presence bump or dip. */
function micColouring(rng: Rng, sampleRate: number): BiquadCoefficients[] {
  const sections: BiquadCoefficients[] = [];
  if (chance(rng, 0.6)) sections.push(highpassCoefficients(sampleRate, logUniform(rng, 20, 180)));
  if (chance(rng, 0.3))
    sections.push(lowpassCoefficients(sampleRate, logUniform(rng, 4000, 0.45 * sampleRate)));
  if (chance(rng, 0.5))
    sections.push(
      peakingCoefficients(sampleRate, logUniform(rng, 300, 5000), uniform(rng, 0.5, 2), uniform(rng, -5, 5)),
    );
  return sections;
}

/** Puts a dry source through room, noise floor, microphone and level; returns a new array with peak <= 0.98. */
export function record(rng: Rng, dry: Float32Array, sampleRate: number, room: RoomPreset): Float32Array {
  let x: Float32Array = dry.slice();
  if (chance(rng, room.reverbChance)) {
    x = reverb(x, sampleRate, {
      rt60S: uniform(rng, ...room.rt60S),
      wet: uniform(rng, ...room.wet),
      size: uniform(rng, ...room.size),
      damping: uniform(rng, ...room.damping),
      preDelayS: uniform(rng, 0.003, 0.03),
    });
  }
  const floor = backgroundNoise(rng, x.length, sampleRate);
  const floorGain = (rms(x) * 10 ** (uniform(rng, ...room.noiseDb) / 20)) / Math.max(rms(floor), 1e-12);
  for (let i = 0; i < x.length; i++) x[i] = (x[i] as number) + floorGain * (floor[i] as number);
  x = filterChain(x, micColouring(rng, sampleRate));
  normaliseRms(x, uniform(rng, ...LEVEL_DBFS));
  const excess = peak(x) / (CEILING * 10 ** (MAX_LIMITING_DB / 20));
  if (excess > 1) for (let i = 0; i < x.length; i++) x[i] = (x[i] as number) / excess;
  return limitPeaks(x, sampleRate, { ceiling: CEILING });
}
