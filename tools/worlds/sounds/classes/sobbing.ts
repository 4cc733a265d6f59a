/**
 * Sobbing: long shaky voiced exhalations whose pitch falls ("uhhh-uh"), broken by quick spasmodic
 * in-breaths ("hh-hh-hh", the catch in the breath that marks a sob) and wet sniffles, at an
 * irregular pace. Slower, darker and wobblier than laughter.
 */
import type { Rng } from '@soundedit/models';
import { addInto, secondsToSamples, syllable, type Vowel } from '../dsp.ts';
import { chance, intBetween, pick, uniform, weighted } from '../random.ts';
import { ROOMS } from '../recording.ts';
import { sniff } from './sniff.ts';
import { defineSoundClass, type RenderedSource } from './sound-class.ts';
import { drawVoice, type VoiceProfile } from './voices.ts';

const CRY_VOWELS: readonly Vowel[] = ['uh', 'o', 'u', 'uh', 'a'];

interface Cry {
  voice: VoiceProfile;
  /** Typical starting pitch of a wail. */
  pitch: number;
  tremorHz: number;
  tremorDepth: number;
  breathiness: number;
}

/** A wail on the out-breath: starts high, wobbles, and falls away. */
function wail(rng: Rng, sampleRate: number, cry: Cry): Float32Array {
  const p = cry.pitch * uniform(rng, 0.85, 1.15);
  return syllable(rng, sampleRate, {
    durationS: uniform(rng, 0.6, 2.2),
    pitchHz: [
      p * uniform(rng, 0.9, 1.05),
      p * uniform(rng, 1.02, 1.15),
      p * uniform(rng, 0.75, 0.9),
      p * uniform(rng, 0.55, 0.75),
    ],
    vowel: pick(rng, CRY_VOWELS),
    formantScale: cry.voice.formantScale,
    breathiness: cry.breathiness,
    aspirationS: uniform(rng, 0.02, 0.1),
    jitter: uniform(rng, 0.015, 0.04),
    shimmer: uniform(rng, 0.08, 0.2),
    tremorHz: cry.tremorHz,
    tremorDepth: cry.tremorDepth,
    attackS: uniform(rng, 0.03, 0.12),
    releaseS: uniform(rng, 0.15, 0.4),
  });
}

/** The sob proper: 2-5 quick jerky in-breaths, half-voiced and high. */
function gasps(rng: Rng, sampleRate: number, cry: Cry): { samples: Float32Array; lengthS: number } {
  const count = intBetween(rng, 2, 5);
  const spacing = uniform(rng, 0.11, 0.22);
  const lengthS = count * spacing + 0.3;
  const out = new Float32Array(secondsToSamples(lengthS, sampleRate));
  for (let k = 0; k < count; k++) {
    const p = cry.pitch * uniform(rng, 1.1, 1.5);
    const g = syllable(rng, sampleRate, {
      durationS: spacing * uniform(rng, 0.5, 0.85),
      pitchHz: [p, p * 1.1],
      vowel: pick(rng, ['i', 'u', 'uh'] as const),
      formantScale: cry.voice.formantScale,
      breathiness: uniform(rng, 0.7, 1),
      aspirationS: 0.02,
      jitter: 0.04,
      shimmer: 0.2,
      tremorHz: 0,
      tremorDepth: 0,
      attackS: 0.01,
      releaseS: 0.03,
    });
    addInto(
      out,
      g,
      secondsToSamples(k * spacing * uniform(rng, 0.9, 1.1), sampleRate),
      uniform(rng, 0.3, 0.6),
    );
  }
  return { samples: out, lengthS };
}

function render(rng: Rng, sampleRate: number, durationS: number): RenderedSource {
  const voice = drawVoice(rng);
  const intensity = weighted(rng, { light: 1, moderate: 1.5, heavy: 1 });
  const cry: Cry = {
    voice,
    pitch: voice.f0 * { light: 1.2, moderate: 1.45, heavy: 1.75 }[intensity] * uniform(rng, 0.9, 1.1),
    tremorHz: uniform(rng, 4, 8),
    tremorDepth: uniform(rng, 0.02, 0.07),
    breathiness: { light: 0.7, moderate: 0.5, heavy: 0.35 }[intensity] + uniform(rng, -0.1, 0.15),
  };
  const out = new Float32Array(secondsToSamples(durationS, sampleRate));
  let t = uniform(rng, 0, 0.5);
  let events = 0;
  while (t < durationS - 0.2) {
    const kind = weighted(rng, { wail: 4, gasps: 1.5, sniff: intensity === 'light' ? 1.5 : 0.8 });
    const at = secondsToSamples(t, sampleRate);
    if (kind === 'wail') {
      const w = wail(rng, sampleRate, cry);
      addInto(out, w, at, uniform(rng, 0.6, 1));
      t += w.length / sampleRate;
      events++;
    } else if (kind === 'gasps') {
      const g = gasps(rng, sampleRate, cry);
      addInto(out, g.samples, at, 1);
      t += g.lengthS;
    } else {
      addInto(out, sniff(rng, sampleRate), at, uniform(rng, 0.15, 0.4));
      t += 0.3;
    }
    // Crying has no steady rhythm: pauses range from a catch to a long shaky breath.
    t += chance(rng, 0.3) ? uniform(rng, 0.5, 1.2) : uniform(rng, 0.05, 0.4);
  }
  return { samples: out, traits: { intensity, voice: voice.speaker, events } };
}

export const sobbing = defineSoundClass({ id: 'sobbing', room: ROOMS.indoor, render });
export const synthesize = sobbing.synthesize;
