import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import decodeVorbis from '@audio/decode-vorbis';
import decodeWav from '@audio/decode-wav';
import { describe, expect, it } from 'vitest';
import { cropOrPad } from './crop-pad.ts';
import { downmix } from './downmix.ts';
import { FeatureConfigError } from './errors.ts';
import {
  LogMelExtractor,
  PAPER_LOG_MEL_CONFIG,
  librosaLogMelDefaults,
  logMelSpectrogram,
  powerToDb,
  type LogMelConfig,
} from './log-mel.ts';
import { resample } from './resample.ts';
import { SOUNDS_DIR, decodeF32, fixtureSignal, loadFixture, maxAbsDiff } from './test-fixtures.ts';

interface LogMelCase {
  name: string;
  signal: string;
  config: LogMelConfig;
  shape: [number, number];
  data: string;
}

describe('logMelSpectrogram', () => {
  // torchaudio MelSpectrogram (float64) -> librosa power_to_db in numpy; see the fixture script.
  // Tolerance: 1e-3 dB (normalised outputs are compared after undoing / 80 + 1).
  const { cases } = loadFixture<{ cases: LogMelCase[] }>('log-mel.json');
  it.each(cases.map((c) => [c.name, c] as const))('matches librosa within 1e-3 dB: %s', (_name, c) => {
    const { samples, sampleRate } = fixtureSignal(c.signal);
    expect(sampleRate).toBe(c.config.sampleRate);
    const out = logMelSpectrogram(samples, c.config);
    expect([out.rows, out.cols]).toEqual(c.shape);
    const ref = decodeF32(c.data);
    const scale = c.config.normalise ? 80 : 1;
    expect(maxAbsDiff(out.data, ref) * scale).toBeLessThan(1e-3);
  });

  it('normalises to [0, 1] with the paper config (ref max, top_db 80, db / 80 + 1)', () => {
    const { samples } = fixtureSignal('tones44k');
    const out = new LogMelExtractor(PAPER_LOG_MEL_CONFIG).compute(samples);
    expect(out.rows).toBe(128);
    expect(Math.max(...out.data)).toBeCloseTo(1, 6);
    expect(Math.min(...out.data)).toBeGreaterThanOrEqual(0);
  });

  it('reports the frame count it will produce', () => {
    const ex = new LogMelExtractor(librosaLogMelDefaults(16000));
    expect(ex.frames(16000)).toBe(32);
    expect(ex.compute(new Float32Array(16000).fill(0.1)).cols).toBe(32);
  });

  const base = librosaLogMelDefaults(16000);
  it.each([
    [{ sampleRate: 44100.5 }, 'INVALID_SAMPLE_RATE', 'sampleRate'],
    [{ nFft: -2 }, 'INVALID_N_FFT', 'nFft'],
    [{ hop: 1.5 }, 'INVALID_HOP', 'hop'],
    [{ winLength: 4096 }, 'INVALID_WIN_LENGTH', 'winLength'],
    [{ nMels: 0 }, 'INVALID_N_MELS', 'nMels'],
    [{ fmin: 9000 }, 'INVALID_FREQUENCY_RANGE', 'fmin'],
    [{ fmax: Infinity }, 'INVALID_FREQUENCY_RANGE', 'fmax'],
    [{ center: 1 }, 'UNKNOWN_OPTION', 'center'],
    [{ padMode: 'wrap' }, 'UNKNOWN_OPTION', 'padMode'],
    [{ power: -1 }, 'INVALID_POWER', 'power'],
    [{ norm: 'slany' }, 'UNKNOWN_OPTION', 'norm'],
    [{ melScale: 'HTK' }, 'UNKNOWN_OPTION', 'melScale'],
    [{ ref: 0 }, 'INVALID_DB_SETTING', 'ref'],
    [{ ref: 'min' }, 'INVALID_DB_SETTING', 'ref'],
    [{ topDb: -80 }, 'INVALID_DB_SETTING', 'topDb'],
    [{ normalise: 'true' }, 'UNKNOWN_OPTION', 'normalise'],
    [{ nMel: 64 }, 'UNKNOWN_OPTION', 'nMel'],
  ])('rejects %o with %s', (patch, code, field) => {
    let caught: unknown;
    try {
      new LogMelExtractor({ ...base, ...patch } as LogMelConfig);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(FeatureConfigError);
    expect(caught).toMatchObject({ code, field });
    expect((caught as Error).message).toContain(field);
  });

  it('rejects NaN samples with their index', () => {
    const x = new Float32Array(4000);
    x[3999] = NaN;
    expect(() => logMelSpectrogram(x, base)).toThrow(
      expect.objectContaining({ code: 'NON_FINITE_SAMPLE', index: 3999 }),
    );
  });
});

describe('powerToDb', () => {
  const spec = { rows: 1, cols: 4, data: Float32Array.from([1, 1e-3, 1e-12, 0]) };
  it('floors at max - topDb over the whole array and clamps to amin', () => {
    expect(Array.from(powerToDb(spec, { ref: 1, topDb: null }).data)).toEqual([0, -30, -100, -100]);
    expect(Array.from(powerToDb(spec, { ref: 1, topDb: 20 }).data)).toEqual([0, -20, -20, -20]);
    expect(Array.from(powerToDb(spec, { ref: 'max', topDb: 80 }).data)).toEqual([0, -30, -80, -80]);
    const loud = { rows: 1, cols: 2, data: Float32Array.from([100, 10]) };
    expect(Array.from(powerToDb(loud, { ref: 'max', topDb: 80 }).data)).toEqual([0, -10]);
    expect(Array.from(powerToDb(loud, { ref: 10, topDb: 80 }).data)).toEqual([10, 0]);
  });
});

const CLIPS = [
  ['birds_chirping', '.wav'],
  ['crying', '.wav'],
  ['dog_bark', '.ogg'],
  ['rain', '.ogg'],
] as const;

function pickClips(): string[] {
  return CLIPS.flatMap(([dir, ext]) => {
    const names = readdirSync(path.join(SOUNDS_DIR, dir))
      .filter((f) => f.endsWith(ext))
      .sort();
    return names.length > 0 ? [path.join(dir, names[0] as string)] : [];
  });
}

let hasSounds = false;
try {
  hasSounds = readdirSync(SOUNDS_DIR).length > 0;
} catch {
  hasSounds = false;
}
if (!hasSounds) {
  console.warn(
    `[log-mel] skipping real-recording test: ${SOUNDS_DIR} is absent (it lives at ../shared/data/sounds)`,
  );
}

describe.skipIf(!hasSounds)('log-mel on real recordings (../shared/data/sounds)', () => {
  it('decodes, downmixes, resamples to 44.1 kHz, crops to 5 s and gives finite [0, 1] features', async () => {
    const extractor = new LogMelExtractor(PAPER_LOG_MEL_CONFIG);
    const length = 5 * 44100;
    const clips = pickClips();
    expect(clips.length).toBeGreaterThanOrEqual(3);
    for (const clip of clips) {
      const bytes = new Uint8Array(await readFile(path.join(SOUNDS_DIR, clip)));
      const audio = clip.endsWith('.wav') ? decodeWav(bytes) : await decodeVorbis(bytes);
      // Crop at the source rate first so a long clip is not resampled in full.
      const sourceLength = Math.ceil((length * audio.sampleRate) / 44100);
      const mono = cropOrPad(downmix(audio.channelData), { length: sourceLength, crop: 'center' }).samples;
      const at44k = await resample(mono, audio.sampleRate, 44100);
      const fixed = cropOrPad(at44k, { length, crop: 'start' }).samples;
      const mel = extractor.compute(fixed);
      expect([mel.rows, mel.cols], clip).toEqual([128, extractor.frames(length)]);
      let lo = Infinity;
      let hi = -Infinity;
      for (const v of mel.data) {
        expect(Number.isFinite(v), clip).toBe(true);
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
      expect(hi, clip).toBeCloseTo(1, 5);
      expect(lo, clip).toBeGreaterThanOrEqual(0);
      // Real sound has structure: not a flat spectrogram.
      expect(hi - lo, clip).toBeGreaterThan(0.2);
    }
  });
});
