import { checkInteger } from './validate.ts';

/** A real-input DFT of one fixed size: X[k] = sum_j x[j] e^{-2 pi i jk/n}, k = 0..n/2. */
export interface RealFft {
  readonly size: number;
  /** `input` has `size` samples; `re`/`im` receive `size / 2 + 1` bins (floor for odd sizes). */
  forward(input: Float64Array, re: Float64Array, im: Float64Array): void;
}

const plans = new Map<number, RealFft>();

/** A cached plan: powers of two use a half-size complex FFT, any other size Bluestein's algorithm. */
export function realFft(size: number): RealFft {
  checkInteger('INVALID_N_FFT', 'nFft', size, 1, 1 << 24);
  let plan = plans.get(size);
  if (plan === undefined) {
    plan = isPowerOfTwo(size) ? new PackedRealFft(size) : new BluesteinRealFft(size);
    plans.set(size, plan);
  }
  return plan;
}

export function isPowerOfTwo(n: number): boolean {
  return n >= 1 && (n & (n - 1)) === 0;
}

/** In-place iterative radix-2 complex FFT of a power-of-two size (forward sign). */
class Radix2 {
  readonly size: number;
  private readonly cos: Float64Array;
  private readonly sin: Float64Array;
  private readonly rev: Uint32Array;

  constructor(size: number) {
    this.size = size;
    const half = Math.max(1, size >> 1);
    this.cos = new Float64Array(half);
    this.sin = new Float64Array(half);
    // Each twiddle from its own cos/sin call: a recurrence would accumulate error with size.
    for (let k = 0; k < half; k++) {
      this.cos[k] = Math.cos((2 * Math.PI * k) / size);
      this.sin[k] = Math.sin((2 * Math.PI * k) / size);
    }
    this.rev = new Uint32Array(size);
    const bits = Math.round(Math.log2(size));
    for (let i = 0; i < size; i++) {
      let r = 0;
      for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
      this.rev[i] = r;
    }
  }

  transform(re: Float64Array, im: Float64Array): void {
    const n = this.size;
    const rev = this.rev;
    for (let i = 0; i < n; i++) {
      const j = rev[i] as number;
      if (j > i) {
        const tr = re[i] as number;
        re[i] = re[j] as number;
        re[j] = tr;
        const ti = im[i] as number;
        im[i] = im[j] as number;
        im[j] = ti;
      }
    }
    for (let len = 2; len <= n; len <<= 1) {
      const half = len >> 1;
      const stride = n / len;
      for (let start = 0; start < n; start += len) {
        for (let j = 0; j < half; j++) {
          const wr = this.cos[j * stride] as number;
          const wi = -(this.sin[j * stride] as number);
          const a = start + j;
          const b = a + half;
          const br = re[b] as number;
          const bi = im[b] as number;
          const tr = br * wr - bi * wi;
          const ti = br * wi + bi * wr;
          const ar = re[a] as number;
          const ai = im[a] as number;
          re[b] = ar - tr;
          im[b] = ai - ti;
          re[a] = ar + tr;
          im[a] = ai + ti;
        }
      }
    }
  }
}

/**
 * Real FFT of size n = 2m via one complex FFT of size m: the even samples go in the real part,
 * the odd ones in the imaginary part, and the two spectra are separated afterwards.
 */
class PackedRealFft implements RealFft {
  readonly size: number;
  private readonly half: number;
  private readonly inner: Radix2 | null;
  private readonly zr: Float64Array;
  private readonly zi: Float64Array;
  private readonly wr: Float64Array;
  private readonly wi: Float64Array;

  constructor(size: number) {
    this.size = size;
    this.half = size >> 1;
    this.inner = this.half >= 1 ? new Radix2(this.half) : null;
    this.zr = new Float64Array(this.half);
    this.zi = new Float64Array(this.half);
    this.wr = new Float64Array(this.half + 1);
    this.wi = new Float64Array(this.half + 1);
    for (let k = 0; k <= this.half; k++) {
      this.wr[k] = Math.cos((2 * Math.PI * k) / size);
      this.wi[k] = -Math.sin((2 * Math.PI * k) / size);
    }
  }

