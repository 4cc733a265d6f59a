/**
 * Giggling: bouts of short "ha / hee / heh" syllables, high-pitched for the speaker, breathy, at a
 * quick regular rhythm (about 4-8 per second) that slows and sinks in pitch through a bout; bouts are
 * separated by pauses and sometimes a squeaky in-breath.
 */
import type { Rng } from '@soundedit/models';
import { addInto, secondsToSamples, syllable, type Vowel } from '../dsp.ts';
import { chance, intBetween, logUniform, pick, uniform, weighted } from '../random.ts';
import { ROOMS } from '../recording.ts';
import { defineSoundClass, type RenderedSource } from './sound-class.ts';
import { drawVoice, type VoiceProfile } from './voices.ts';

const LAUGH_VOWELS: readonly Vowel[] = ['i', 'e', 'a', 'ae'];

/** The in-breath between bouts: an unvoiced or squeaky "hih", quieter than the laugh. */
function inhalation(rng: Rng, sampleRate: number, voice: VoiceProfile, pitch: number): Float32Array {
  return syllable(rng, sampleRate, {
    durationS: uniform(rng, 0.15, 0.4),
    pitchHz: [pitch * 1.3, pitch * 1.5],
    vowel: 'i',
    formantScale: voice.formantScale,
    breathiness: uniform(rng, 0.85, 1),
    aspirationS: uniform(rng, 0.05, 0.12),
    jitter: 0.04,
    shimmer: 0.2,
    tremorHz: 0,
    tremorDepth: 0,
    attackS: 0.05,
    releaseS: 0.05,
  });
}

function render(rng: Rng, sampleRate: number, durationS: number): RenderedSource {
  const voice = drawVoice(rng);
  const intensity = weighted(rng, { light: 1, moderate: 1.5, heavy: 1 });
  const out = new Float32Array(secondsToSamples(durationS, sampleRate));
  // Laughter sits well above the speaking voice; heartier laughs go higher.
  const pitchLift = { light: 1.3, moderate: 1.5, heavy: 1.75 }[intensity] * uniform(rng, 0.9, 1.15);
  const breathiness = { light: 0.65, moderate: 0.45, heavy: 0.3 }[intensity] + uniform(rng, -0.1, 0.15);
  const rate = uniform(rng, 4.5, 8);
  let t = uniform(rng, 0, 0.4);
  let bouts = 0;
  while (t < durationS - 0.25) {
    bouts++;
    const syllables = intBetween(rng, intensity === 'light' ? 3 : 4, intensity === 'heavy' ? 14 : 10);
    const boutRate = rate * uniform(rng, 0.9, 1.1);
    let pitch = voice.f0 * pitchLift * uniform(rng, 0.95, 1.15);
    const drift = uniform(rng, 0.93, 1.01);
    let level = uniform(rng, 0.7, 1);
    let vowel = pick(rng, LAUGH_VOWELS);
    for (let k = 0; k < syllables && t < durationS - 0.05; k++) {
      if (chance(rng, 0.15)) vowel = pick(rng, LAUGH_VOWELS);
      const period = 1 / boutRate;
      const syl = syllable(rng, sampleRate, {
        durationS: period * uniform(rng, 0.35, 0.65),
        // Each "ha" rises then falls a little: the pitch hump that makes it sound like a laugh.
        pitchHz: [pitch, pitch * uniform(rng, 1.04, 1.15), pitch * uniform(rng, 0.85, 0.95)],
        vowel,
        formantScale: voice.formantScale,
        breathiness,
        aspirationS: uniform(rng, 0.012, 0.035),
        jitter: uniform(rng, 0.01, 0.03),
        shimmer: uniform(rng, 0.05, 0.15),
        tremorHz: 0,
        tremorDepth: 0,
        attackS: 0.008,
        releaseS: uniform(rng, 0.02, 0.05),
      });
      addInto(out, syl, secondsToSamples(t, sampleRate), level * uniform(rng, 0.75, 1));
      t += period * (1 + 0.1 * rng.normal());
      pitch *= drift;
      level *= uniform(rng, 0.85, 1);
    }
    t += uniform(rng, 0.1, 0.35);
    if (chance(rng, 0.5) && t < durationS - 0.3) {
      addInto(out, inhalation(rng, sampleRate, voice, pitch), secondsToSamples(t, sampleRate), 0.12);
      t += 0.35;
    }
    t += logUniform(rng, 0.1, 0.8);
  }
  return { samples: out, traits: { intensity, voice: voice.speaker, events: bouts } };
}

export const giggling = defineSoundClass({ id: 'giggling', room: ROOMS.indoor, render });
export const synthesize = giggling.synthesize;
