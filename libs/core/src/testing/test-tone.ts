import { encodeWav } from '../audio/decode/wav-writer.ts';

/** A one-second 16-bit WAV of a steady tone at 16 kHz: the smallest upload every service test can send. */
export function testToneWav(seconds = 1): Uint8Array {
  const rate = 16_000;
  const samples = Float32Array.from({ length: Math.round(rate * seconds) }, (_, i) => 0.3 * Math.sin(i / 7));
  return encodeWav([samples], rate, { encoding: 'pcm', bitsPerSample: 16 });
}