  forward(input: Float64Array, re: Float64Array, im: Float64Array): void {
    if (this.inner === null) {
      re[0] = input[0] as number;
      im[0] = 0;
      return;
    }
    const m = this.half;
    const { zr, zi } = this;
    for (let k = 0; k < m; k++) {
      zr[k] = input[2 * k] as number;
      zi[k] = input[2 * k + 1] as number;
    }
    this.inner.transform(zr, zi);
    for (let k = 0; k <= m; k++) {
      const a = k % m;
      const b = (m - k) % m;
      const pr = zr[a] as number;
      const pi = zi[a] as number;
      const qr = zr[b] as number;
      const qi = -(zi[b] as number);
      // Even part E = (Z[k] + conj Z[m-k]) / 2; odd part O = (Z[k] - conj Z[m-k]) / 2i.
      const er = 0.5 * (pr + qr);
      const ei = 0.5 * (pi + qi);
      const or = 0.5 * (pi - qi);
      const oi = -0.5 * (pr - qr);
      const wr = this.wr[k] as number;
      const wi = this.wi[k] as number;
      re[k] = er + wr * or - wi * oi;
      im[k] = ei + wr * oi + wi * or;
    }
  }
}

/**
 * Bluestein's chirp-z: jk = (j^2 + k^2 - (k-j)^2) / 2 turns the DFT into a convolution with a
 * chirp, done with power-of-two FFTs; O(n log n) for any size, primes included.
 */
class BluesteinRealFft implements RealFft {
  readonly size: number;
  private readonly m: number;
  private readonly fft: Radix2;
  private readonly chirpRe: Float64Array;
  private readonly chirpIm: Float64Array;
  private readonly kernelRe: Float64Array;
  private readonly kernelIm: Float64Array;
  private readonly ar: Float64Array;
  private readonly ai: Float64Array;

  constructor(size: number) {
    this.size = size;
    let m = 1;
    while (m < 2 * size - 1) m <<= 1;
    this.m = m;
    this.fft = new Radix2(m);
    this.chirpRe = new Float64Array(size);
    this.chirpIm = new Float64Array(size);
    for (let k = 0; k < size; k++) {
      // k^2 mod 2n keeps the angle small, so large k lose no precision.
      const angle = (Math.PI * ((k * k) % (2 * size))) / size;
      this.chirpRe[k] = Math.cos(angle);
      this.chirpIm[k] = -Math.sin(angle);
    }
    this.kernelRe = new Float64Array(m);
    this.kernelIm = new Float64Array(m);
    for (let k = 0; k < size; k++) {
      const cr = this.chirpRe[k] as number;
      const ci = -(this.chirpIm[k] as number);
      this.kernelRe[k] = cr;
      this.kernelIm[k] = ci;
      if (k > 0) {
        this.kernelRe[m - k] = cr;
        this.kernelIm[m - k] = ci;
      }
    }
    this.fft.transform(this.kernelRe, this.kernelIm);
    this.ar = new Float64Array(m);
    this.ai = new Float64Array(m);
  }

  forward(input: Float64Array, re: Float64Array, im: Float64Array): void {
    const { m, size, ar, ai } = this;
    ar.fill(0);
    ai.fill(0);
    for (let j = 0; j < size; j++) {
      const x = input[j] as number;
      ar[j] = x * (this.chirpRe[j] as number);
      ai[j] = x * (this.chirpIm[j] as number);
    }
    this.fft.transform(ar, ai);
    // Multiply by the kernel spectrum and inverse-transform via conj(FFT(conj(.))).
    for (let k = 0; k < m; k++) {
      const xr = ar[k] as number;
      const xi = ai[k] as number;
      const kr = this.kernelRe[k] as number;
      const ki = this.kernelIm[k] as number;
      ar[k] = xr * kr - xi * ki;
      ai[k] = -(xr * ki + xi * kr);
    }
    this.fft.transform(ar, ai);
    const bins = (size >> 1) + 1;
    for (let k = 0; k < bins; k++) {
      const cr = ar[k] as number;
      const ci = -(ai[k] as number) / m;
      const r = cr / m;
      const wr = this.chirpRe[k] as number;
      const wi = this.chirpIm[k] as number;
      re[k] = r * wr - ci * wi;
      im[k] = r * wi + ci * wr;
    }
  }
}
