import { describe, expect, it } from 'vitest';
import { loudnessGain } from './loudness-gain.ts';

const tone = (rms: number) => ({
  sampleRate: 16_000,
  channels: [Float32Array.from({ length: 16_000 }, (_, i) => rms * Math.SQRT2 * Math.sin(i / 5))],
});

describe('loudnessGain', () => {
  it('gives 1 at -20 dBFS, doubles every 12 dB louder, and stays within [0.5, 2]', () => {
    const at = (db: number) => loudnessGain(tone(10 ** (db / 20)));
    expect(at(-20).rmsDb).toBeCloseTo(-20, 1);
    expect(at(-20).gain).toBeCloseTo(1, 2);
    expect(at(-8).gain).toBeCloseTo(2, 2);
    expect(at(-26).gain).toBeCloseTo(2 ** -0.5, 2);
    expect(at(0).gain).toBe(2);
    expect(at(-60).gain).toBe(0.5);
    expect(loudnessGain({ sampleRate: 8000, channels: [new Float32Array(100)] })).toEqual({
      rmsDb: -Infinity,
      gain: 0.5,
    });
  });
});
