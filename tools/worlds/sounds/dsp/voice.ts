/**
 * Source-filter voice: a glottal pulse train (Rosenberg flow pulses, differentiated for lip
 * radiation) with jitter and shimmer, mixed with aspiration noise, through a cascade of formant
 * resonators. Enough for laughs, sobs and gasps to read as human vocalisations rather than tones.
 */
import type { Rng } from '@soundedit/models';
import { Biquad, highpassCoefficients } from './biquad.ts';
import { adsr } from './envelope.ts';
import { rms } from './loudness.ts';
import { whiteNoise } from './noise.ts';

export interface Formant {
  hz: number;
  bandwidthHz: number;
}

export type Vowel = 'a' | 'ae' | 'e' | 'i' | 'o' | 'u' | 'uh';

/** Adult male averages (Peterson & Barney style); women and children scale the frequencies up. */
const VOWELS: Readonly<Record<Vowel, readonly [number, number, number, number]>> = {
  a: [730, 1090, 2440, 3400],
  ae: [660, 1720, 2410, 3400],
  e: [530, 1840, 2480, 3500],
  i: [270, 2290, 3010, 3600],
  o: [570, 840, 2410, 3400],
  u: [300, 870, 2240, 3400],
  uh: [640, 1190, 2390, 3400],
};
const BANDWIDTHS = [80, 100, 150, 220];

/** Formants of `vowel` for a vocal tract `scale` times shorter than an adult man's (1.15 woman, 1.3 child). */
export function vowelFormants(vowel: Vowel, scale: number): Formant[] {
  return VOWELS[vowel].map((hz, k) => ({ hz: hz * scale, bandwidthHz: (BANDWIDTHS[k] as number) * scale }));
}

/**
 * Cascade of two-pole resonators with unit gain at DC (Klatt's form), so relative formant levels
 * come out as in speech: each resonance boosts everything above it a little.
 */
export function formantFilter(
  input: Float32Array,
  sampleRate: number,
  formants: readonly Formant[],
): Float32Array {
  const out = input.slice();
  for (const f of formants) {
    if (f.hz >= 0.47 * sampleRate) continue;
    const r = Math.exp((-Math.PI * f.bandwidthHz) / sampleRate);
    const c = -r * r;
    const b = 2 * r * Math.cos((2 * Math.PI * f.hz) / sampleRate);
    const a = 1 - b - c;
    let y1 = 0;
    let y2 = 0;
    for (let i = 0; i < out.length; i++) {
      const y = a * (out[i] as number) + b * y1 + c * y2;
      y2 = y1;
      y1 = y;
      out[i] = y;
    }
  }
  return out;
}

export interface GlottalOptions {
  /** Relative standard deviation of each period (natural voices: about 0.5-2 %; rough or shaky ones more). */
  jitter: number;
  /** Relative standard deviation of each cycle's amplitude. */
  shimmer: number;
  /** Fraction of the period the glottis is open (breathy voices open longer). */
  openQuotient: number;
}

export interface GlottalSource {
  /** Differentiated flow, normalised to unit RMS: the voiced excitation. */
  pulses: Float32Array;
  /** The flow itself in [0, 1]; aspiration noise is louder while the glottis is open. */
  flow: Float32Array;
}

/** A glottal pulse train following `f0Hz` (one value per sample). */
export function glottalSource(
  rng: Rng,
  f0Hz: Float32Array,
  sampleRate: number,
  options: GlottalOptions,
): GlottalSource {
  const n = f0Hz.length;
  const flow = new Float32Array(n);
  const pulses = new Float32Array(n);
  const oq = Math.min(0.95, Math.max(0.2, options.openQuotient));
  const rise = 0.65 * oq;
  let phase = 0;
  let periodScale = 1;
  let amplitude = 1;
  let previous = 0;
  for (let i = 0; i < n; i++) {
    phase += ((f0Hz[i] as number) * periodScale) / sampleRate;
    if (phase >= 1) {
      phase -= 1;
      periodScale = 1 + options.jitter * rng.normal();
      amplitude = Math.max(0, 1 + options.shimmer * rng.normal());
    }
    let g = 0;
    if (phase < rise) g = 0.5 * (1 - Math.cos((Math.PI * phase) / rise));
    else if (phase < oq) g = Math.cos((0.5 * Math.PI * (phase - rise)) / (oq - rise));
    g *= amplitude;
    flow[i] = g;
    pulses[i] = g - previous;
    previous = g;
  }
  const level = rms(pulses);
  if (level > 0) for (let i = 0; i < n; i++) pulses[i] = (pulses[i] as number) / level;
  return { pulses, flow };
}

