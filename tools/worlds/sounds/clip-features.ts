/**
 * Hand-made clip features and a nearest-centroid classifier: an objective check that the classes are
 * acoustically distinct (if these simple statistics separate them, an audio encoder can), and a quick
 * way to find which classes a change to the synthesis makes confusable.
 */
import { LogMelExtractor, librosaLogMelDefaults, type LogMelConfig } from '@soundedit/core';

export const FEATURE_MELS = 40;
/** Envelope modulation bands in Hz: swells, syllables/events, flutter. */
const MODULATION_BANDS: readonly (readonly [number, number])[] = [
  [0.25, 1],
  [1, 3],
  [3, 6],
  [6, 12],
  [12, 24],
];

const extractors = new Map<number, LogMelExtractor>();

/** 32 ms windows, 16 ms hop, 40 mels up to 8 kHz: the same features at 16 and 44.1 kHz. */
function featureExtractor(sampleRate: number): LogMelExtractor {
  let e = extractors.get(sampleRate);
  if (e === undefined) {
    const nFft = 2 ** Math.round(Math.log2(0.032 * sampleRate));
    const config: LogMelConfig = {
      ...librosaLogMelDefaults(sampleRate),
      nFft,
      winLength: nFft,
      hop: Math.round(0.016 * sampleRate),
      nMels: FEATURE_MELS,
      fmin: 50,
      fmax: Math.min(8000, sampleRate / 2),
      topDb: null,
    };
    e = new LogMelExtractor(config);
    extractors.set(sampleRate, e);
  }
  return e;
}

/** Per-band spread is pooled over this many adjacent mels: fewer, steadier numbers. */
const SPREAD_POOL = 5;
/**
 * Mel ranges (of 40) whose loudness envelopes are described separately: rumble (below ~400 Hz),
 * voice and body (to ~2 kHz), and hiss and clicks above. Thunder swells in the first while rain
 * stays steady in the last; one overall envelope would blur the two.
 */
const ENVELOPE_BANDS: readonly (readonly [number, number])[] = [
  [0, 10],
  [10, 24],
  [24, 40],
];

/**
 * Level-invariant features of one clip: the mean spectrum shape (per-band mean log-mel minus the
 * overall mean), how much each region varies over time, how noise-like the spectrum is, and for
 * low, middle and high bands how the loudness envelope moves (modulation spectrum, spikiness,
 * sparseness, onset rate).
 */
export function clipFeatures(samples: Float32Array, sampleRate: number): Float64Array {
  const extractor = featureExtractor(sampleRate);
  const spec = extractor.compute(samples);
  const { rows, cols } = spec;
  const at = (r: number, c: number): number => spec.data[r * cols + c] as number;
  // The spectrum shape is taken over the louder half of the frames: in a clip of one blast and a
  // long quiet tail, the tail (a noise floor) would otherwise decide it.
  const loud = loudFrames(spec.data, rows, cols);
  const mean = new Float64Array(rows);
  const spread = new Float64Array(rows / SPREAD_POOL);
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (const c of loud) s += at(r, c);
    mean[r] = s / loud.length;
    let v = 0;
    for (let c = 0; c < cols; c++) v += (at(r, c) - (mean[r] as number)) ** 2;
    const k = Math.floor(r / SPREAD_POOL);
    spread[k] = (spread[k] as number) + Math.sqrt(v / cols) / SPREAD_POOL;
  }
  const overall = mean.reduce((a, b) => a + b, 0) / rows;
  const frameRate = sampleRate / extractor.config.hop;
  const envelopes = ENVELOPE_BANDS.map(([lo, hi]) => {
    const env = new Float64Array(cols);
    for (let c = 0; c < cols; c++) {
      let s = 0;
      for (let r = lo; r < hi; r++) s += at(r, c);
      env[c] = s / (hi - lo);
    }
    return envelopeFeatures(env, frameRate);
  });
  return Float64Array.from([
    ...Array.from(mean, (m) => m - overall),
    ...spread,
    meanFlatness(spec.data, rows, loud),
    ...envelopes.flat(),
    ...peakShape(spec.data, rows, cols, frameRate),
  ]);
}

/** Frames at or above the median band-average loudness. */
function loudFrames(data: Float32Array, rows: number, cols: number): number[] {
  const loudness = new Float64Array(cols);
  for (let c = 0; c < cols; c++) {
    let s = 0;
    for (let r = 0; r < rows; r++) s += data[r * cols + c] as number;
    loudness[c] = s / rows;
  }
  const median = Float64Array.from(loudness).sort()[Math.floor(cols / 2)] as number;
  return Array.from(loudness.keys()).filter((c) => (loudness[c] as number) >= median);
}

/** Spectral flatness (mean dB minus dB of the mean power) averaged over `frames`: low for tones, high for noise. */
function meanFlatness(data: Float32Array, rows: number, frames: readonly number[]): number {
  const cols = data.length / rows;
  let sum = 0;
  for (const c of frames) {
    let s = 0;
    let power = 0;
    for (let r = 0; r < rows; r++) {
      const v = data[r * cols + c] as number;
      s += v;
      power += 10 ** (v / 10);
    }
    sum += s / rows - 10 * Math.log10(power / rows + 1e-12);
  }
  return sum / Math.max(1, frames.length);
}

/** Offsets from the loudest frame, in seconds, at which `peakShape` reads the level. */
const PEAK_OFFSETS_S = [-0.15, -0.05, 0.1, 0.3, 0.6, 1.2];

