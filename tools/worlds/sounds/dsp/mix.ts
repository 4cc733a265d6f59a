/** Buffer arithmetic for laying events onto a timeline. */

/** Adds `gain * src` into `dst` starting at sample `offset`, dropping whatever falls outside `dst`. */
export function addInto(dst: Float32Array, src: Float32Array, offset: number, gain = 1): void {
  const start = Math.max(0, -offset);
  const end = Math.min(src.length, dst.length - offset);
  for (let i = start; i < end; i++) dst[offset + i] = (dst[offset + i] as number) + gain * (src[i] as number);
}

export function scale(x: Float32Array, gain: number): Float32Array {
  for (let i = 0; i < x.length; i++) x[i] = (x[i] as number) * gain;
  return x;
}

export function dbToGain(db: number): number {
  return 10 ** (db / 20);
}

export function secondsToSamples(seconds: number, sampleRate: number): number {
  return Math.max(0, Math.round(seconds * sampleRate));
}
