/**
 * A small Schroeder-style reverb: parallel feedback combs with damping in the loop (the decaying,
 * darkening tail of a room) followed by series allpasses (to smear the combs' echoes into a dense
 * tail). Enough to give clips a believable room, hall or open space.
 */
import { rms } from './loudness.ts';

export interface ReverbOptions {
  /** Time for the tail to fall by 60 dB. */
  rt60S: number;
  /** Reverberant energy relative to the dry signal (RMS ratio); 0 leaves the signal dry. */
  wet: number;
  /** Scales the comb delays: small rooms have dense, quick echoes, large spaces sparse ones. */
  size: number;
  /** 0..1: how much high frequencies die faster than lows in the tail (absorbent rooms, outdoors). */
  damping: number;
  preDelayS: number;
}

/** Comb delays in ms at size 1, chosen without common factors so their echoes do not line up. */
const COMB_MS = [31.3, 35.9, 40.7, 44.3, 47.9, 52.1];
const ALLPASS_MS = [5.1, 1.7];
const ALLPASS_GAIN = 0.6;

function combInto(
  out: Float64Array,
  input: Float32Array,
  delay: number,
  feedback: number,
  damping: number,
): void {
  const line = new Float64Array(delay);
  let pos = 0;
  let filtered = 0;
  for (let i = 0; i < input.length; i++) {
    const y = line[pos] as number;
    out[i] = (out[i] as number) + y;
    // One-pole lowpass in the loop: each trip round the comb loses more treble than bass.
    filtered = y * (1 - damping) + filtered * damping;
    line[pos] = (input[i] as number) + feedback * filtered;
    pos = pos + 1 === delay ? 0 : pos + 1;
  }
}

function allpass(x: Float64Array, delay: number, gain: number): void {
  const line = new Float64Array(delay);
  let pos = 0;
  for (let i = 0; i < x.length; i++) {
    const buffered = line[pos] as number;
    const input = x[i] as number;
    const v = input + gain * buffered;
    x[i] = buffered - gain * v;
    line[pos] = v;
    pos = pos + 1 === delay ? 0 : pos + 1;
  }
}

/** Returns dry + reverb (same length as the input: the tail past the end is cut, as in a recording). */
export function reverb(input: Float32Array, sampleRate: number, options: ReverbOptions): Float32Array {
  const out = input.slice();
  if (options.wet <= 0 || input.length === 0) return out;
  const pre = Math.round(options.preDelayS * sampleRate);
  const delayed = new Float32Array(input.length);
  delayed.set(input.subarray(0, Math.max(0, input.length - pre)), pre);
  const tail = new Float64Array(input.length);
  for (const ms of COMB_MS) {
    const delay = Math.max(2, Math.round((ms / 1000) * options.size * sampleRate));
    // Feedback that loses 60 dB after rt60: g^(rt60 / delay) = 10^-3.
    const feedback = 10 ** ((-3 * delay) / (options.rt60S * sampleRate));
    combInto(tail, delayed, delay, feedback, options.damping);
  }
  for (const ms of ALLPASS_MS) allpass(tail, Math.max(1, Math.round((ms / 1000) * sampleRate)), ALLPASS_GAIN);
  const tailRms = rms(Float32Array.from(tail));
  if (tailRms === 0) return out;
  const gain = (options.wet * rms(input)) / tailRms;
  for (let i = 0; i < out.length; i++) out[i] = (out[i] as number) + gain * (tail[i] as number);
  return out;
}