/**
 * The level around the loudest moment, relative to it: a blast jumps up and dies away, a honk
 * holds, thunder builds and rolls on. Offsets past the clip's ends read its first or last frame.
 */
function peakShape(data: Float32Array, rows: number, cols: number, frameRate: number): number[] {
  const loudness = new Float64Array(cols);
  let peakAt = 0;
  for (let c = 0; c < cols; c++) {
    let s = 0;
    for (let r = 0; r < rows; r++) s += data[r * cols + c] as number;
    loudness[c] = s / rows;
    if ((loudness[c] as number) > (loudness[peakAt] as number)) peakAt = c;
  }
  const peak = loudness[peakAt] as number;
  return PEAK_OFFSETS_S.map((dt) => {
    const c = Math.min(cols - 1, Math.max(0, peakAt + Math.round(dt * frameRate)));
    return (loudness[c] as number) - peak;
  });
}

/** How a loudness envelope (dB per frame) moves: modulation spectrum, flux, spread, percentiles, onsets. */
function envelopeFeatures(envelope: Float64Array, frameRate: number): number[] {
  const cols = envelope.length;
  const sorted = Float64Array.from(envelope).sort();
  const top = sorted[cols - 1] as number;
  const percentile = (p: number): number =>
    (sorted[Math.min(cols - 1, Math.floor(p * cols))] as number) - top;
  let flux = 0;
  let onsets = 0;
  for (let c = 1; c < cols; c++) {
    flux += Math.abs((envelope[c] as number) - (envelope[c - 1] as number));
    const before = Math.min(...envelope.subarray(Math.max(0, c - 3), c));
    if ((envelope[c] as number) - before > 9 && (envelope[c] as number) >= (envelope[c - 1] as number))
      onsets++;
  }
  return [
    ...modulationPowers(envelope, frameRate),
    flux / Math.max(1, cols - 1),
    stdOf(envelope),
    percentile(0.1),
    percentile(0.5),
    percentile(0.9),
    (onsets * frameRate) / cols,
  ];
}

function stdOf(x: Float64Array): number {
  const m = x.reduce((a, b) => a + b, 0) / x.length;
  return Math.sqrt(x.reduce((a, b) => a + (b - m) ** 2, 0) / x.length);
}

/** Log power of the (mean-removed) envelope in each modulation band, by a direct DFT at 0.25 Hz steps. */
function modulationPowers(envelope: Float64Array, frameRate: number): number[] {
  const n = envelope.length;
  const m = envelope.reduce((a, b) => a + b, 0) / n;
  return MODULATION_BANDS.map(([lo, hi]) => {
    let power = 0;
    for (let f = lo; f < hi; f += 0.25) {
      let re = 0;
      let im = 0;
      for (let i = 0; i < n; i++) {
        const w = (2 * Math.PI * f * i) / frameRate;
        const v = (envelope[i] as number) - m;
        re += v * Math.cos(w);
        im -= v * Math.sin(w);
      }
      power += (re * re + im * im) / (n * n);
    }
    return 10 * Math.log10(power + 1e-6);
  });
}

export interface ClassifierReport {
  accuracy: number;
  /** confusion[true][predicted] counts over all held-out clips. */
  confusion: number[][];
}

/**
 * k-fold nearest-centroid classification (item i is in fold i % folds) on z-scored features, with
 * the normalisation and centroids fitted on the training folds only.
 */
export function nearestCentroidReport(
  features: readonly Float64Array[],
  labels: readonly number[],
  classes: number,
  folds = 2,
): ClassifierReport {
  const confusion = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  let correct = 0;
  const dim = features[0]?.length ?? 0;
  for (let fold = 0; fold < folds; fold++) {
    const train = features.map((_, i) => i).filter((i) => i % folds !== fold);
    const test = features.map((_, i) => i).filter((i) => i % folds === fold);
    const mu = new Float64Array(dim);
    const sd = new Float64Array(dim);
    for (const i of train)
      for (let d = 0; d < dim; d++) mu[d] = (mu[d] as number) + (features[i]![d] as number) / train.length;
    for (const i of train)
      for (let d = 0; d < dim; d++)
        sd[d] = (sd[d] as number) + ((features[i]![d] as number) - (mu[d] as number)) ** 2 / train.length;
    const z = (x: Float64Array): Float64Array =>
      x.map((v, d) => (v - (mu[d] as number)) / Math.sqrt((sd[d] as number) + 1e-9));
    const centroids = Array.from({ length: classes }, () => new Float64Array(dim));
    const counts = new Array<number>(classes).fill(0);
    for (const i of train) {
      const zi = z(features[i]!);
      const c = labels[i]!;
      counts[c]!++;
      for (let d = 0; d < dim; d++) centroids[c]![d] = (centroids[c]![d] as number) + (zi[d] as number);
    }
    centroids.forEach((c, k) => c.forEach((v, d) => (c[d] = v / Math.max(1, counts[k]!))));
    for (const i of test) {
      const zi = z(features[i]!);
      let best = 0;
      let bestDistance = Infinity;
      centroids.forEach((c, k) => {
        let dist = 0;
        for (let d = 0; d < dim; d++) dist += ((zi[d] as number) - (c[d] as number)) ** 2;
        if (dist < bestDistance) {
          bestDistance = dist;
          best = k;
        }
      });
      confusion[labels[i]!]![best]!++;
      if (best === labels[i]) correct++;
    }
  }
  return { accuracy: correct / features.length, confusion };
}
