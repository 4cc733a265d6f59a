import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { prepareClip, validateClipConfig, type ClipConfig, type PlanarAudio } from './audio-clip.ts';
import { closeDecodeWorker } from './decode/decode-thread.ts';
import { decodeAudio } from './decode/decode.ts';
import { cropOrPad } from './features/crop-pad.ts';
import { downmix } from './features/downmix.ts';
import { FeatureConfigError, FeatureInputError } from './features/errors.ts';
import { resample } from './features/resample.ts';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
const SOUNDS_DIR = path.resolve(REPO_ROOT, '..', 'shared', 'data', 'sounds');

afterAll(() => closeDecodeWorker());

/** Two different channels of tones and a seeded hiss, so downmix and resampling both matter. */
function stereo(seconds: number, rate: number, seed = 1): PlanarAudio {
  const n = Math.round(seconds * rate);
  const l = new Float32Array(n);
  const r = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const t = i / rate;
    l[i] = 0.4 * Math.sin(2 * Math.PI * 440 * t) + 0.05 * (s / 2 ** 32 - 0.5);
    r[i] = 0.3 * Math.sin(2 * Math.PI * 1234.5 * t + 1);
  }
  return { sampleRate: rate, channels: [l, r] };
}

/** The obvious pipeline prepareClip must agree with: everything resampled, then cropped. */
async function reference(audio: PlanarAudio, c: ClipConfig): Promise<Float32Array> {
  return cropOrPad(await resample(downmix(audio.channels), audio.sampleRate, c.sampleRate), c).samples;
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m;
}

describe('prepareClip', () => {
  it.each([
    ['48 kHz -> 44.1 kHz', 48_000, 44_100],
    ['22.05 kHz -> 44.1 kHz', 22_050, 44_100],
    ['44.1 kHz -> 16 kHz', 44_100, 16_000],
    ['equal rates', 16_000, 16_000],
  ])('crops a long recording like the full pipeline does (%s)', async (_, from, to) => {
    const audio = stereo(3, from);
    for (const crop of ['start', 'center', 'random'] as const) {
      for (const seed of crop === 'random' ? [3, 11] : [undefined]) {
        const c: ClipConfig = { sampleRate: to, length: Math.round(0.7 * to), crop, seed };
        const clip = await prepareClip(audio, c);
        const ref = await reference(audio, c);
        expect(clip.samples.length).toBe(c.length);
        expect(clip.sampleRate).toBe(to);
        expect(maxAbsDiff(clip.samples, ref), `${crop} ${seed}`).toBeLessThan(1e-5);
        expect(clip.outputOffset).toBe(0);
        expect(clip.sourceDurationS).toBeCloseTo(3, 9);
      }
    }
  });

  it('reports where the window starts in the source', async () => {
    const audio = stereo(2, 48_000);
    const clip = await prepareClip(audio, { sampleRate: 44_100, length: 44_100, crop: 'center' });
    expect(clip.sourceOffsetS).toBeCloseTo(0.5, 4);
    const head = await prepareClip(audio, { sampleRate: 44_100, length: 44_100, crop: 'start' });
    expect(head.sourceOffsetS).toBe(0);
  });

  it('pads a short recording after resampling, where the pad policy says', async () => {
    const audio = stereo(0.5, 22_050);
    const end = await prepareClip(audio, { sampleRate: 44_100, length: 44_100, crop: 'center' });
    const centre = await prepareClip(audio, {
      sampleRate: 44_100,
      length: 44_100,
      crop: 'start',
      pad: 'center',
    });
    const resampled = await resample(downmix(audio.channels), 22_050, 44_100);
    expect(resampled.length).toBe(22_050);
    expect(Array.from(end.samples.subarray(0, 22_050))).toEqual(Array.from(resampled));
    expect(end.samples.subarray(22_050).every((v) => v === 0)).toBe(true);
    expect(centre.outputOffset).toBe(11_025);
    expect(Array.from(centre.samples.subarray(11_025, 33_075))).toEqual(Array.from(resampled));
  });

  it('returns a new array and leaves the caller audio alone', async () => {
    const mono = Float32Array.from({ length: 100 }, (_, i) => i / 100);
    const before = mono.slice();
    const clip = await prepareClip(
      { sampleRate: 8000, channels: [mono] },
      { sampleRate: 8000, length: 50, crop: 'start' },
    );
    clip.samples[0] = 42;
    expect(Array.from(mono)).toEqual(Array.from(before));
  });

  it('rejects bad configs and empty audio with typed errors', async () => {
    const audio = stereo(0.1, 16_000);
    const bad: Array<[Partial<ClipConfig>, string, string]> = [
      [{ sampleRate: 500 }, 'INVALID_SAMPLE_RATE', 'sampleRate'],
      [{ sampleRate: 44_100.5 }, 'INVALID_SAMPLE_RATE', 'sampleRate'],
      [{ length: 0 }, 'INVALID_LENGTH', 'length'],
      [{ crop: 'middle' as 'center' }, 'UNKNOWN_OPTION', 'crop'],
      [{ pad: 'start' as 'end' }, 'UNKNOWN_OPTION', 'pad'],
      [{ crop: 'random' }, 'INVALID_SEED', 'seed'],
      [{ crop: 'random', seed: -1 }, 'INVALID_SEED', 'seed'],
    ];
    for (const [patch, code, field] of bad) {
      const c = { sampleRate: 16_000, length: 100, crop: 'start', ...patch } as ClipConfig;
      expect(() => validateClipConfig(c)).toThrow(FeatureConfigError);
      const err = await prepareClip(audio, c).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(FeatureConfigError);
      expect(err).toMatchObject({ code, field });
    }
    const empty = await prepareClip(
      { sampleRate: 16_000, channels: [] },
      { sampleRate: 16_000, length: 10, crop: 'start' },
    ).catch((e: unknown) => e);
    expect(empty).toBeInstanceOf(FeatureInputError);
    expect(empty).toMatchObject({ code: 'EMPTY_INPUT' });
    const nan = await prepareClip(
      { sampleRate: 16_000, channels: [Float32Array.from([0, NaN, 0])] },
      { sampleRate: 16_000, length: 2, crop: 'start' },
    ).catch((e: unknown) => e);
    expect(nan).toMatchObject({ code: 'NON_FINITE_SAMPLE' });
  });
});

const REAL_WAV = path.join(SOUNDS_DIR, 'church_bells', 'glocken_Betglocke__Start_.wav');
const haveReal = existsSync(REAL_WAV);
if (!haveReal) {
  console.warn(
    `[audio-clip] skipping real-recording test: ${REAL_WAV} is absent (it lives in ../shared/data/sounds)`,
  );
}

describe.skipIf(!haveReal)('prepareClip on a real recording (../shared/data/sounds)', () => {
  it('crops 2 s out of a 48 kHz stereo bell recording like the full pipeline', async () => {
    const audio = await decodeAudio(readFileSync(REAL_WAV));
    expect(audio.sampleRate).toBe(48_000);
    expect(audio.channels.length).toBe(2);
    const c: ClipConfig = { sampleRate: 44_100, length: 88_200, crop: 'random', seed: 7 };
    const clip = await prepareClip(audio, c);
    expect(maxAbsDiff(clip.samples, await reference(audio, c))).toBeLessThan(1e-5);
    expect(clip.samples.some((v) => Math.abs(v) > 0.01)).toBe(true);
  });
});
