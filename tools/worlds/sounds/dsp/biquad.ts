/**
 * Second-order IIR sections with the RBJ "Audio EQ Cookbook" designs, in transposed direct form II
 * (one multiply-add chain per sample, good numerical behaviour at low cutoffs in float64 state).
 */
export interface BiquadCoefficients {
  b0: number;
  b1: number;
  b2: number;
  a1: number;
  a2: number;
}

/** Keep designs strictly inside (0, Nyquist): callers pick frequencies in Hz that may exceed 8 kHz at 16 kHz. */
function clampFrequency(sampleRate: number, hz: number): number {
  return Math.min(Math.max(hz, 1), 0.49 * sampleRate);
}

function normalised(
  b0: number,
  b1: number,
  b2: number,
  a0: number,
  a1: number,
  a2: number,
): BiquadCoefficients {
  return { b0: b0 / a0, b1: b1 / a0, b2: b2 / a0, a1: a1 / a0, a2: a2 / a0 };
}

function angle(sampleRate: number, hz: number, q: number): { cos: number; alpha: number } {
  const w = (2 * Math.PI * clampFrequency(sampleRate, hz)) / sampleRate;
  return { cos: Math.cos(w), alpha: Math.sin(w) / (2 * Math.max(q, 1e-3)) };
}

export function lowpassCoefficients(sampleRate: number, hz: number, q = Math.SQRT1_2): BiquadCoefficients {
  const { cos, alpha } = angle(sampleRate, hz, q);
  return normalised((1 - cos) / 2, 1 - cos, (1 - cos) / 2, 1 + alpha, -2 * cos, 1 - alpha);
}

export function highpassCoefficients(sampleRate: number, hz: number, q = Math.SQRT1_2): BiquadCoefficients {
  const { cos, alpha } = angle(sampleRate, hz, q);
  return normalised((1 + cos) / 2, -(1 + cos), (1 + cos) / 2, 1 + alpha, -2 * cos, 1 - alpha);
}

/** Band-pass with 0 dB gain at the centre, so Q changes the width without changing the peak level. */
export function bandpassCoefficients(sampleRate: number, hz: number, q: number): BiquadCoefficients {
  const { cos, alpha } = angle(sampleRate, hz, q);
  return normalised(alpha, 0, -alpha, 1 + alpha, -2 * cos, 1 - alpha);
}

/** Peaking EQ: `gainDb` boost or cut around `hz`, unity elsewhere. */
export function peakingCoefficients(
  sampleRate: number,
  hz: number,
  q: number,
  gainDb: number,
): BiquadCoefficients {
  const { cos, alpha } = angle(sampleRate, hz, q);
  const a = 10 ** (gainDb / 40);
  return normalised(1 + alpha * a, -2 * cos, 1 - alpha * a, 1 + alpha / a, -2 * cos, 1 - alpha / a);
}

/** A filter with state; `set` swaps coefficients without clearing state, for slowly swept filters. */
export class Biquad {
  private c: BiquadCoefficients;
  private z1 = 0;
  private z2 = 0;

  constructor(coefficients: BiquadCoefficients) {
    this.c = coefficients;
  }

  set(coefficients: BiquadCoefficients): void {
    this.c = coefficients;
  }

  tick(x: number): number {
    const { b0, b1, b2, a1, a2 } = this.c;
    const y = b0 * x + this.z1;
    this.z1 = b1 * x - a1 * y + this.z2;
    this.z2 = b2 * x - a2 * y;
    return y;
  }

  /** Filters `input` into a new array (or into `out`, which may be `input` itself). */
  process(input: Float32Array, out: Float32Array = new Float32Array(input.length)): Float32Array {
    for (let i = 0; i < input.length; i++) out[i] = this.tick(input[i] as number);
    return out;
  }
}

/** Runs `input` through a chain of sections, in order, into a new array. */
export function filterChain(input: Float32Array, sections: readonly BiquadCoefficients[]): Float32Array {
  let out: Float32Array = input.slice();
  for (const c of sections) out = new Biquad(c).process(out, out);
  return out;
}

export const lowpass = (x: Float32Array, sampleRate: number, hz: number, q?: number): Float32Array =>
  filterChain(x, [lowpassCoefficients(sampleRate, hz, q)]);
export const highpass = (x: Float32Array, sampleRate: number, hz: number, q?: number): Float32Array =>
  filterChain(x, [highpassCoefficients(sampleRate, hz, q)]);
export const bandpass = (x: Float32Array, sampleRate: number, hz: number, q: number): Float32Array =>
  filterChain(x, [bandpassCoefficients(sampleRate, hz, q)]);

/**
 * Runs `input` through a filter whose frequency follows `hz` (one value per sample), redesigning it
 * every `block` samples: sweeping resonances and closing lowpasses without per-sample trigonometry.
 */
export function sweptFilter(
  input: Float32Array,
  hz: Float32Array,
  design: (hz: number) => BiquadCoefficients,
  block = 32,
): Float32Array {
  const f = new Biquad(design(hz[0] ?? 1000));
  const out = new Float32Array(input.length);
  for (let i = 0; i < input.length; i++) {
    if (i % block === 0) f.set(design(hz[i] as number));
    out[i] = f.tick(input[i] as number);
  }
  return out;
}
