import type { PlanarAudio } from '../audio/audio-clip.ts';

/** The level a clip needs for the guidance weight it was given: -20 dBFS RMS, ordinary speech or rain. */
export const LOUDNESS_REFERENCE_DB = -20;
/** Each 12 dB louder doubles the pull, within [MIN, MAX] times the weight. */
export const LOUDNESS_DB_PER_DOUBLING = 12;
export const LOUDNESS_GAIN_MIN = 0.5;
export const LOUDNESS_GAIN_MAX = 2;

/**
 * How hard a clip's loudness says the edit should pull: a louder clip, a stronger edit (the paper
 * shows volume steering how far a manipulation goes). RMS over every channel and sample, in dBFS;
 * silence gives the smallest gain.
 */
export function loudnessGain(audio: PlanarAudio): { rmsDb: number; gain: number } {
  let sum = 0;
  let count = 0;
  for (const channel of audio.channels) {
    for (let i = 0; i < channel.length; i++) sum += channel[i]! * channel[i]!;
    count += channel.length;
  }
  const rms = count > 0 ? Math.sqrt(sum / count) : 0;
  const rmsDb = rms > 0 ? 20 * Math.log10(rms) : -Infinity;
  const raw = 2 ** ((rmsDb - LOUDNESS_REFERENCE_DB) / LOUDNESS_DB_PER_DOUBLING);
  const gain = Math.min(LOUDNESS_GAIN_MAX, Math.max(LOUDNESS_GAIN_MIN, Number.isFinite(raw) ? raw : 0));
  return { rmsDb, gain };
}