export interface SyllableOptions {
  durationS: number;
  /** f0 knots in Hz, spread evenly over the voiced part and joined geometrically. */
  pitchHz: readonly number[];
  vowel: Vowel;
  /** Vocal tract scale for the formants (1 man, about 1.15 woman, 1.3 child). */
  formantScale: number;
  /** 0..1: aspiration noise mixed into the voiced part. */
  breathiness: number;
  /** Length of the unvoiced "h" onset before voicing starts. */
  aspirationS: number;
  jitter: number;
  shimmer: number;
  /** Shaky voice: f0 and amplitude wobble at this rate (0 for none). */
  tremorHz: number;
  /** Relative depth of the tremor on f0 (amplitude gets three times as much). */
  tremorDepth: number;
  attackS: number;
  releaseS: number;
}

/** Geometric interpolation of the pitch knots over `n` samples, times a tremor (also returned, in [-1, 1]). */
function pitchContour(
  rng: Rng,
  n: number,
  sampleRate: number,
  o: SyllableOptions,
): { hz: Float32Array; tremor: Float32Array } {
  const out = new Float32Array(n);
  const tremor = new Float32Array(n);
  const k = o.pitchHz.length;
  const wobbleRate = o.tremorHz * (1 + 0.2 * rng.normal());
  let tremorPhase = rng.next() * 2 * Math.PI;
  for (let i = 0; i < n; i++) {
    const pos = k === 1 ? 0 : (i / Math.max(1, n - 1)) * (k - 1);
    const j = Math.min(k - 2, Math.floor(pos));
    const a = o.pitchHz[Math.max(0, j)] as number;
    const b = (k === 1 ? a : o.pitchHz[j + 1]) as number;
    const hz = k === 1 ? a : a * (b / a) ** (pos - j);
    tremorPhase += (2 * Math.PI * wobbleRate) / sampleRate;
    tremor[i] = Math.sin(tremorPhase);
    out[i] = hz * (1 + o.tremorDepth * (tremor[i] as number));
  }
  return { hz: out, tremor };
}

/**
 * One voiced syllable: an "h" of shaped noise, then voice with aspiration, under an ADSR envelope,
 * through the vowel's formants. Unit-ish RMS; callers set the level.
 */
export function syllable(rng: Rng, sampleRate: number, o: SyllableOptions): Float32Array {
  const n = Math.max(8, Math.round(o.durationS * sampleRate));
  const aspiration = Math.min(n - 4, Math.round(o.aspirationS * sampleRate));
  const voicedN = n - aspiration;
  const contour = pitchContour(rng, voicedN, sampleRate, o);
  const { pulses, flow } = glottalSource(rng, contour.hz, sampleRate, {
    jitter: o.jitter,
    shimmer: o.shimmer,
    openQuotient: 0.5 + 0.35 * o.breathiness,
  });
  const voicedEnv = adsr(voicedN, sampleRate, {
    attackS: o.attackS,
    decayS: 0.3 * o.durationS,
    sustain: 0.7,
    releaseS: o.releaseS,
  });
  const excitation = new Float32Array(n);
  const noiseSamples = whiteNoise(rng, n);
  const tremorAmp = 3 * o.tremorDepth;
  for (let i = 0; i < n; i++) {
    const noise = noiseSamples[i] as number;
    if (i < aspiration) {
      // The "h": noise swelling towards the vowel onset.
      excitation[i] = 0.35 * noise * ((i + 1) / aspiration);
      continue;
    }
    const j = i - aspiration;
    const env = voicedEnv[j] as number;
    const wobble = Math.max(0, 1 + tremorAmp * (contour.tremor[j] as number));
    const breath = o.breathiness * noise * (0.3 + 0.7 * (flow[j] as number));
    excitation[i] = env * wobble * ((1 - 0.6 * o.breathiness) * (pulses[j] as number) + breath);
  }
  const voiced = formantFilter(excitation, sampleRate, vowelFormants(o.vowel, o.formantScale));
  // The all-pole cascade leaves almost nothing above the fourth formant; real breath has a hiss up
  // there, which shows at 44.1 kHz. Add it back in proportion to the voiced part's envelope.
  const airy = new Biquad(highpassCoefficients(sampleRate, 3500));
  const hiss = 0.06 * (0.3 + o.breathiness) * rms(voiced);
  for (let i = aspiration; i < n; i++) {
    const env = voicedEnv[i - aspiration] as number;
    voiced[i] = (voiced[i] as number) + hiss * env * airy.tick(noiseSamples[n - 1 - i] as number);
  }
  const level = rms(voiced);
  if (level > 0) for (let i = 0; i < n; i++) voiced[i] = (voiced[i] as number) / level;
  return voiced;
}
